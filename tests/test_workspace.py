"""The coordinator's workspace over HTTP: the register, inviting and reminding by e-mail
(written to the outbox), statuses and the response rate."""

from __future__ import annotations

import io
import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

import sqlalchemy as sa
from factories import answer, make_organisation, make_survey
from openpyxl import Workbook
from workspace_helpers import make_user, sign_in, token_for

from consult.extensions import db
from consult.models import AuditEntry, ContactPerson, Invitation, Organisation
from consult.services import invitations, progress
from consult.services.organisations import OrganisationData, create_organisation


def coordinator(client):
    make_user("coordinator")
    sign_in(client, "coordinator@example.org")
    return client


def org_with_contact(name: str, locale: str | None, email: str | None = None, **kw):
    data = OrganisationData(
        name=name,
        contacts=[{"name": "Contact " + name, "email": email, "phone": None, "locale": locale}],
        **kw,
    )
    organisation = create_organisation(data)
    db.session.commit()
    return organisation


def test_the_front_page_lists_surveys_with_their_response_rate(client) -> None:
    survey = make_survey()
    answer(survey, make_organisation("A ry"), {"size": "small"})
    invitations.invite(survey, [make_organisation("B ry")])
    page = coordinator(client).get("/workspace/").get_data(as_text=True)
    assert "Test survey" in page
    # two taking part (one invited, one answered), one submitted: 50 %
    assert '<td class="num">2</td>' in page and "50 %" in page


def test_creating_and_editing_an_organisation(client) -> None:
    coordinator(client)
    token = token_for(client, "/workspace/organisations/new")
    bad = client.post(
        "/workspace/organisations/new",
        data={
            "csrf_token": token,
            "name": "Uusi ry",
            "business_id": "1234567-2",
            "contact_email": "not an address",
            "languages": ["fi", "ar"],
        },
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "is not a valid business ID" in page and "is not an e-mail address" in page
    assert 'value="Uusi ry"' in page
    assert re.search(r'<input checked[^>]*value="ar"', page)  # the ticks are kept too
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0

    good = client.post(
        "/workspace/organisations/new",
        data={
            "csrf_token": token,
            "name": "Uusi ry",
            "business_id": "1234567-1",
            "theme_group": "culture",
            "languages": ["fi", "ar"],
            "city_funded": "yes",
            "contact_name": "Aino",
            "contact_email": "aino@example.org",
            "contact_language": "sv",
        },
    )
    assert good.status_code == 303
    created = db.session.scalar(sa.select(Organisation))
    assert (created.business_id, created.languages, created.city_funded) == (
        "1234567-1",
        ["fi", "ar"],
        True,
    )
    assert created.contacts[0].locale == "sv"

    other = make_organisation("Toinen ry")
    clash = client.post(
        f"/workspace/organisations/{other.id}",
        data={"csrf_token": token, "name": "uusi RY"},
    )
    assert clash.status_code == 422 and "already in the register" in clash.get_data(as_text=True)
    renamed = client.post(
        f"/workspace/organisations/{created.id}",
        data={
            "csrf_token": token,
            "name": "Uusi ry",
            "business_id": "1234567-1",
            "size": "volunteers",
        },
    )
    assert renamed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, created.id).size == "volunteers"
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("create_organisation") == 1 and actions.count("edit_organisation") == 1


def test_search_and_filters_find_organisations(client) -> None:
    coordinator(client)
    org_with_contact(
        "Kallion kulttuuri ry", "fi", "kalle@example.org", theme_group="culture", languages=["fi"]
    )
    org_with_contact(
        "Somaliyhdistys ry", "so", None, theme_group="integration", languages=["so", "fi"]
    )
    page = client.get("/workspace/organisations/?q=KALLE").get_data(as_text=True)
    assert "Kallion kulttuuri ry" in page and "Somaliyhdistys" not in page
    page = client.get("/workspace/organisations/?language=so").get_data(as_text=True)
    assert "Somaliyhdistys ry" in page and "Kallion" not in page
    page = client.get("/workspace/organisations/?q=%25&theme_group=nonsense").get_data(as_text=True)
    assert "0 organisations found" in page  # a literal %, an unknown filter ignored
    export = client.get("/workspace/organisations/export.csv?theme_group=culture")
    text = export.get_data(as_text=True)
    assert export.mimetype == "text/csv" and "Kallion kulttuuri ry" in text and "Somali" not in text


