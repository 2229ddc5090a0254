"""Choice lists read as a question's options, a scale's settings or consult's Yes and No."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.survey_file.xlsform.conditions import Asked, Unsupported, relevant_to_condition
from consult.survey_file.xlsform.languages import _per_locale
from consult.survey_file.xlsform.mapping import _question_type, consult_key
from consult.survey_file.xlsform.report import located
from consult.survey_file.xlsform.sheets import _Row


class _Choices:
    """The reader's choices (mixed into the reader)."""

    def options(
        self, rows: list[_Row], list_name: str, path: str, asked: Asked, or_other: bool
    ) -> list[dict[str, Any]]:
        names = [r.get("name") for r in rows]
        numeric = all(re.fullmatch(r"\d{1,4}", n) and 1 <= int(n) <= 9999 for n in names)
        numeric = numeric and len({int(n) for n in names}) == len(names)
        options = []
        renamed = []
        for index, (row, name) in enumerate(zip(rows, names, strict=True)):
            item_path = f"{path}[{index}]"
            key = consult_key(name, "option")
            if key != name:
                renamed.append((row, name, key))
            option: dict[str, Any] = {"key": key}
            code = row.get("consult_code")
            if code:
                option["code"] = int(code) if re.fullmatch(r"\d+", code) else code
            elif numeric and int(name) != index + 1:
                option["code"] = int(name)
            if option.get("code") == index + 1:
                del option["code"]
            text = self.texts(row, "label", f"{item_path}.text")
            if text:
                option["text"] = text
            options.append(option)
            asked.options[name] = key
            self.at(item_path, row)
            self.at(f"{item_path}.key", row, self.choices.header("name"))
            self.at(f"{item_path}.code", row, self.choices.header("consult_code"))
        if renamed and f"{list_name} keys" not in self.lists_noted:
            self.lists_noted.add(f"{list_name} keys")
            message = _(
                "list '%(list)s': %(names)s became the option keys %(keys)s",
                list=list_name,
                names=", ".join(n for _r, n, _k in renamed),
                keys=", ".join(k for _r, _n, k in renamed),
            )
            self.notes.append(
                located(
                    "choices",
                    [r.number for r, _n, _k in renamed],
                    self.choices.header("name"),
                    message,
                )
            )
        if or_other:
            other = next((o for o in options if o["key"] == "other"), None)
            if other is None:
                other = {
                    "key": "other",
                    "text": _per_locale(_l("Other, please specify"), self.locales),
                }
                options.append(other)
                asked.options["other"] = "other"
            other["specify"] = True
        return options

    def absorb_specify(self, question: dict, select: _Row, row: _Row, path: str) -> bool:
        """A text question right after a choice question, asked only when one option is
        chosen, is that option's "please specify" (consult's ``specify: true``)."""
        if question["type"] not in ("single_choice", "multiple_choice") or any(
            o.get("specify") for o in question["options"]
        ):
            return False
        name = row.values.get(self.survey.header("name"), "")
        pattern = rf"^{re.escape(select.get('name'))}_(specify|other)(_\d+)?$"
        if _question_type(" ".join(str(row.values.get(self.survey.header("type"), "")).split()))[
            0
        ] != "text" or not re.match(pattern, name):
            return False
        try:
            condition = relevant_to_condition(
                str(row.values.get(self.survey.header("relevant"), "")), self.resolve
            )
        except Unsupported:
            return False
        option = next(
            (
                o
                for o in question["options"]
                if condition == {"question": question["key"], "equals": o["key"]}
            ),
            None,
        )
        if option is None:
            return False
        option["specify"] = True
        for column in ("type", "name", "relevant", "appearance"):
            row.get(column)
        label = self.texts(row, "label")
        if label and any(label.get(loc) != text for loc, text in option["text"].items()):
            self.note(
                row,
                self.header_for(row, "label", self.default),
                _(
                    "'%(name)s' is kept as the text asked for option '%(option)s' of '%(question)s'; its label is not kept",
                    name=name,
                    option=option["key"],
                    question=question["key"],
                ),
            )
        index = question["options"].index(option)
        self.at(f"{path}.options[{index}].specify", row, self.survey.header("name"))
        return True

    def scale_settings(
        self,
        rows: list[_Row],
        settings: dict,
        path: str,
        list_name: str,
        scale: tuple[int, int, bool],
    ) -> None:
        low, high, dont_know = scale
        settings.update({"min": low, "max": high})
        if dont_know:
            settings["dont_know"] = True
        points = rows[: high - low + 1]
        for row in rows:
            row.get("name")
        for end, row, point in (("min_label", points[0], low), ("max_label", points[-1], high)):
            labels = {
                loc: text for loc, text in self.texts(row, "label").items() if text != str(point)
            }
            if labels:
                settings[end] = labels
                self.at(f"{path}.{end}", row, self.header_for(row, "label", self.default))
        for row in points[1:-1]:
            middle = self.texts(row, "label")
            if (
                any(text != row.get("name") for text in middle.values())
                and f"{list_name} middle" not in self.lists_noted
            ):
                self.lists_noted.add(f"{list_name} middle")
                self.notes.append(
                    located(
                        "choices",
                        [r.number for r in points[1:-1]],
                        self.header_for(row, "label", self.default),
                        _(
                            "list '%(list)s': labels of the middle scale points not kept (consult shows their numbers)",
                            list=list_name,
                        ),
                    )
                )
        for row in rows[high - low + 1 :]:
            self.texts(row, "label")
        self.at(f"{path}.min", points[0], self.choices.header("name"))
        self.at(f"{path}.max", points[-1], self.choices.header("name"))

    def yes_no_labels(self, rows: list[_Row]) -> None:
        for row, word in zip(rows, (_l("Yes"), _l("No")), strict=True):
            ours = _per_locale(word, self.locales)
            labels = self.texts(row, "label")
            if (
                any(ours.get(loc) != text for loc, text in labels.items())
                and "yes_no" not in self.lists_noted
            ):
                self.lists_noted.add("yes_no")
                self.notes.append(
                    located(
                        "choices",
                        [r.number for r in rows],
                        self.header_for(row, "label", self.default),
                        _(
                            "list 'yes_no': consult shows its own Yes and No; these labels are not kept"
                        ),
                    )
                )
