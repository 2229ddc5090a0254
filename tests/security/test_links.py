"""Links in e-mail come from BASE_URL, never from the request: a spoofed Host header never
reaches a message; link tokens carry 256 bits and only their hash is stored."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import sqlalchemy as sa
from factories import make_survey

from consult.extensions import db
from consult.models import Invitation
from consult.services import messaging
from consult.services.organisations import OrganisationData, create_organisation

HOSTS = [
    "evil.example",
    "consult.example.org.evil.example",
    "127.0.0.1:6666",
    "[::1]:80",
    "ä.example",
]


def test_a_spoofed_host_never_reaches_an_email(app, tally) -> None:
    survey = make_survey()
    organisation = create_organisation(
        OrganisationData(
            name="Kohde ry",
            contacts=[{"name": "K", "email": "k@example.org", "phone": None, "locale": "fi"}],
        )
    )
    db.session.commit()
    tried, failed = 0, []
    for host in HOSTS:
        for kind in ("invitation", "reminder"):
            with app.test_request_context(
                "/workspace/", headers={"Host": host, "X-Forwarded-Host": host}
            ):
                messaging.send(survey, [organisation], kind)
            tried += 1
    for path in (Path(app.instance_path) / "outbox").glob("*.eml"):
        body = BytesParser(policy=policy.default).parsebytes(path.read_bytes()).get_content()
        links = [line.strip() for line in body.splitlines() if "/r/" in line]
        if not links or any(not link.startswith(app.config["BASE_URL"] + "/r/") for link in links):
            failed.append(f"{path.name}: {links}")
    assert tried == 2 * len(HOSTS)
    tally(tried, failed)


def test_tokens_are_long_random_and_stored_only_as_hashes(app, tally) -> None:
    from consult.services import invitations

    survey = make_survey()
    organisations = [
        create_organisation(OrganisationData(name=f"Järjestö {i} ry")) for i in range(200)
    ]
    db.session.commit()
    issued = invitations.invite(survey, organisations)
    tokens = [i.token for i in issued]
    stored = set(db.session.scalars(sa.select(Invitation.token_hash)))
    failed = [t for t in tokens if len(t) < 43 or t in stored]  # 43 base64url chars = 256 bits
    failed += ["duplicate"] * (len(tokens) - len(set(tokens)))
    tally(len(tokens), failed)
