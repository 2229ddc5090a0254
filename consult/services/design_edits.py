"""The designer's edits as changes of a survey document (a plain dict, as in a survey file).

Each function changes ``document`` in place and raises EditError for an edit that cannot be
made; :func:`consult.services.structure.apply_document` then checks the whole result and
stores it. Keeping the edits on the document means the designer, the survey file and the
validator can never disagree about what a survey may be.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _

from consult.questions import REGISTRY
from consult.questions.scale import scale_range

KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
#: Types a display condition can look at, and how their values are offered.
CONDITION_TYPES = ("single_choice", "multiple_choice", "yes_no", "scale")


class EditError(ValueError):
    """An edit that cannot be made; ``field`` names the form field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def slug(text: str) -> str:
    """A key from a label: lower-case ASCII letters, digits and _, starting with a letter."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40] or "item"
    return key if key[0].isalpha() else "k_" + key


def sections(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document.setdefault("sections", [])


def find_section(document: dict[str, Any], key: str) -> dict[str, Any]:
    for section in sections(document):
        if section["key"] == key:
            return section
    raise EditError("section", _("There is no page %(key)s.", key=key))


def find_question(document: dict[str, Any], key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for section in sections(document):
        for question in section.get("questions", []):
            if question["key"] == key:
                return section, question
    raise EditError("question", _("There is no question %(key)s.", key=key))


def all_keys(document: dict[str, Any]) -> set[str]:
    keys = set()
    for section in sections(document):
        keys.add(section["key"])
        keys.update(q["key"] for q in section.get("questions", []))
    return keys


def _check_new_key(document: dict[str, Any], key: str) -> None:
    if not KEY.match(key or ""):
        raise EditError(
            "key",
            _("Write a key of lower-case letters a–z, digits and _, starting with a letter."),
        )
    if key in all_keys(document):
        raise EditError("key", _("The key %(key)s is in use already.", key=key))


def add_section(document: dict[str, Any], key: str, title: str, after: str | None = None) -> None:
    _check_new_key(document, key)
    section = {"key": key, "title": {document["default_locale"]: title}, "questions": []}
    items = sections(document)
    index = next((i + 1 for i, s in enumerate(items) if s["key"] == after), len(items))
    items.insert(index, section)


def set_text(item: dict[str, Any], field: str, locale: str, text: str) -> None:
    """Set one language's text of ``item[field]``; an empty text removes that language."""
    texts = dict(item.get(field) or {})
    if text.strip():
        texts[locale] = text.strip()
    else:
        texts.pop(locale, None)
    if texts:
        item[field] = texts
    else:
        item.pop(field, None)


def set_condition(item: dict[str, Any], condition: dict[str, Any] | None) -> None:
    if condition:
        item["condition"] = condition
    else:
        item.pop("condition", None)


def add_question(document: dict[str, Any], section_key: str, key: str, kind: str) -> dict[str, Any]:
    """A new question of type ``kind`` at the end of a page, with what that type needs to be
    valid (two options, a scale, two statements); the caller fills in its text."""
    _check_new_key(document, key)
    if kind not in REGISTRY:
        raise EditError("type", _("Choose a question type."))
    section = find_section(document, section_key)
    locale = document["default_locale"]
    question: dict[str, Any] = {"key": key, "type": kind, "text": {locale: key}}
    question_type = REGISTRY[kind]
    if question_type.uses_options:
        question["options"] = [
            {"key": "option_1", "text": {locale: _("Option %(number)d", number=1)}},
            {"key": "option_2", "text": {locale: _("Option %(number)d", number=2)}},
        ]
    if question_type.uses_statements:
        question["statements"] = [
            {"key": "statement_1", "text": {locale: _("Statement %(number)d", number=1)}},
            {"key": "statement_2", "text": {locale: _("Statement %(number)d", number=2)}},
        ]
    if kind in ("scale", "matrix"):
        question["settings"] = {"min": 1, "max": 5}
    section.setdefault("questions", []).append(question)
    return question


def change_type(question: dict[str, Any], kind: str, locale: str) -> None:
    """Give a question another type, keeping what still fits (refused later if answered)."""
    if kind not in REGISTRY:
        raise EditError("type", _("Choose a question type."))
    spec = REGISTRY[kind]
    question["type"] = kind
    settings = {
        k: v for k, v in (question.get("settings") or {}).items() if k in spec.settings_spec
    }
    if kind in ("scale", "matrix"):
        settings.setdefault("min", 1)
        settings.setdefault("max", 5)
    if settings:
        question["settings"] = settings
    else:
        question.pop("settings", None)
    for field, used, label in (
        ("options", spec.uses_options, _("Option %(number)d")),
        ("statements", spec.uses_statements, _("Statement %(number)d")),
    ):
        if not used:
            question.pop(field, None)
        elif not question.get(field):
            question[field] = [
                {"key": f"{field[:-1]}_{n}", "text": {locale: label % {"number": n}}}
                for n in (1, 2)
            ]


def move(document: dict[str, Any], key: str, step: int) -> None:
    """Move a page or a question one place up (-1) or down (+1); a question moves across to
    the neighbouring page at either end of its own."""
    items = sections(document)
    for index, section in enumerate(items):
        if section["key"] == key:
            target = index + step
            if 0 <= target < len(items):
                items[index], items[target] = items[target], items[index]
            return
    section, question = find_question(document, key)
    questions = section["questions"]
    index = questions.index(question)
    target = index + step
    if 0 <= target < len(questions):
        questions[index], questions[target] = questions[target], questions[index]
        return
    at = items.index(section) + step
    if 0 <= at < len(items):
        questions.remove(question)
        neighbour = items[at].setdefault("questions", [])
        if step < 0:
            neighbour.append(question)
        else:
            neighbour.insert(0, question)


