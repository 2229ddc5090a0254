"""Invitation and reminder messages: one per contact person with an e-mail address, in the
language of the organisation's invitation, with its personal link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from consult.extensions import db
from consult.i18n import localized
from consult.models import Organisation, Survey
from consult.models.base import utcnow
from consult.services import audit, invitations, mail, progress

KINDS = ("invitation", "reminder")


@dataclass
class Sent:
    """What happened: organisations whose message went, and those without an address."""

    sent: list[Organisation] = field(default_factory=list)
    without_address: list[Organisation] = field(default_factory=list)
    skipped_submitted: list[Organisation] = field(default_factory=list)


def _message(
    kind: str,
    survey: Survey,
    organisation: Organisation,
    locale: str,
    token: str,
    name: str,
    address: str,
) -> mail.Outgoing:
    with force_locale(locale):
        title = localized(survey.title, locale, survey.default_locale)[0]
        closes = format_datetime(survey.closes_at, "d.M.yyyy HH:mm") if survey.closes_at else None
        if kind == "reminder":
            subject = _("Reminder: %(title)s", title=title)
        else:
            subject = _("Survey: %(title)s", title=title)
        body = render_template(
            f"mail/{kind}.txt",
            survey=survey,
            title=title,
            organisation=organisation,
            contact_name=name,
            link=invitations.link(token),
            closes=closes,
        )
    return mail.Outgoing(name, address, subject, body, locale)


def send(survey: Survey, organisations: Iterable[Organisation], kind: str = "invitation") -> Sent:
    """Invite (making links where needed) or remind ``organisations`` by e-mail, and commit.

    A reminder goes only to organisations that have not submitted.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    chosen = list(organisations)
    result = Sent()
    if kind == "reminder":
        status = progress.statuses(survey)
        done = {i for i, s in status.items() if s.status == "submitted"}
        result.skipped_submitted = [o for o in chosen if o.id in done]
        chosen = [o for o in chosen if o.id not in done and o.id in status]
    issued = invitations.invite(survey, chosen)
    by_org = {i.organisation_id: i for i in invitations.of_survey(survey)}
    outgoing = []
    now = utcnow()
    for link in issued:
        organisation = link.organisation
        contacts = [c for c in organisation.contacts if c.email]
        if not contacts:
            result.without_address.append(organisation)
            continue
        invitation = by_org[organisation.id]
        for contact in contacts:
            outgoing.append(
                _message(
                    kind,
                    survey,
                    organisation,
                    invitation.locale or survey.default_locale,
                    link.token,
                    contact.name,
                    contact.email or "",
                )
            )
        if kind == "reminder":
            invitation.reminded_at = now
            invitation.reminders += 1
        else:
            invitation.sent_at = invitation.sent_at or now
        result.sent.append(organisation)
    mail.send(outgoing)
    audit.record(
        "send_" + kind,
        survey.key,
        survey=survey,
        details={"organisations": len(result.sent), "messages": len(outgoing)},
    )
    db.session.commit()
    return result
