"""The register of organisations: reading a CSV file of organisations, row by row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.domain import DISTRICTS, SERVED_LANGUAGES, SIZES, THEME_GROUPS
from consult.extensions import db
from consult.i18n import CONTENT_LOCALES, INTERFACE_LOCALES
from consult.models import ContactPerson, Organisation

COLUMNS = (
    "name",
    "business_id",
    "theme_group",
    "size",
    "languages",
    "districts",
    "city_funded",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_language",
)
BUSINESS_ID = re.compile(r"^\d{7}-\d$")
CONTACT_LIMITS = {"name": 200, "email": 254, "phone": 40}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE_WORDS = {"yes", "true", "1", "kyllä", "k", "ja", "y", "x"}
FALSE_WORDS = {"no", "false", "0", "ei", "e", "nej", "n"}


@dataclass(frozen=True)
class RowProblem:
    """A problem in one cell: the row (as a spreadsheet numbers it), the column, what is wrong."""

    row: int
    column: str
    message: str

    def located(self, source: str) -> str:
        return _(
            "%(file)s: row %(row)d, column %(column)s: %(message)s",
            file=source,
            row=self.row,
            column=self.column,
            message=self.message,
        )


class ImportRefused(Exception):
    """The file was refused as a whole; ``problems`` lists every mistake."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass
class OrganisationData:
    """One organisation's attributes, checked and ready to store."""

    name: str
    business_id: str | None = None
    theme_group: str | None = None
    size: str | None = None
    languages: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    city_funded: bool | None = None
    contacts: list[dict[str, str | None]] = field(default_factory=list)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a business ID's seven digits; None when no ID has these digits."""
    weighted = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True))
    remainder = weighted % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def valid_business_id(value: str) -> bool:
    """Whether ``value`` is a Finnish business ID (Y-tunnus) with a correct check digit."""
    if not BUSINESS_ID.match(value):
        return False
    return business_id_check_digit(value[:7]) == int(value[-1])


def _vocabulary(labels: dict[str, Any]) -> dict[str, str]:
    """Accepted spellings → key: the keys, and the labels in every interface language."""
    words = {key.lower(): key for key in labels}
    for locale in INTERFACE_LOCALES:
        with force_locale(locale):
            words.update({str(label).strip().lower(): key for key, label in labels.items()})
    return words


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,|]", cell) if part.strip()]


def create_organisation(data: OrganisationData) -> Organisation:
    """A new organisation (added to the session, not committed)."""
    organisation = Organisation(
        name=data.name,
        business_id=data.business_id,
        theme_group=data.theme_group,
        size=data.size,
        languages=data.languages,
        districts=data.districts,
        city_funded=data.city_funded,
        contacts=[ContactPerson(**contact) for contact in data.contacts],
    )
    db.session.add(organisation)
    return organisation


Row = tuple[int, dict[str, str]]


