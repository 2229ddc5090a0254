"""Rendered reports, kept per process so that a repeat view costs one small query.

A report is keyed on what it is made of: the survey's id, the number, the latest
``updated_at`` and the sum of the ids of its submitted responses, and the survey row's own
``updated_at`` (bumped by every design change, see ``consult.services.designs.touch``), with
the report's language, grouping, k and format. A new, changed, withdrawn or deleted response
changes the key, so a stale report is never served; old entries age out of the LRU.

Not in the key: an organisation's attributes (size, theme group, city funding). A report cut
by one of them shows the attributes as they were when it was made, until the survey or its
responses change, :func:`clear` is called, or the process restarts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
from flask import current_app

from consult.extensions import db
from consult.models import Organisation, Question, Response, Survey
from consult.models.coding import Code, CodedAnswer, Quote
from consult.services.reports import build, to_json

FORMATS = ("json", "html", "pdf", "xlsx")
MAX_ENTRIES = 64
MAX_BYTES = 256 * 1024 * 1024


class LRU:
    """A thread-safe least-recently-used map with a limit on entries and on bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: Hashable, value: Any, size: int = 0) -> None:
        with self._lock:
            if key in self._items:
                self._bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._items and (
                len(self._items) > self.max_entries or self._bytes > self.max_bytes
            ):
                _key, (_value, old) = self._items.popitem(last=False)
                self._bytes -= old

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


_cache = LRU()


def clear() -> None:
    """Forget every cached report of this process."""
    _cache.clear()


def freshness(survey: Survey) -> tuple[Any, ...]:
    """What a survey's reports are made of: changes whenever they would. The submitted
    responses and the design of the survey and of every earlier round it is compared with,
    the register (reports are cut by organisations' attributes), and the open answers' codes
    and chosen quotes."""
    from consult.services import waves

    # One query per round (usually one): each an aggregate over that survey's submitted
    # responses, which reads the responses' freshness index alone.
    rounds = tuple(_round_state(s.id) for s in sorted(waves.rounds(survey), key=lambda s: s.id))
    questions = sa.select(Question.id).where(Question.survey_id == survey.id)
    # Latest change of any organisation (read from its index; edits are rare); and codes,
    # coded answers and quotes by their number and ids (rows are only added and removed).
    register, *coding = db.session.execute(
        sa.select(
            sa.select(sa.func.max(Organisation.updated_at)).scalar_subquery(),
            *_count_and_ids(Code.id, Code.question_id.in_(questions)),
            *_count_and_ids(
                CodedAnswer.id,
                CodedAnswer.code_id.in_(sa.select(Code.id).where(Code.question_id.in_(questions))),
            ),
            *_count_and_ids(Quote.id, Quote.question_id.in_(questions)),
        )
    ).one()
    database = db.engine.url.render_as_string(hide_password=True)
    return (
        database,
        survey.id,
        rounds,
        str(register),
        tuple(int(value or 0) for value in coding),
    )


def _round_state(survey_id: int) -> tuple[Any, ...]:
    """A survey's submitted responses (number, latest change, sum of ids) and its design's
    version."""
    survey_changed = sa.select(Survey.updated_at).where(Survey.id == survey_id).scalar_subquery()
    count, latest, id_sum, changed = db.session.execute(
        sa.select(
            sa.func.count(Response.id),
            sa.func.max(Response.updated_at),
            sa.func.sum(Response.id),
            survey_changed,
        ).where(Response.survey_id == survey_id, Response.status == "submitted")
    ).one()
    return (survey_id, int(count), str(latest), int(id_sum or 0), str(changed))


def _count_and_ids(column: Any, where: Any) -> tuple[Any, Any]:
    table = column.table
    return (
        sa.select(sa.func.count(column)).select_from(table).where(where).scalar_subquery(),
        sa.select(sa.func.sum(column)).select_from(table).where(where).scalar_subquery(),
    )


def _renderer(kind: str) -> Callable[..., bytes]:
    if kind == "html":
        from consult.reporting.html import render_html

        return lambda data, **kw: render_html(data, **kw).encode("utf-8")
    if kind == "pdf":
        from consult.reporting.pdf import render_pdf

        return render_pdf
    if kind == "xlsx":
        from consult.reporting.xlsx import render_xlsx

        return render_xlsx
    raise ValueError(f"format must be one of {FORMATS}")


def report_data(
    survey: Survey, *, locale: str, by: str | None = None, k: int | None = None
) -> dict[str, Any]:
    """The report JSON (:func:`consult.services.reports.build`), from the cache when fresh.

    The dictionary is shared between callers: do not change it."""
    k = int(k if k is not None else current_app.config["REPORT_MIN_GROUP"])
    return _data(survey, freshness(survey), locale, by, k)


def _data(
    survey: Survey, fresh: tuple[Any, ...], locale: str, by: str | None, k: int
) -> dict[str, Any]:
    key = ("data", fresh, locale, by, k)
    data = _cache.get(key)
    if data is None:
        data = build(survey, locale=locale, by=by, k=k)
        _cache.put(key, data)
    return data


def render_report(
    survey: Survey,
    *,
    locale: str,
    kind: str = "json",
    by: str | None = None,
    k: int | None = None,
    group_by_theme: bool = False,
) -> bytes:
    """The report in one of :data:`FORMATS`, from the cache when nothing has changed.

    Raises :class:`consult.services.reports.ReportError` when it cannot be made as asked."""
    if kind not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    k = int(k if k is not None else current_app.config["REPORT_MIN_GROUP"])
    group_by_theme = group_by_theme and kind != "json"
    fresh = freshness(survey)
    key = ("out", fresh, locale, by, k, kind, group_by_theme)
    output = _cache.get(key)
    if output is None:
        data = _data(survey, fresh, locale, by, k)
        if kind == "json":
            output = to_json(data).encode("utf-8")
        else:
            output = _renderer(kind)(data, group_by_theme=group_by_theme)
        _cache.put(key, output, len(output))
    return output
