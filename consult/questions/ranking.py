"""Ranking: the options in order of importance (all, or the top ``max_ranked``)."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.questions.base import NAN, AnswerError, Phrase, QuestionSpec, QuestionType, Setting


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
        if not isinstance(value, list | tuple) or len(set(value)) != len(value):
            raise AnswerError(_l("Give each option a different place."))
        if set(value) - keys:
            raise AnswerError(_l("Rank only the options shown."))
        if len(value) != self.wanted(question):
            raise AnswerError(_l("Rank %(count)d options.", count=self.wanted(question)))
        return list(value), None

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