def read_csv(path: str | Path) -> list[Row]:
    """The rows of a CSV file (comma- or semicolon-separated UTF-8) keyed by column, each with
    its line number as a spreadsheet shows it. Blank rows are skipped."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _(
            "the file is not UTF-8 text (byte %(offset)d); save it as CSV UTF-8", offset=error.start
        )
        raise ImportRefused([RowProblem(1, "-", message)]) from None
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = [h.strip().lower() for h in next(reader, [])]
    problems = _header_problems(headers)
    if problems:
        raise ImportRefused(problems)
    rows: list[Row] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            message = _(
                "this row has %(cells)d cells but the first row names %(columns)d columns",
                cells=len(cells),
                columns=len(headers),
            )
            problems.append(RowProblem(start, "-", message))
            continue
        rows.append(
            (
                start,
                {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)},
            )
        )
    if problems:
        raise ImportRefused(problems)
    return rows


def _header_problems(headers: list[str]) -> list[RowProblem]:
    allowed = ", ".join(COLUMNS)
    if "name" not in headers:
        message = _(
            "the first row must name the columns; 'name' is required (columns: %(columns)s)",
            columns=allowed,
        )
        return [RowProblem(1, "name", message)]
    problems = []
    for index, header in enumerate(headers):
        if header not in COLUMNS:
            column = header or str(index + 1)
            problems.append(
                RowProblem(1, column, _("unknown column (allowed: %(columns)s)", columns=allowed))
            )
        elif headers.index(header) != index:
            problems.append(RowProblem(1, header, _("this column is named twice")))
    return problems


def check_rows(
    rows: Iterable[Row], *, except_id: int | None = None
) -> tuple[list[OrganisationData], list[RowProblem]]:
    """Check each row; rows are numbered as in a spreadsheet (the header is row 1).
    ``except_id``: the organisation being edited, which may keep its own name and ID."""
    themes, sizes = _vocabulary(THEME_GROUPS), _vocabulary(SIZES)
    languages, districts = _vocabulary(SERVED_LANGUAGES), _vocabulary(DISTRICTS)
    others = Organisation.id != (except_id or 0)
    existing_ids = set(
        db.session.scalars(
            sa.select(Organisation.business_id).where(Organisation.business_id.is_not(None), others)
        )
    )
    existing_names = {
        n.lower() for n in db.session.scalars(sa.select(Organisation.name).where(others))
    }
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    problems: list[RowProblem] = []
    result: list[OrganisationData] = []

    for number, row in rows:

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(RowProblem(number, column, message))

        name = row.get("name", "")
        if not name:
            problem("name", _("the organisation's name is missing"))
        elif len(name) > 200:
            problem("name", _("the name is longer than 200 characters"))
        elif name.lower() in existing_names:
            problem("name", _("an organisation with this name is already in the register"))
        elif name.lower() in seen_names:
            problem("name", _("the same name is on row %(row)d", row=seen_names[name.lower()]))
        else:
            seen_names[name.lower()] = number
        data = OrganisationData(name=name)

        business_id = row.get("business_id", "")
        if business_id:
            if not valid_business_id(business_id):
                problem(
                    "business_id",
                    _(
                        "'%(value)s' is not a valid business ID (such as 1234567-1)",
                        value=business_id,
                    ),
                )
            elif business_id in existing_ids:
                problem(
                    "business_id",
                    _("an organisation with this business ID is already in the register"),
                )
            elif business_id in seen_ids:
                problem(
                    "business_id",
                    _("the same business ID is on row %(row)d", row=seen_ids[business_id]),
                )
            else:
                seen_ids[business_id] = number
                data.business_id = business_id

        for column, vocabulary in (("theme_group", themes), ("size", sizes)):
            cell = row.get(column, "")
            if cell:
                key = vocabulary.get(cell.lower())
                if key is None:
                    problem(
                        column,
                        _(
                            "'%(value)s' is not one of: %(allowed)s",
                            value=cell,
                            allowed=", ".join(sorted(set(vocabulary.values()))),
                        ),
                    )
                setattr(data, column, key)

        for column, vocabulary in (("languages", languages), ("districts", districts)):
            keys = []
            for part in _split(row.get(column, "")):
                key = vocabulary.get(part.lower())
                if key is None:
                    problem(
                        column,
                        _(
                            "'%(value)s' is not one of: %(allowed)s",
                            value=part,
                            allowed=", ".join(sorted(set(vocabulary.values()))),
                        ),
                    )
                elif key not in keys:
                    keys.append(key)
            setattr(data, column, keys)

        funded = row.get("city_funded", "").lower()
        if funded:
            if funded in TRUE_WORDS:
                data.city_funded = True
            elif funded in FALSE_WORDS:
                data.city_funded = False
            else:
                problem("city_funded", _("write yes or no"))

        contact = {c: row.get(f"contact_{c}", "") for c in ("name", "email", "phone", "language")}
        contact["language"] = contact["language"].lower()
        for part, limit in CONTACT_LIMITS.items():
            if len(contact[part]) > limit:
                problem(f"contact_{part}", _("write at most %(count)d characters", count=limit))
        if contact["email"] and not EMAIL.match(contact["email"]):
            problem(
                "contact_email", _("'%(value)s' is not an e-mail address", value=contact["email"])
            )
        if contact["language"] and contact["language"] not in CONTENT_LOCALES:
            problem("contact_language", _("write a language code such as fi, sv or en"))
        if any(contact.values()):
            if not contact["name"]:
                problem("contact_name", _("a contact person needs a name"))
            data.contacts.append(
                {
                    "name": contact["name"],
                    "email": contact["email"] or None,
                    "phone": contact["phone"] or None,
                    "locale": contact["language"] or None,
                }
            )
        result.append(data)
    return result, problems


def import_csv(path: str | Path) -> list[Organisation]:
    """Add every organisation in a CSV file, or none: ImportRefused lists every problem."""
    organisations, problems = check_rows(read_csv(path))
    if problems:
        raise ImportRefused(problems)
    created = [create_organisation(data) for data in organisations]
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created
