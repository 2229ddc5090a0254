"""The register in the workspace: finding organisations, editing one, importing a CSV or
XLSX file with a dry run first, spotting likely duplicates, and exporting."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.domain import DISTRICTS, SERVED_LANGUAGES, SIZES, THEME_GROUPS
from consult.extensions import db
from consult.models import ContactPerson, Organisation, Survey
from consult.services import audit, progress
from consult.services.exports import neutralise
from consult.services.organisations import (
    COLUMNS,
    ImportRefused,
    OrganisationData,
    Row,
    RowProblem,
    _header_problems,
    check_rows,
    create_organisation,
    read_csv,
)
from consult.services.tabular import read_xlsx_records

PAGE_SIZE = 50


@dataclass
class Filters:
    q: str = ""
    theme_group: str = ""
    size: str = ""
    language: str = ""
    district: str = ""
    survey: Survey | None = None
    status: str = ""  # one of progress.STATUSES, for ``survey``

    @classmethod
    def from_args(cls, args: Mapping[str, str], survey: Survey | None = None) -> Filters:
        """Filters from a query string; a value outside its vocabulary is ignored."""

        def pick(name: str, allowed: Container[str]) -> str:
            value = args.get(name, "")
            return value if value in allowed else ""

        return cls(
            q=args.get("q", "").strip()[:200],
            theme_group=pick("theme_group", THEME_GROUPS),
            size=pick("size", SIZES),
            language=pick("language", SERVED_LANGUAGES),
            district=pick("district", DISTRICTS),
            survey=survey,
            status=pick("status", progress.STATUSES) if survey is not None else "",
        )


def search(filters: Filters) -> list[Organisation]:
    """Organisations matching every filter given, by name. Languages and districts are
    matched in Python (they are JSON lists, stored the same way on SQLite and PostgreSQL)."""
    query = sa.select(Organisation).order_by(sa.func.lower(Organisation.name), Organisation.id)
    if filters.q:
        pattern = (
            "%"
            + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        contact_match = sa.select(ContactPerson.organisation_id).where(
            sa.or_(
                sa.func.lower(ContactPerson.name).like(pattern, escape="\\"),
                sa.func.lower(ContactPerson.email).like(pattern, escape="\\"),
            )
        )
        query = query.where(
            sa.or_(
                sa.func.lower(Organisation.name).like(pattern, escape="\\"),
                Organisation.business_id.like(pattern, escape="\\"),
                Organisation.id.in_(contact_match),
            )
        )
    if filters.theme_group:
        query = query.where(Organisation.theme_group == filters.theme_group)
    if filters.size:
        query = query.where(Organisation.size == filters.size)
    found = list(db.session.scalars(query))
    if filters.language:
        found = [o for o in found if filters.language in (o.languages or [])]
    if filters.district:
        found = [o for o in found if filters.district in (o.districts or [])]
    if filters.survey is not None and filters.status:
        status = progress.statuses(filters.survey)
        found = [
            o
            for o in found
            if (status[o.id].status if o.id in status else "not_invited") == filters.status
        ]
    return found


def get(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def save(
    row: dict[str, str], organisation: Organisation | None = None
) -> tuple[Organisation | None, list[RowProblem]]:
    """Create an organisation, or change ``organisation``, from form fields named as the
    import columns; with problems nothing is stored. The first contact person is the one
    edited here; others are kept."""
    checked, problems = check_rows(
        [(1, row)], except_id=organisation.id if organisation is not None else None
    )
    if problems:
        return None, problems
    data = checked[0]
    if organisation is None:
        organisation = create_organisation(data)
        db.session.flush()
        audit.record("create_organisation", organisation.name, details={"id": organisation.id})
    else:
        _update(organisation, data)
        audit.record("edit_organisation", organisation.name, details={"id": organisation.id})
    db.session.commit()
    return organisation, []


def _update(organisation: Organisation, data: OrganisationData) -> None:
    for name in (
        "name",
        "business_id",
        "theme_group",
        "size",
        "languages",
        "districts",
        "city_funded",
    ):
        setattr(organisation, name, getattr(data, name))
    if data.contacts:
        values = data.contacts[0]
        if organisation.contacts:
            first = organisation.contacts[0]
            for key, value in values.items():
                setattr(first, key, value)
        else:
            organisation.contacts.append(ContactPerson(**values))
    elif organisation.contacts:
        organisation.contacts.remove(organisation.contacts[0])


def as_row(organisation: Organisation) -> dict[str, str]:
    """An organisation as the columns of the import file (and of the export)."""
    contact = organisation.contacts[0] if organisation.contacts else None
    funded = {True: "yes", False: "no", None: ""}[organisation.city_funded]
    return {
        "name": organisation.name,
        "business_id": organisation.business_id or "",
        "theme_group": organisation.theme_group or "",
        "size": organisation.size or "",
        "languages": ";".join(organisation.languages or []),
        "districts": ";".join(organisation.districts or []),
        "city_funded": funded,
        "contact_name": contact.name if contact else "",
        "contact_email": (contact.email or "") if contact else "",
        "contact_phone": (contact.phone or "") if contact else "",
        "contact_language": (contact.locale or "") if contact else "",
    }


def read_xlsx(source: str | Path | IO[bytes]) -> list[Row]:
    """The rows of the first sheet of an .xlsx file, as read_csv gives them."""
    records = read_xlsx_records(source)
    headers = [str(h or "").strip().lower() for h in (records[0] if records else [])]
    while headers and not headers[-1]:
        headers.pop()
    problems = _header_problems(headers)
    if problems:
        raise ImportRefused(problems)
    result: list[Row] = []
    for number, cells in enumerate(records[1:], start=2):
        values = ["" if c is None else _cell_text(c) for c in cells]
        if not any(values):
            continue
        extra = [v for v in values[len(headers) :] if v]
        if extra:
            message = _(
                "this row has %(cells)d cells but the first row names %(columns)d columns",
                cells=len(headers) + len(extra),
                columns=len(headers),
            )
            raise ImportRefused([RowProblem(number, "-", message)])
        result.append(
            (number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers)})
        )
    return result


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(path: str | Path, filename: str) -> list[Row]:
    """Rows of an uploaded register file: .csv or .xlsx by its name."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    raise ImportRefused(
        [RowProblem(1, "-", _("'%(name)s' is neither a .csv nor an .xlsx file", name=filename))]
    )


