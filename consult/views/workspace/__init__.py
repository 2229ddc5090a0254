"""The workspace: coordinators run survey rounds and keep the register; admins manage
accounts; reviewers read the reports of their surveys. Every view declares its roles."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from consult.models import Survey
from consult.services import accounts
from consult.services.surveys import SurveyNotFound, get_survey

bp = Blueprint("workspace", __name__, url_prefix="/workspace")


def survey_or_404(key: str, *, reviewers: bool = False) -> Survey:
    """The survey with ``key``; 404 when there is none, or when a reviewer asks for a survey
    that has not been given to them (so that they cannot tell which surveys exist)."""
    try:
        survey = get_survey(key)
    except SurveyNotFound:
        abort(404)
    if current_user.role == "reviewer" and (
        not reviewers or not accounts.may_read_reports(current_user, survey)
    ):
        abort(404)
    return survey


@bp.after_request
def _private(response):  # type: ignore[no-untyped-def]
    """Workspace pages hold personal data: never kept in shared caches or the browser's."""
    response.headers["Cache-Control"] = "no-store"
    return response


from consult.views.workspace import (  # noqa: E402, F401
    coding,
    designer,
    home,
    outbox,
    preview,
    register,
    reports,
    rounds,
    structure,
    users,
)
