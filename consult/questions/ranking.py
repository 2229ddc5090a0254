"""Ranking: the options in order of importance (all, or the top ``max_ranked``)."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from consult.questions.base import (
    NAN,
    AnswerError,
    Localise,
    Phrase,
    QuestionSpec,
    QuestionType,
    Setting,
    field_name,
)


class Ranking(QuestionType):
    key = "ranking"
    label = _l("Ranking")
    uses_options = True
    settings_spec = {"max_ranked": Setting("int", minimum=1)}

    def check_consistency(self, spec: QuestionSpec) -> list[tuple[str, Any]]:
        most = spec.settings.get("max_ranked")
        if most is not None and most > len(spec.option_keys):
            return [("settings.max_ranked", _l("is more than the number of options"))]
        return []

    def wanted(self, question: Any) -> int:
        """How many options a complete answer ranks."""
        count = len(question.options)
        return min(count, int(question.settings.get("max_ranked") or count))

    def normalise(self, question: Any, value: Any, text: str | None) -> tuple[Any, str | None]:
        if not value:
            return None, None
        keys = {o.key for o in question.options}
        if (
            not isinstance(value, list | tuple)
            or not all(isinstance(item, str) for item in value)
            or len(set(value)) != len(value)
        ):
            raise AnswerError(_l("Give each option a different place."))
        if set(value) - keys:
            raise AnswerError(_l("Rank only the options shown."))
        if len(value) != self.wanted(question):
            raise AnswerError(_l("Rank %(count)d options.", count=self.wanted(question)))
        return list(value), None

    def fields(self, question: Any, localise: Localise) -> dict[str, UnboundField]:
        places = [SelectChoice("", "–")]
        places += [SelectChoice(str(i), str(i)) for i in range(1, self.wanted(question) + 1)]
        return {
            field_name(question, o.key): SelectField(choices=places, validate_choice=False)
            for o in question.options
        }

    def form_value(self, question: Any, data: Any) -> tuple[Any, str | None]:
        """The options in the order of the places chosen; places must run 1, 2, 3 … once each."""
        places: dict[int, str] = {}
        for option in question.options:
            chosen = data.get(field_name(question, option.key))
            if chosen in (None, ""):
                continue
            try:
                place = int(chosen)
            except ValueError:
                raise AnswerError(_l("Give each option a different place.")) from None
            if place in places:
                raise AnswerError(_l("Give each option a different place."))
            places[place] = option.key
        if not places:
            return None, None
        if sorted(places) != list(range(1, len(places) + 1)):
            raise AnswerError(_l("Use the places 1 to %(count)d, each once.", count=len(places)))
        return [places[p] for p in sorted(places)], None

    def form_data(self, question: Any, value: Any, text: str | None) -> dict[str, Any]:
        place = {key: str(i + 1) for i, key in enumerate(value or [])}
        return {field_name(question, o.key): place.get(o.key, "") for o in question.options}

    def describe(
        self, question: Any, value: Any, text: str | None, localise: Localise
    ) -> list[str]:
        options = {o.key: o for o in question.options}
        return [f"{i + 1}. {localise(options[key].text)}" for i, key in enumerate(value or [])]

    def columns(self, question: Any) -> list[str | None]:
        return [o.key for o in question.options]

    def encode(self, question: Any, value: Any) -> list[float]:
        if value is None:
            return [NAN] * len(question.options)
        place = {key: i + 1 for i, key in enumerate(value)}
        return [float(place[o.key]) if o.key in place else NAN for o in question.options]

    def sample(
        self, question: Any, rng: random.Random, lean: float, phrase: Phrase
    ) -> tuple[Any, str | None]:
        options = question.options
        count = len(options)
        scored = sorted(
            options,
            key=lambda o: rng.gauss(0, 1) - lean * 1.5 * (1 - 2 * options.index(o) / (count - 1)),
        )
        return [o.key for o in scored[: self.wanted(question)]], None