def remove(document: dict[str, Any], key: str) -> None:
    """Remove a page (with its questions) or a question."""
    items = sections(document)
    for section in items:
        if section["key"] == key:
            items.remove(section)
            return
    section, question = find_question(document, key)
    section["questions"].remove(question)


def set_options(question: dict[str, Any], field: str, lines: str, locale: str) -> None:
    """Options (or statements) from lines ``key = label`` or just ``label``; a line ending in
    `` *`` asks for a text ("other, please specify"). Texts in other languages are kept for
    the keys that stay."""
    current = {o["key"]: o for o in question.get(field, [])}
    items, seen = [], set()
    for number, raw in enumerate(lines.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        specify = line.endswith(" *") or line == "*"
        line = line[:-1].strip() if specify else line
        key, sep, label = line.partition("=")
        key, label = (key.strip(), label.strip()) if sep else (slug(line), line)
        if not KEY.match(key):
            raise EditError(
                field,
                _(
                    "Line %(number)d: the key %(key)s is not lower-case letters, digits and _.",
                    number=number,
                    key=key,
                ),
            )
        if key in seen:
            raise EditError(
                field, _("Line %(number)d: the key %(key)s is there twice.", number=number, key=key)
            )
        if not label:
            raise EditError(field, _("Line %(number)d: write the text after =.", number=number))
        seen.add(key)
        item = dict(current.get(key, {"key": key}))
        item["text"] = {**(item.get("text") or {}), locale: label}
        if field == "options":
            if specify:
                item["specify"] = True
            else:
                item.pop("specify", None)
        items.append(item)
    question[field] = items


def options_text(question: dict[str, Any], field: str, locale: str, fallback: str) -> str:
    lines = []
    for item in question.get(field, []):
        texts = item.get("text") or {}
        label = texts.get(locale) or texts.get(fallback, "")
        lines.append(f"{item['key']} = {label}" + (" *" if item.get("specify") else ""))
    return "\n".join(lines)


# --- display conditions, chosen from earlier questions ---------------------------------------


def earlier_questions(document: dict[str, Any], before: str) -> list[dict[str, Any]]:
    """The questions before the page or question ``before`` that a condition can look at."""
    found = []
    for section in sections(document):
        if section["key"] == before:
            return found
        for question in section.get("questions", []):
            if question["key"] == before:
                return found
            if question["type"] in CONDITION_TYPES:
                found.append(question)
    return found


def condition_values(question: dict[str, Any], locale: str) -> list[tuple[Any, str]]:
    """The values a condition on ``question`` can compare with, and their labels."""
    if question["type"] == "yes_no":
        return [("yes", _("Yes")), ("no", _("No"))]
    if question["type"] == "scale":
        low, high = scale_range(question.get("settings") or {})
        return [(point, str(point)) for point in range(low, high + 1)]
    fallback = next(iter((question.get("options") or [{}])[0].get("text", {}) or {"": ""}))
    return [
        (
            o["key"],
            (o.get("text") or {}).get(locale) or (o.get("text") or {}).get(fallback, o["key"]),
        )
        for o in question.get("options", [])
    ]


def condition_choices(document: dict[str, Any], before: str) -> list[tuple[str, str]]:
    """Every simple condition the designer offers for ``before``: ``(code, description)``,
    the code being ``question|operator|value``."""
    locale = document["default_locale"]
    choices = []
    for question in earlier_questions(document, before):
        text = (question.get("text") or {}).get(locale, question["key"])
        for value, label in condition_values(question, locale):
            choices.append(
                (
                    f"{question['key']}|equals|{value}",
                    _("%(question)s: %(answer)s", question=text, answer=label),
                )
            )
            choices.append(
                (
                    f"{question['key']}|not_equals|{value}",
                    _("%(question)s: not %(answer)s", question=text, answer=label),
                )
            )
        choices.append((f"{question['key']}|answered|", _("%(question)s: answered", question=text)))
    return choices


def condition_code(condition: dict[str, Any] | None) -> str:
    """The choice code of a simple condition; "" for none, "complex" for all/any/any_of."""
    if not condition:
        return ""
    for operator in ("equals", "not_equals"):
        if operator in condition and "question" in condition:
            return f"{condition['question']}|{operator}|{condition[operator]}"
    if condition.get("answered") is True and "question" in condition:
        return f"{condition['question']}|answered|"
    return "complex"


def parse_condition(document: dict[str, Any], before: str, code: str) -> dict[str, Any] | None:
    """The condition a choice code stands for (None for "always shown")."""
    if not code:
        return None
    question_key, _sep, rest = code.partition("|")
    operator, _sep, raw = rest.partition("|")
    questions = {q["key"]: q for q in earlier_questions(document, before)}
    if question_key not in questions or operator not in ("equals", "not_equals", "answered"):
        raise EditError("condition", _("Choose the condition from the list."))
    if operator == "answered":
        return {"question": question_key, "answered": True}
    values = {
        str(v): v
        for v, _label in condition_values(questions[question_key], document["default_locale"])
    }
    if raw not in values:
        raise EditError("condition", _("Choose the condition from the list."))
    return {"question": question_key, operator: values[raw]}
