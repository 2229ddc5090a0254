"""How fast a survey's responses export to CSV and XLSX.

Builds a temporary SQLite instance with one survey of 20 questions of mixed types (single and
multiple choice with "other, specify", scales, matrices, rankings, yes/no, numbers, a date, a
text) and N submitted responses (default 10,000; answers drawn by the question types' own
samplers, bulk-inserted as Answer rows and packed vectors), then times, in the same run:

* consult CSV — ``build_table`` (one query for responses, organisations and packed vectors,
  one for typed texts) and ``write_csv``;
* consult XLSX — the same table through openpyxl's write-only mode, with the codebook sheet;
* the baseline — the naive way: the responses through the ORM, each response's organisation
  and Answer rows loaded by their own queries (two queries per response), each answer turned
  into cells in Python, written with the same CSV writer. Its output must equal consult's.

Run: ``.venv/bin/python bench/export_responses.py [--responses 10000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from consult import create_app
from consult.extensions import db
from consult.models import Answer, Organisation, Response, Survey
from consult.models.base import utcnow
from consult.questions import get_type
from consult.services import exports
from consult.services.responses import encode
from consult.services.surveys import import_document

PHRASES = ["Tilat ja avustukset", "=1+1", "-2 jäsentä", "@kaikki", "مساعدة في الترجمة", "Övrigt"]


def _options(prefix: str, count: int, specify: bool = False) -> list[dict[str, Any]]:
    items = [{"key": f"{prefix}{j}", "text": {"fi": f"{prefix} {j}"}} for j in range(count)]
    if specify:
        items[-1]["specify"] = True
    return items


def survey_document() -> dict[str, Any]:
    """20 questions: 4 single choice, 3 multiple choice, 3 scales, 2 matrices, 2 rankings,
    2 yes/no, 2 numbers, a date and a short text."""
    kinds: list[dict[str, Any]] = [
        *({"type": "single_choice", "options": _options("o", 5, i == 0)} for i in range(4)),
        *({"type": "multiple_choice", "options": _options("m", 5, i == 0)} for i in range(3)),
        *({"type": "scale", "settings": {"dont_know": True}} for _ in range(3)),
        *({"type": "matrix", "statements": _options("s", 4)} for _ in range(2)),
        *({"type": "ranking", "options": _options("r", 4)} for _ in range(2)),
        {"type": "yes_no"},
        {"type": "yes_no"},
        {"type": "number", "settings": {"min": -1000, "max": 100000}},
        {"type": "number", "settings": {"decimals": 2}},
        {"type": "date"},
        {"type": "short_text"},
    ]
    questions = [
        {"key": f"q{i:02d}", "text": {"fi": f"Kysymys {i}"}, **kind} for i, kind in enumerate(kinds)
    ]
    return {
        "format": "consult-survey/1",
        "key": "bench",
        "theme": "preparedness",
        "default_locale": "fi",
        "locales": ["fi"],
        "title": {"fi": "Bench"},
        "sections": [{"key": "s", "title": {"fi": "S"}, "questions": questions}],
    }


def fill(survey: Survey, count: int, rng: random.Random) -> None:
    """Insert ``count`` organisations and their submitted responses (about 1 in 10 answers
    left out), as Answer rows and packed vectors, in bulk."""
    questions = survey.ordered_questions()
    connection = db.session.connection()
    connection.execute(
        sa.insert(Organisation),
        [
            {"name": f"Yhdistys {i} ry", "languages": ["fi"], "districts": [], "theme_group": None}
            for i in range(count)
        ],
    )
    org_ids = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
    now = utcnow()
    all_answers = []
    for _ in range(count):
        lean = rng.uniform(-1, 1)
        answers = {}
        for question in questions:
            if rng.random() < 0.9:
                value = get_type(question.type).sample(
                    question, rng, lean, lambda: rng.choice(PHRASES)
                )
                answers[question.key] = value
        all_answers.append(answers)
    connection.execute(
        sa.insert(Response),
        [
            {
                "survey_id": survey.id,
                "organisation_id": org_ids[i],
                "status": "submitted",
                "locale": "fi",
                "started_at": now,
                "updated_at": now,
                "submitted_at": now,
                "coded": encode(survey, answers),
            }
            for i, answers in enumerate(all_answers)
        ],
    )
    response_ids = db.session.scalars(
        sa.select(Response.id).where(Response.survey_id == survey.id).order_by(Response.id)
    ).all()
    by_key = {q.key: q.id for q in questions}
    connection.execute(
        sa.insert(Answer),
        [
            {"response_id": rid, "question_id": by_key[key], "value": value, "text": text}
            for rid, answers in zip(response_ids, all_answers, strict=True)
            for key, (value, text) in answers.items()
        ],
    )
    db.session.commit()


def cells_from_answers(column: exports.Column, answers: dict[int, Answer]) -> Any:
    """The baseline's conversion: one cell from a response's Answer rows."""
    question = column.question
    if question is None:
        raise ValueError(column.name)
    found = answers.get(question.id)
    if found is None:
        return None
    value, text, kind = found.value, found.text, column.kind
    item = column.item.key if column.item is not None else None
    if kind in ("text", "specify"):
        return text
    if kind == "flag":
        return 1 if item in value else 0
    if kind == "rank":
        return value.index(item) + 1 if item in value else None
    if kind == "point" and item is not None:
        return value.get(item)
    if kind == "number":  # whole numbers are written without decimals
        return int(value) if float(value).is_integer() else value
    if kind == "date":
        return None if value is None else date.fromisoformat(value)
    return value


def export_baseline(survey: Survey) -> str:
    """The naive export: ORM objects, two lazy loads per response, cells built in Python."""
    columns = exports.layout(survey)
    fixed = len(exports.FIXED_COLUMNS)
    rows = []
    for response in db.session.scalars(
        sa.select(Response)
        .where(Response.survey_id == survey.id, Response.status == "submitted")
        .order_by(Response.id)
    ):
        organisation = response.organisation
        answers = {a.question_id: a for a in response.answers}
        row = [
            response.id,
            response.status,
            response.locale,
            response.submitted_at,
            response.updated_at,
            organisation.name,
            organisation.business_id,
            organisation.theme_group,
            organisation.size,
            organisation.languages,
            organisation.districts,
            organisation.city_funded,
        ]
        row += [cells_from_answers(column, answers) for column in columns[fixed:]]
        rows.append(row)
    values = [list(column) for column in zip(*rows, strict=True)]
    table = exports.Table(survey=survey, status="submitted", columns=columns, values=values)
    out = io.StringIO()
    exports.write_csv(table, out)
    return out.getvalue()


def export_csv(survey: Survey) -> str:
    out = io.StringIO()
    exports.write_csv(exports.build_table(survey), out)
    return out.getvalue()


def export_xlsx(survey: Survey) -> int:
    out = io.BytesIO()
    exports.write_xlsx(exports.build_table(survey), out, locale="fi")
    return len(out.getvalue())


def timed(function: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        db.session.expire_all()  # nothing cached between runs
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE_PATH": str(Path(folder))})
        with app.app_context():
            db.create_all()
            survey, _ = import_document(survey_document())
            start = time.perf_counter()
            fill(survey, args.responses, random.Random(7))
            setup = time.perf_counter() - start
            columns = len(exports.layout(survey))
            csv_s, text = timed(lambda: export_csv(survey), args.repeat)
            xlsx_s, size = timed(lambda: export_xlsx(survey), args.repeat)
            baseline_s, baseline = timed(lambda: export_baseline(survey), 1)
            assert text == baseline, "consult's CSV and the baseline's differ"
            assert text.count("\r\n") >= args.responses + 1
            db.session.remove()
            db.engine.dispose()
    print(
        f"responses: {args.responses:,}  questions: 20  columns: {columns}  "
        f"(setup {setup:.1f} s; CSV {len(text.encode()) / 1e6:.1f} MB, XLSX {size / 1e6:.1f} MB)"
    )
    print(f"{'export':<52}{'median s':>10}")
    print(f"{'consult CSV (packed vectors + one text query)':<52}{csv_s:>10.3f}")
    print(f"{'consult XLSX (same table, openpyxl write-only)':<52}{xlsx_s:>10.3f}")
    print(f"{'baseline CSV (ORM, 2 queries per response)':<52}{baseline_s:>10.3f}")
    print(f"consult CSV is {baseline_s / csv_s:.1f}x faster than the baseline")
    if args.responses == 10_000:
        for name, seconds, target in (("CSV", csv_s, 1.0), ("XLSX", xlsx_s, 5.0)):
            verdict = "met" if seconds < target else "NOT MET"
            print(f"target {name} under {target:.0f} s for 10,000 responses: {verdict}")


if __name__ == "__main__":
    main()
