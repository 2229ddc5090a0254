"""Demo data: the three templates, about 150 fictional organisations, synthetic responses.

The responses are drawn so that groups really differ (larger organisations and safety
organisations lean one way, volunteer-run ones the other), so that reports have something
to find. Everything is seeded: running it twice adds nothing the second time.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from consult.domain import DISTRICTS, THEME_GROUPS
from consult.extensions import db
from consult.models import Organisation, Response, Survey
from consult.models.base import utcnow
from consult.questions import get_type
from consult.services import responses
from consult.services.organisations import (
    OrganisationData,
    business_id_check_digit,
    create_organisation,
)
from consult.services.surveys import import_document
from consult.survey_templates import TEMPLATES, template_document

SEED = 2026
ORGANISATION_COUNT = 150

#: Place names in the genitive, as in Finnish association names.
PLACES = [
    "Kallion",
    "Vuosaaren",
    "Malmin",
    "Herttoniemen",
    "Pasilan",
    "Kontulan",
    "Maunulan",
    "Töölön",
    "Kannelmäen",
    "Pihlajamäen",
    "Myllypuron",
    "Lauttasaaren",
    "Munkkiniemen",
    "Käpylän",
    "Arabianrannan",
    "Jakomäen",
    "Puistolan",
    "Tapanilan",
    "Oulunkylän",
    "Mellunmäen",
    "Laajasalon",
    "Kumpulan",
    "Vallilan",
    "Sörnäisten",
    "Kampin",
    "Punavuoren",
    "Haagan",
    "Pakilan",
    "Malminkartanon",
    "Itäkeskuksen",
    "Helsingin",
    "Stadin",
]
KINDS = {
    "children_families": ["perheyhdistys ry", "lapsiperheiden kerho ry"],
    "substance_abuse": ["päihdetyön yhdistys ry", "raittiusseura ry"],
    "mental_health": ["mielenterveysseura ry", "vertaistukiyhdistys ry"],
    "inequality": ["lähimmäisapu ry", "ruoka-apuyhdistys ry"],
    "youth": ["nuorisoseura ry", "partiolaiset ry"],
    "integration": ["monikulttuurinen yhdistys ry", "kotoutumisen tuki ry"],
    "older_people": ["seniorit ry", "eläkeläiset ry"],
    "disability": ["invalidiyhdistys ry", "potilasyhdistys ry"],
    "culture": ["kulttuuriyhdistys ry", "teatteriyhdistys ry"],
    "sports": ["urheiluseura ry", "liikuntaseura ry"],
    "volunteer_run": ["talkooväki ry", "vapaaehtoiset ry"],
    "local": ["asukasyhdistys ry", "kaupunginosaseura ry"],
    "environment": ["ympäristöyhdistys ry", "pyöräilijät ry"],
    "safety": ["VPK ry", "turvallisuusyhdistys ry"],
}
FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Juha",
    "Leena",
    "Mikko",
    "Sanna",
    "Timo",
    "Ulla",
    "Ville",
    "Amina",
    "Hassan",
    "Olena",
    "Dmitri",
    "Kadri",
    "Fredrik",
    "Linnea",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Nieminen",
    "Mäkinen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Lindqvist",
    "Ali",
    "Shevchenko",
    "Tamm",
    "Warsame",
    "Ivanova",
]
PHRASES = [
    "Tarvitsisimme koulutusta ja selkeät ohjeet.",
    "Tilojen saaminen on meille vaikeinta.",
    "Yhteyshenkilö kaupungilla auttaisi paljon.",
    "Tietoa pitäisi saada myös selkokielellä ja muilla kielillä.",
    "Vapaaehtoisia on vaikea sitouttaa pitkäksi aikaa.",
    "Avustushaku vie pieneltä yhdistykseltä kohtuuttomasti aikaa.",
    "Yhteistyö alueen koulujen kanssa toimii hyvin.",
    "Haluaisimme kuulla enemmän neuvottelukunnan päätöksistä.",
    "Kohderyhmämme tavoittaa parhaiten omilla kielillä ja kasvokkain.",
    "Digituki olisi tarpeen, sillä jäsenemme ovat iäkkäitä.",
    "Yhteiset harjoitukset muiden järjestöjen kanssa olisivat hyödyllisiä.",
    "Rahoituksen leikkaukset uhkaavat toimintamme jatkuvuutta.",
]
SIZE_WEIGHTS = {"volunteers": 45, "staff_1_5": 35, "staff_6_plus": 20}
SIZE_LEAN = {"volunteers": -0.55, "staff_1_5": 0.0, "staff_6_plus": 0.55}
THEME_LEAN = {"safety": 0.5, "integration": -0.25, "older_people": -0.2, "volunteer_run": -0.3}
#: Demo survey states: open ones close in the future, the closed one closed last month.
SURVEY_PLAN = {
    "preparedness": ("open", -20, 40),
    "volunteering": ("open", -10, 25),
    "small-organisations": ("closed", -75, -30),
}


#: The demo survey that anyone may answer through its open link, registering an organisation.
OPEN_LINK_TEMPLATE = "volunteering"


@dataclass(frozen=True)
class DemoSummary:
    surveys_added: int
    organisations_added: int
    responses_added: int


def business_id(rng: random.Random) -> str:
    """A random business ID with a valid check digit."""
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(7))
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"


def organisation_data(
    rng: random.Random, count: int = ORGANISATION_COUNT
) -> list[OrganisationData]:
    """``count`` fictional organisations over the theme groups and sizes, always the same."""
    groups = list(THEME_GROUPS)
    districts = [d for d in DISTRICTS if d != "whole_city"]
    names: set[str] = set()
    out = []
    for index in range(count):
        group = groups[index % len(groups)]
        name = f"{rng.choice(PLACES)} {rng.choice(KINDS[group])}"
        while name in names:
            name = f"{rng.choice(PLACES)} {rng.choice(KINDS[group])}"
        names.add(name)
        size = rng.choices(list(SIZE_WEIGHTS), weights=list(SIZE_WEIGHTS.values()))[0]
        languages = ["fi"]
        if rng.random() < 0.2:
            languages.append("sv")
        if rng.random() < 0.3 or group == "integration":
            languages.append("en")
        if group == "integration" or rng.random() < 0.08:
            languages += rng.sample(["ar", "so", "uk", "ru", "et", "other"], k=rng.randint(1, 3))
        served = (
            ["whole_city"] if rng.random() < 0.25 else rng.sample(districts, k=rng.randint(1, 3))
        )
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        out.append(
            OrganisationData(
                name=name,
                business_id=business_id(rng) if rng.random() < 0.7 else None,
                theme_group=group,
                size=size,
                languages=languages,
                districts=served,
                city_funded=rng.random()
                < {"volunteers": 0.35, "staff_1_5": 0.6, "staff_6_plus": 0.85}[size],
                contacts=[
                    {
                        "name": f"{first} {last}",
                        "email": f"{first}.{last}.{index}@example.org".lower(),
                        "phone": None,
                        "locale": rng.choice(["fi", "fi", "fi", "sv", "en"]),
                    }
                ],
            )
        )
    return out


def _lean(organisation: Organisation, rng: random.Random) -> float:
    base = SIZE_LEAN.get(organisation.size or "", 0.0) + THEME_LEAN.get(
        organisation.theme_group or "", 0.0
    )
    base += 0.15 if organisation.city_funded else -0.1
    return max(-1.0, min(1.0, base + rng.gauss(0, 0.25)))


def _profile_answers(organisation: Organisation) -> dict[str, tuple[Any, str | None]]:
    return {
        "org_theme_group": (organisation.theme_group, None),
        "org_size": (organisation.size, None),
        "org_languages": (list(organisation.languages), None),
        "org_districts": (list(organisation.districts), None),
        "org_city_funding": ("yes" if organisation.city_funded else "no", None),
    }


def synthetic_answers(
    survey: Survey, organisation: Organisation, rng: random.Random, *, complete: bool
) -> dict[str, tuple[Any, str | None]]:
    """Answers an organisation might give; only to questions its earlier answers show."""
    lean = _lean(organisation, rng)
    answers = dict(_profile_answers(organisation))
    sections = survey.sections if complete else survey.sections[: max(2, len(survey.sections) // 2)]
    for section in sections:
        for question in section.questions:
            question_type = get_type(question.type)
            if question.key in answers or not question_type.answerable:
                continue
            if question.key not in responses.visible_keys(survey, answers):
                continue
            if not question.required and rng.random() < 0.15:
                continue
            direction = -1.0 if zlib.crc32(question.key.encode()) % 4 == 0 else 1.0
            value, text = question_type.sample(
                question, rng, lean * direction, lambda: rng.choice(PHRASES)
            )
            answers[question.key] = question_type.normalise(question, value, text)
    clean, errors = responses.normalise(survey, answers)
    if errors:  # the sampler and the types disagree: a bug, not bad input
        raise AssertionError(errors)
    return clean


def try_links(survey_key: str = "preparedness-2026", count: int = 3) -> list[tuple[str, str]]:
    """Personal links of a few organisations that have not answered, to try answering.

    Links are shown once (only their hashes are kept), so each run makes new ones.
    """
    from consult.services import invitations

    survey = db.session.scalar(sa.select(Survey).where(Survey.key == survey_key))
    answered = sa.select(Response.organisation_id).where(Response.survey_id == survey.id)
    chosen = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.id.not_in(answered))
        .order_by(Organisation.id)
        .limit(count)
    ).all()
    return [(i.organisation.name, i.token) for i in invitations.invite(survey, chosen)]


def load(rng_seed: int = SEED) -> DemoSummary:
    """Add what is missing of the demo data and commit; returns what was added."""
    surveys_added = organisations_added = responses_added = 0
    now = utcnow()
    for name in TEMPLATES:
        document = template_document(name)
        survey = db.session.scalar(sa.select(Survey).where(Survey.key == document["key"]))
        if survey is None:
            survey, _warnings = import_document(document, source=name)
            state, opens, closes = SURVEY_PLAN[name]
            survey.state = state
            survey.open_link = name == OPEN_LINK_TEMPLATE
            survey.opens_at = now + timedelta(days=opens)
            survey.closes_at = now + timedelta(days=closes)
            surveys_added += 1
    db.session.commit()

    existing = set(db.session.scalars(sa.select(Organisation.name)))
    for data in organisation_data(random.Random(rng_seed)):
        if data.name not in existing:
            create_organisation(data)
            organisations_added += 1
    db.session.commit()

    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).all()
    for name in TEMPLATES:
        key = template_document(name)["key"]
        survey = db.session.scalar(sa.select(Survey).where(Survey.key == key))
        answered = set(
            db.session.scalars(
                sa.select(Response.organisation_id).where(Response.survey_id == survey.id)
            )
        )
        rng = random.Random(f"{rng_seed}:{key}")
        for organisation in organisations:
            respond = rng.random() < {
                "volunteers": 0.5,
                "staff_1_5": 0.65,
                "staff_6_plus": 0.8,
            }.get(organisation.size or "", 0.5)
            submitted = rng.random() < 0.85
            answer_rng = random.Random(f"{rng_seed}:{key}:{organisation.name}")
            if not respond or organisation.id in answered:
                continue
            answers = synthetic_answers(survey, organisation, answer_rng, complete=submitted)
            response = responses.add_response(
                survey, organisation.id, answers, locale=survey.default_locale, submitted=submitted
            )
            started = survey.opens_at + timedelta(hours=answer_rng.uniform(1, 24 * 20))
            response.started_at = min(started, now)
            response.updated_at = response.started_at + timedelta(minutes=answer_rng.uniform(5, 90))
            if submitted:
                response.submitted_at = response.updated_at
            responses_added += 1
        db.session.commit()
    return DemoSummary(surveys_added, organisations_added, responses_added)


#: The demo instance's accounts (only ever made by ``consult demo``, on a local instance).
DEMO_PASSWORD = "demo-password-2026"
DEMO_ACCOUNTS = (
    ("coordinator@example.org", "coordinator"),
    ("admin@example.org", "admin"),
    ("council@example.org", "reviewer"),
)


def accounts() -> list[tuple[str, str]]:
    """Make the demo accounts that are missing (reviewers get every survey); returns every
    demo account's e-mail and role."""
    import sqlalchemy as sa

    from consult.models import Survey, User
    from consult.services import accounts as account_service

    for email, role in DEMO_ACCOUNTS:
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            user = account_service.create_user(email, role, DEMO_PASSWORD)
            if role == "reviewer":
                account_service.set_reviewer_surveys(
                    user, list(db.session.scalars(sa.select(Survey)))
                )
    return list(DEMO_ACCOUNTS)
