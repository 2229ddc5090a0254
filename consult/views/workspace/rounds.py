"""A survey round: its response rate, each organisation's status and link, inviting and
reminding, opening and closing."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.auth import STAFF, roles_required
from consult.extensions import db
from consult.services import audit, invitations, messaging, progress, register
from consult.services.surveys import change_settings
from consult.views.workspace import bp, survey_or_404


def status_label(status: str) -> str:
    return {
        "not_invited": _("Not invited"),
        "invited": _("Invited"),
        "opened": _("Opened the link"),
        "draft": _("Draft saved"),
        "submitted": _("Submitted"),
    }[status]


@bp.route("/surveys/<key>/")
@roles_required(*STAFF)
def survey(key: str) -> Any:
    chosen = survey_or_404(key)
    by_id = progress.statuses(chosen)
    total = progress.Counts()
    for status in by_id.values():
        total.add(status.status)
    return render_template(
        "workspace/survey.html",
        survey=chosen,
        total=total,
        breakdowns=progress.breakdowns(chosen, by_id),
        days=progress.per_day(chosen),
        entries=audit.entries(survey=chosen, limit=20),
    )


@bp.route("/surveys/<key>/state", methods=["POST"])
@roles_required(*STAFF)
def survey_state(key: str) -> Any:
    chosen = survey_or_404(key)
    state = request.form.get("state", "")
    if state not in ("open", "closed", "draft"):
        flash(_("Choose open, closed or draft."), "warning")
        return redirect(url_for("workspace.survey", key=key)), 303
    before = chosen.state
    audit.record("change_state", chosen.key, survey=chosen, details={"from": before, "to": state})
    change_settings(chosen, state=state)
    flash(_("The survey is now: %(state)s.", state=_state_label(state)), "success")
    return redirect(url_for("workspace.survey", key=key)), 303


def _state_label(state: str) -> str:
    from consult.domain import SURVEY_STATES

    return str(SURVEY_STATES[state])


@bp.route("/surveys/<key>/organisations")
@roles_required(*STAFF)
def round_organisations(key: str) -> Any:
    chosen = survey_or_404(key)
    filters = register.Filters.from_args(request.args, chosen)
    found = register.search(filters)
    by_id = progress.statuses(chosen)
    rows = []
    for organisation in found:
        status = by_id.get(organisation.id)
        token = invitations.token_of(status.invitation) if status and status.invitation else None
        rows.append(
            {
                "organisation": organisation,
                "status": status.status if status else "not_invited",
                "invitation": status.invitation if status else None,
                "link": invitations.link(token) if token else None,
                "has_address": any(c.email for c in organisation.contacts),
            }
        )
    return render_template(
        "workspace/round_organisations.html",
        survey=chosen,
        rows=rows,
        filters=filters,
        status_label=status_label,
        statuses=progress.STATUSES,
    )


@bp.route("/surveys/<key>/send", methods=["POST"])
@roles_required(*STAFF)
def round_send(key: str) -> Any:
    """Invite or remind the organisations ticked in the list (or, with "all shown", every
    organisation the list's filters match)."""
    chosen = survey_or_404(key)
    kind = request.form.get("kind", "")
    if kind not in ("invitation", "reminder", "link_only"):
        flash(_("Choose what to do with the organisations."), "warning")
        return redirect(url_for("workspace.round_organisations", key=key)), 303
    ids = {int(i) for i in request.form.getlist("organisation") if i.isdigit()}
    organisations = [o for o in (register.get(i) for i in sorted(ids)) if o is not None]
    if not organisations:
        flash(_("Tick at least one organisation."), "warning")
        return redirect(url_for("workspace.round_organisations", key=key)), 303
    if kind == "link_only":
        issued = invitations.invite(chosen, organisations)
        flash(
            ngettext(
                "%(num)d organisation has a link now.",
                "%(num)d organisations have a link now.",
                len(issued),
            ),
            "success",
        )
    else:
        try:
            result = messaging.send(chosen, organisations, kind)
        except OSError as error:  # SMTP unreachable or refused: nothing recorded as sent
            db.session.rollback()
            flash(_("The e-mail server could not be reached: %(error)s", error=error), "warning")
            return redirect(url_for("workspace.round_organisations", key=key)), 303
        flash(
            ngettext(
                "A message was sent to %(num)d organisation.",
                "Messages were sent to %(num)d organisations.",
                len(result.sent),
            ),
            "success",
        )
        if result.without_address:
            flash(
                _(
                    "No e-mail address, so nothing was sent to: %(names)s. Copy their links from the list.",
                    names=", ".join(o.name for o in result.without_address),
                ),
                "warning",
            )
        if result.skipped_submitted:
            flash(
                _(
                    "Not reminded, already submitted: %(names)s.",
                    names=", ".join(o.name for o in result.skipped_submitted),
                ),
                "info",
            )
    back = request.form.get("back", "")
    if not back.startswith(url_for("workspace.round_organisations", key=key)):
        back = url_for("workspace.round_organisations", key=key)
    return redirect(back), 303


@bp.route("/surveys/<key>/new-link/<int:organisation_id>", methods=["POST"])
@roles_required(*STAFF)
def round_new_link(key: str, organisation_id: int) -> Any:
    """Replace an organisation's link (the old one stops working), e.g. when it leaked."""
    chosen = survey_or_404(key)
    organisation = register.get(organisation_id)
    if organisation is None:
        from flask import abort

        abort(404)
    invitations.invite(chosen, [organisation], new_link=True)
    flash(
        _("%(name)s has a new link; the old one no longer works.", name=organisation.name),
        "success",
    )
    return redirect(url_for("workspace.round_organisations", key=key)), 303


@bp.route("/surveys/<key>/responses.<kind>")
@roles_required(*STAFF)
def responses_export(key: str, kind: str) -> Any:
    """The survey's responses as CSV, XLSX (with a codebook in the interface language) or
    JSON; ``?status=all`` includes drafts."""
    import io

    from flask import Response, abort
    from flask_babel import get_locale

    from consult.services import exports

    chosen = survey_or_404(key)
    status = request.args.get("status", "submitted")
    if kind not in exports.FORMATS or status not in exports.STATUSES:
        abort(404)
    table = exports.build_table(chosen, status=status)
    audit.record(
        "export_responses", chosen.key, survey=chosen, details={"format": kind, "rows": len(table)}
    )
    db.session.commit()
    name = f"{chosen.key}-responses.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "xlsx":
        buffer = io.BytesIO()
        locale = str(get_locale())
        exports.write_xlsx(table, buffer, locale=locale if locale in ("fi", "sv", "en") else "en")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(buffer.getvalue(), mimetype=mimetype, headers=headers)
    text = io.StringIO()
    if kind == "csv":
        text.write("\ufeff")
        exports.write_csv(table, text)
        return Response(text.getvalue(), mimetype="text/csv", headers=headers)
    exports.write_json(table, text)
    return Response(text.getvalue(), mimetype="application/json", headers=headers)
