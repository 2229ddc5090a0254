"""How fast a survey's answers load into columns for the analysis.

Builds a temporary SQLite instance with one survey of 30 closed questions and N submitted
responses (default 100,000), then times, in the same run:

* consult's path — ``load_columns``: one query for the packed vectors, one ``frombuffer``;
* the baseline — one JSON document of answers per response, decoded row by row in Python
  into the same columns (how a JSON-per-response design loads).

Run: ``.venv/bin/python bench/load_columns.py [--responses 100000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from consult import create_app
from consult.extensions import db
from consult.models import Organisation, Response
from consult.services.columns import load_columns
from consult.services.surveys import import_document

QUESTIONS = 30


def survey_document() -> dict:
    questions = []
    for i in range(QUESTIONS):
        kind = i % 3
        if kind == 0:
            q = {
                "type": "single_choice",
                "options": [{"key": f"o{j}", "text": {"fi": f"o{j}"}} for j in range(5)],
            }
        elif kind == 1:
            q = {"type": "scale", "settings": {"dont_know": True}}
        else:
            q = {
                "type": "multiple_choice",
                "options": [{"key": f"m{j}", "text": {"fi": f"m{j}"}} for j in range(4)],
            }
        questions.append({"key": f"q{i:02d}", "text": {"fi": f"Kysymys {i}"}, **q})
    return {
        "format": "consult-survey/1",
        "key": "bench",
        "theme": "preparedness",
        "default_locale": "fi",
        "locales": ["fi"],
        "title": {"fi": "Bench"},
        "sections": [{"key": "s", "title": {"fi": "S"}, "questions": questions}],
    }


def fill(survey, count: int, rng: np.random.Generator) -> None:
    """Insert ``count`` submitted responses: packed vectors and the JSON baseline's documents."""
    layout = survey.column_layout
    width = len(layout)
    values = np.full((count, width), np.nan)
    documents = [{} for _ in range(count)]
    for column, (key, item) in enumerate(layout):
        index = int(key[1:])
        if index % 3 == 0:
            codes = rng.integers(1, 6, count)
            values[:, column] = codes
            for row, code in enumerate(codes.tolist()):
                documents[row][key] = f"o{code - 1}"
        elif index % 3 == 1:
            points = rng.integers(0, 6, count)  # 0 stands for "don't know"
            values[:, column] = np.where(points == 0, -1, points)
            for row, point in enumerate(points.tolist()):
                documents[row][key] = "dont_know" if point == 0 else point
        else:
            chosen = rng.random(count) < 0.4
            values[:, column] = chosen
            for row in np.flatnonzero(chosen).tolist():
                documents[row].setdefault(key, []).append(item)
    connection = db.session.connection()
    connection.execute(
        sa.insert(Organisation),
        [{"name": f"Org {i}", "languages": [], "districts": []} for i in range(count)],
    )
    org_ids = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
    blobs = values.astype("<f8")
    connection.execute(
        sa.insert(Response),
        [
            {
                "survey_id": survey.id,
                "organisation_id": org_ids[i],
                "status": "submitted",
                "locale": "fi",
                "coded": blobs[i].tobytes(),
            }
            for i in range(count)
        ],
    )
    connection.execute(
        sa.text("CREATE TABLE bench_json (response_id INTEGER PRIMARY KEY, answers TEXT)")
    )
    connection.execute(
        sa.text("INSERT INTO bench_json VALUES (:id, :answers)"),
        [{"id": i + 1, "answers": json.dumps(doc)} for i, doc in enumerate(documents)],
    )
    db.session.commit()


def load_json_baseline(layout: list) -> np.ndarray:
    """The baseline: decode each response's JSON and look every column up in Python."""
    codes = {}
    rows = db.session.execute(sa.text("SELECT answers FROM bench_json ORDER BY response_id")).all()
    matrix = np.full((len(rows), len(layout)), np.nan)
    for r, (text,) in enumerate(rows):
        answers = json.loads(text)
        for c, (key, item) in enumerate(layout):
            value = answers.get(key)
            if value is None:
                if item is not None:
                    matrix[r, c] = 0.0
                continue
            if item is not None:
                matrix[r, c] = 1.0 if item in value else 0.0
            elif value == "dont_know":
                matrix[r, c] = -1.0
            elif isinstance(value, str):
                matrix[r, c] = codes.setdefault(value, int(value[1:]) + 1)
            else:
                matrix[r, c] = value
    return matrix


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE_PATH": str(Path(folder))})
        with app.app_context():
            db.create_all()
            survey, _ = import_document(survey_document())
            start = time.perf_counter()
            fill(survey, args.responses, np.random.default_rng(7))
            setup = time.perf_counter() - start
            layout = [tuple(c) for c in survey.column_layout]
            consult_s, columns = timed(lambda: load_columns(survey), args.repeat)
            baseline_s, matrix = timed(lambda: load_json_baseline(layout), max(1, args.repeat // 2))
            assert np.array_equal(columns.values, matrix, equal_nan=True), "the two loads disagree"
            db.session.remove()
            db.engine.dispose()
    print(
        f"responses: {args.responses:,}  questions: {QUESTIONS}  columns: {len(layout)}  (setup {setup:.1f} s)"
    )
    print(f"{'load into columns':<36}{'median s':>10}")
    print(f"{'consult (packed vectors)':<36}{consult_s:>10.3f}")
    print(f"{'baseline (JSON per response)':<36}{baseline_s:>10.3f}")
    print(
        f"consult is {baseline_s / consult_s:.1f}x faster; target: under 0.5 s for 100,000 responses"
    )


if __name__ == "__main__":
    main()
