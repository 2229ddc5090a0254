"""The question form of the designer: its values from a question of the survey document,
the labels of each type's settings, and the form's fields written back into the document."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.domain import ACTION_THEMES
from consult.questions import REGISTRY
from consult.services import design_edits as edits


def setting_labels(kind: str) -> dict[str, str]:
    labels = {
        "min": _("Smallest value"),
        "max": _("Largest value"),
        "max_choices": _("At most this many choices"),
        "max_length": _("At most this many characters"),
        "max_ranked": _("At most this many ranked"),
        "decimals": _("Decimals allowed"),
        "unit": _("Unit"),
        "min_label": _("Label of the lowest point"),
        "max_label": _("Label of the highest point"),
        "dont_know": _("Offer “don't know”"),
    }
    if kind == "date":
        labels.update(min=_("Earliest date"), max=_("Latest date"))
    if kind in ("scale", "matrix"):
        labels.update(min=_("Lowest point (0 or 1)"), max=_("Highest point (3 to 11)"))
    return labels


def next_key(document: dict[str, Any], section_key: str) -> str:
    """What a new question at the end of ``section_key`` comes before (for its conditions)."""
    keys = [s["key"] for s in edits.sections(document)]
    index = keys.index(section_key) if section_key in keys else len(keys) - 1
    return keys[index + 1] if index + 1 < len(keys) else "\0"


def question_values(
    question: dict[str, Any], form: Any, locale: str, document: dict[str, Any]
) -> dict[str, Any]:
    settings = question.get("settings") or {}
    fallback = document["default_locale"]
    values = {
        "key": form.get("key", question.get("key", "")),
        "text": form.get("text", (question.get("text") or {}).get(locale, "")),
        "help": form.get("help", (question.get("help") or {}).get(locale, "")),
        "required": (form.get("required") == "y") if form else bool(question.get("required")),
        "theme": form.get("theme", question.get("theme") or ""),
        "options": form.get("options", edits.options_text(question, "options", locale, fallback)),
        "statements": form.get(
            "statements", edits.options_text(question, "statements", locale, fallback)
        ),
        "condition": form.get("condition", edits.condition_code(question.get("condition"))),
    }
    for name, rule in REGISTRY[question["type"]].settings_spec.items():
        stored = settings.get(name)
        if rule.kind == "text" and isinstance(stored, dict):
            stored = stored.get(locale, "")
        if rule.kind == "bool":
            values[f"setting_{name}"] = (
                (form.get(f"setting_{name}") == "y") if form else bool(stored)
            )
        else:
            values[f"setting_{name}"] = form.get(
                f"setting_{name}", "" if stored is None else str(stored)
            )
    return values


def fill_question(
    document: dict[str, Any],
    question: dict[str, Any],
    form: Any,
    locale: str,
    errors: dict[str, str],
) -> None:
    if not form.get("text", "").strip():
        errors["text"] = _("Write the question.")
    edits.set_text(question, "text", locale, form.get("text", "") or question["key"])
    edits.set_text(question, "help", locale, form.get("help", ""))
    if form.get("required") == "y":
        question["required"] = True
    else:
        question.pop("required", None)
    theme = form.get("theme", "")
    if theme in ACTION_THEMES:
        question["theme"] = theme
    else:
        question.pop("theme", None)
    spec = REGISTRY[question["type"]]
    try:
        if spec.uses_options:
            edits.set_options(question, "options", form.get("options", ""), locale)
        if spec.uses_statements:
            edits.set_options(question, "statements", form.get("statements", ""), locale)
    except edits.EditError as error:
        errors[error.field] = str(error)
    settings = dict(question.get("settings") or {})
    for name, rule in spec.settings_spec.items():
        raw = form.get(f"setting_{name}", "").strip()
        if rule.kind == "bool":
            if form.get(f"setting_{name}") == "y":
                settings[name] = True
            else:
                settings.pop(name, None)
            continue
        if not raw:
            if rule.kind == "text" and isinstance(settings.get(name), dict):
                texts = {k: v for k, v in settings[name].items() if k != locale}
                settings[name] = texts
                if not texts:
                    settings.pop(name)
            else:
                settings.pop(name, None)
            continue
        if rule.kind == "text":
            existing = settings.get(name) if isinstance(settings.get(name), dict) else {}
            settings[name] = {**existing, locale: raw}
        elif rule.kind in ("int", "number"):
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                errors[f"setting_{name}"] = _("Write a number.")
                continue
            settings[name] = int(number) if rule.kind == "int" or number.is_integer() else number
            if rule.kind == "int" and not number.is_integer():
                errors[f"setting_{name}"] = _("Write a whole number.")
        else:
            settings[name] = raw
    if settings:
        question["settings"] = settings
    else:
        question.pop("settings", None)
    if form.get("condition") != "complex":
        try:
            edits.set_condition(
                question,
                edits.parse_condition(document, question["key"], form.get("condition", "")),
            )
        except edits.EditError as error:
            errors[error.field] = str(error)