def test_import_checks_first_and_stores_nothing_until_confirmed(client) -> None:
    coordinator(client)
    token = token_for(client, "/workspace/organisations/import")
    csv_bad = (
        "name;business_id;theme_group\nHyvä ry;;culture\n;1234567-1;\nKolmas ry;;sports club\n"
    )
    response = client.post(
        "/workspace/organisations/import",
        data={"csrf_token": token, "file": (io.BytesIO(csv_bad.encode()), "register.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported: 2 problems in register.csv" in page
    assert "<td>3</td><td>name</td>" in page and "<td>4</td><td>theme_group</td>" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "business_id", "city_funded", "contact_name", "contact_email"])
    sheet.append(["Excel ry", "1234567-1", True, "Eeva", "eeva@example.org"])
    sheet.append(["Toinen Excel ry", None, None, None, None])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    checked = client.post(
        "/workspace/organisations/import",
        data={"csrf_token": token, "file": (data, "register.xlsx")},
        content_type="multipart/form-data",
    )
    assert checked.status_code == 200
    assert "2 organisations would be added. Nothing has been stored yet." in checked.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0
    done = client.post("/workspace/organisations/import/confirm", data={"csrf_token": token})
    assert done.status_code == 303
    names = set(db.session.scalars(sa.select(Organisation.name)))
    assert names == {"Excel ry", "Toinen Excel ry"}
    assert db.session.scalar(sa.select(ContactPerson.email)) == "eeva@example.org"
    again = client.post("/workspace/organisations/import/confirm", data={"csrf_token": token})
    assert again.status_code == 303  # nothing waiting: a message, nothing added twice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 2


def test_a_file_that_is_not_a_spreadsheet_is_refused_plainly(client) -> None:
    coordinator(client)
    token = token_for(client, "/workspace/organisations/import")
    for name, content in [("register.xlsx", b"not a zip"), ("register.pdf", b"%PDF")]:
        response = client.post(
            "/workspace/organisations/import",
            data={"csrf_token": token, "file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "Nothing was imported" in page


def _outbox(app) -> list:
    folder = Path(app.instance_path) / "outbox"
    return [
        BytesParser(policy=policy.default).parsebytes(p.read_bytes())
        for p in sorted(folder.glob("*.eml"))
    ]


def test_inviting_sends_each_organisation_its_link_in_its_language(app, client) -> None:
    survey = make_survey(locales=["fi", "sv", "en"])
    survey.state = "open"
    swedish = org_with_contact("Svenska föreningen rf", "sv", "anna@example.org")
    finnish = org_with_contact("Suomalainen ry", None, "matti@example.org")
    silent = org_with_contact("Osoitteeton ry", "fi", None)
    coordinator(client)
    token = token_for(client, f"/workspace/surveys/{survey.key}/organisations")
    response = client.post(
        f"/workspace/surveys/{survey.key}/send",
        data={
            "csrf_token": token,
            "kind": "invitation",
            "organisation": [str(swedish.id), str(finnish.id), str(silent.id)],
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Messages were sent to 2 organisations." in page
    assert "nothing was sent to: Osoitteeton ry" in page
    messages = {m["To"].addresses[0].addr_spec: m for m in _outbox(app)}
    assert set(messages) == {"anna@example.org", "matti@example.org"}
    swedish_mail = messages["anna@example.org"]
    assert swedish_mail["Content-Language"] == "sv"
    body = swedish_mail.get_content()
    assert ("Svenska föreningen rf" in body and "Hej" in body) or "Hej" in body
    link = next(line for line in body.splitlines() if "/r/" in line).strip()
    assert link.startswith("http://127.0.0.1:5000/r/")  # BASE_URL, never the request's host
    assert invitations.find(link.rsplit("/", 1)[1]).organisation_id == swedish.id
    assert messages["matti@example.org"]["Content-Language"] == "fi"

    # The list shows each status and the same link again, to copy.
    listing = client.get(f"/workspace/surveys/{survey.key}/organisations").get_data(as_text=True)
    assert link in listing and "Invited" in listing
    # Opening the link and answering moves the status on.
    assert client.get(link.replace("http://127.0.0.1:5000", "")).status_code == 200
    assert progress.statuses(survey)[swedish.id].status == "opened"
    answer(survey, swedish, {"size": "small"}, submitted=False)
    assert progress.statuses(survey)[swedish.id].status == "draft"


def test_a_reminder_goes_only_to_those_who_have_not_submitted(app, client) -> None:
    survey = make_survey()
    done = org_with_contact("Valmis ry", "fi", "valmis@example.org")
    pending = org_with_contact("Kesken ry", "fi", "kesken@example.org")
    invitations.invite(survey, [done, pending])
    answer(survey, done, {"size": "small"})
    coordinator(client)
    token = token_for(client, f"/workspace/surveys/{survey.key}/organisations")
    page = client.post(
        f"/workspace/surveys/{survey.key}/send",
        data={
            "csrf_token": token,
            "kind": "reminder",
            "organisation": [str(done.id), str(pending.id)],
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "A message was sent to 1 organisation." in page
    assert "Not reminded, already submitted: Valmis ry" in page
    sent = _outbox(app)
    assert [m["To"].addresses[0].addr_spec for m in sent] == ["kesken@example.org"]
    assert sent[0]["Subject"] == "Muistutus: Test survey (fi)"  # in Finnish
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.organisation_id == pending.id)
    )
    assert invitation.reminders == 1


def test_the_outbox_lists_and_shows_messages_escaped(app, client) -> None:
    survey = make_survey()
    evil = org_with_contact("<script>alert(1)</script> ry", "fi", "x@example.org")
    coordinator(client)
    token = token_for(client, f"/workspace/surveys/{survey.key}/organisations")
    client.post(
        f"/workspace/surveys/{survey.key}/send",
        data={"csrf_token": token, "kind": "invitation", "organisation": [str(evil.id)]},
    )
    listing = client.get("/workspace/outbox/").get_data(as_text=True)
    name = next(p.name for p in (Path(app.instance_path) / "outbox").glob("*.eml"))
    assert name in listing
    shown = client.get(f"/workspace/outbox/{name}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ry" in shown and "<script>alert" not in shown
    assert client.get("/workspace/outbox/..%2Fconsult.db").status_code == 404
    assert client.get("/workspace/outbox/nothing.eml").status_code == 404


def test_the_survey_page_shows_the_rate_by_group_and_day(client) -> None:
    survey = make_survey()
    culture = [make_organisation(f"K{i} ry", theme_group="culture") for i in range(3)]
    sports = make_organisation("Urheilu ry", theme_group="sports")
    invitations.invite(survey, [*culture, sports])
    answer(survey, culture[0], {"size": "small"})
    answer(survey, culture[1], {"size": "small"}, submitted=False)
    page = coordinator(client).get(f"/workspace/surveys/{survey.key}/").get_data(as_text=True)
    assert "25 % submitted: 1 of 4 organisations taking part." in page
    assert (
        'Culture</th><td class="num">3</td><td class="num">1</td><td class="num">1</td><td class="num">33 %'
        in page
    )
    assert (
        'Sports and leisure</th><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">0 %'
        in page
    )


def test_opening_and_closing_a_survey_is_recorded(client) -> None:
    survey = make_survey()
    coordinator(client)
    token = token_for(client, f"/workspace/surveys/{survey.key}/")
    client.post(
        f"/workspace/surveys/{survey.key}/state", data={"csrf_token": token, "state": "open"}
    )
    db.session.expire_all()
    assert survey.state == "open"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "change_state"))
    assert entry.actor == "coordinator@example.org" and entry.details == {
        "from": "draft",
        "to": "open",
    }


def test_responses_download_with_formulas_neutralised(client) -> None:
    survey = make_survey()
    answer(survey, make_organisation('=HYPERLINK("x") ry'), {"size": "small", "name": "@evil"})
    coordinator(client)
    csv_text = client.get(f"/workspace/surveys/{survey.key}/responses.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text and "'@evil" in csv_text
    assert ",=" not in csv_text and ",@" not in csv_text
    xlsx = client.get(f"/workspace/surveys/{survey.key}/responses.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["responses", "codebook"]
    assert client.get(f"/workspace/surveys/{survey.key}/responses.pdf").status_code == 404
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export_responses"))
    assert entry.details == {"format": "csv", "rows": 1}
