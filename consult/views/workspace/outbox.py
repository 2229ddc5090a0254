"""The development outbox: messages written to instance/outbox/ instead of being sent."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template

from consult.auth import STAFF, roles_required
from consult.services import mail
from consult.views.workspace import bp


@bp.route("/outbox/")
@roles_required(*STAFF)
def outbox() -> Any:
    return render_template(
        "workspace/outbox.html",
        messages=mail.stored_messages(),
        smtp=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.route("/outbox/<name>")
@roles_required(*STAFF)
def outbox_message(name: str) -> Any:
    message = mail.read_stored(name)
    if message is None:
        abort(404)
    body = message.get_body(preferencelist=("plain",))
    return render_template(
        "workspace/outbox_message.html",
        name=name,
        message=message,
        body=body.get_content() if body is not None else "",
    )