def check_file(path: str | Path, filename: str) -> tuple[list[OrganisationData], list[RowProblem]]:
    """The dry run: what the file would add, and every problem; stores nothing."""
    try:
        rows = read_file(path, filename)
    except ImportRefused as refused:
        return [], refused.problems
    return check_rows(rows)


def import_file(path: str | Path, filename: str) -> list[Organisation]:
    """Add every organisation of the file, or none (ImportRefused lists the problems)."""
    organisations, problems = check_file(path, filename)
    if problems:
        raise ImportRefused(problems)
    created = [create_organisation(data) for data in organisations]
    audit.record("import_organisations", filename[:200], details={"added": len(created)})
    db.session.commit()
    return created


_NOISE = re.compile(r"\b(ry|r\.y\.|rf|r\.f\.|ry\.|ab|oy)\b|[^\w\s]", re.IGNORECASE)


def _name_key(name: str) -> str:
    return " ".join(_NOISE.sub(" ", name.lower()).split())


def likely_duplicates() -> list[list[Organisation]]:
    """Groups of organisations whose names are the same once case, punctuation and the
    association suffix (ry, rf, …) are left out. Business IDs are unique already."""
    groups: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in db.session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        groups[_name_key(organisation.name)].append(organisation)
    return [group for key, group in sorted(groups.items()) if key and len(group) > 1]


def export_csv(organisations: list[Organisation]) -> str:
    """The organisations in the import file's layout (so an export can be imported again)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for organisation in organisations:
        row = as_row(organisation)
        writer.writerow([neutralise(row[c]) for c in COLUMNS])
    return out.getvalue()
