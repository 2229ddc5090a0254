"""Sending e-mail: by SMTP when MAIL_SERVER is set; otherwise (development) every message is
written to ``instance/outbox/`` as an .eml file, which the workspace lists."""

from __future__ import annotations

import re
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formataddr, make_msgid
from pathlib import Path

from flask import current_app

from consult.models.base import utcnow

OUTBOX_NAME = re.compile(r"^[0-9T]{15}-[0-9a-f]{8}\.eml$")


@dataclass(frozen=True)
class Outgoing:
    to_name: str
    to_address: str
    subject: str
    body: str
    locale: str


def build(message: Outgoing) -> EmailMessage:
    email = EmailMessage(policy=policy.SMTP)
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = formataddr((message.to_name, message.to_address))
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="consult")
    email.set_content(message.body)
    email["Content-Language"] = message.locale  # after set_content, which resets Content-*
    return email


def outbox() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send(messages: list[Outgoing]) -> int:
    """Send every message; returns how many went. SMTP errors propagate after the ones before
    them were sent (the caller records who got theirs)."""
    if not messages:
        return 0
    built = [build(m) for m in messages]
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        folder = outbox()
        folder.mkdir(parents=True, exist_ok=True)
        for email in built:
            name = f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
            (folder / name).write_bytes(email.as_bytes())
        return len(built)
    config = current_app.config
    with smtplib.SMTP(server, int(config["MAIL_PORT"]), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for email in built:
            smtp.send_message(email)
    return len(built)


@dataclass(frozen=True)
class Stored:
    name: str
    at: datetime | None
    to: str
    subject: str


def stored_messages(limit: int = 500) -> list[Stored]:
    """The messages in the outbox folder, newest first."""
    folder = outbox()
    if not folder.is_dir():
        return []
    result = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        with path.open("rb") as handle:
            headers = BytesParser(policy=policy.default).parse(handle, headersonly=True)
        try:
            at = datetime.strptime(path.name[:15], "%Y%m%dT%H%M%S")
        except ValueError:
            at = None
        result.append(
            Stored(path.name, at, str(headers["To"] or ""), str(headers["Subject"] or ""))
        )
    return result


def read_stored(name: str) -> EmailMessage | None:
    """One stored message by file name; None for a name that is not an outbox file."""
    if not OUTBOX_NAME.match(name):
        return None
    path = outbox() / name
    if not path.is_file():
        return None
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())  # type: ignore[return-value]
