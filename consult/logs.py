"""Structured logs: one JSON line per event, each request with its own id, and no personal
data or secrets — a request is logged by its route pattern (``/r/<token>``), never by its
address (which holds a survey link's token), its query or its form."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, the request's id and
    whatever ``extra`` fields the caller gave."""

    FIELDS = ("request_id", "method", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if "request_id" not in entry and has_request_context():
            entry["request_id"] = getattr(g, "request_id", None)
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(entry, ensure_ascii=False)


def init_logging(app: Flask) -> None:
    level = str(app.config.get("LOG_LEVEL", "INFO")).upper()
    if not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        app.logger.handlers[:] = [handler]
        app.logger.propagate = False
    app.logger.setLevel(level)

    @app.before_request
    def request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def access_log(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        started = g.get("request_started")
        app.logger.info(
            "request",
            extra={
                "request_id": g.get("request_id"),
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else "(no route)",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)
                if started
                else None,
            },
        )
        return response
