"""The survey sheet's groups as sections: loose questions, nested groups, repeats, and
the display conditions of sections and questions."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from consult.survey_file.xlsform.conditions import (
    Asked,
    Unsupported,
    _and,
    relevant_to_condition,
)
from consult.survey_file.xlsform.mapping import consult_key
from consult.survey_file.xlsform.report import located
from consult.survey_file.xlsform.sheets import _Node, _Row

_INTRODUCTION = re.compile(r"^introduction(_\d+)?$")


class _Sections:
    """The reader's sections (mixed into the reader)."""

    def read_sections(self, tree: list[_Node], document: dict[str, Any]) -> None:
        first = tree[0] if tree else None
        if (
            first is not None
            and first.kind == "item"
            and first.row.get("type") == "note"
            and _INTRODUCTION.match(first.row.get("name"))
            and not first.row.get("relevant")
        ):
            introduction = self.texts(first.row, "label", "introduction")
            if introduction:
                document["introduction"] = introduction
            tree = tree[1:]
        self.taken = {consult_key(n.row.get("name"), "section") for n in tree if n.kind == "group"}
        loose: list[_Node] = []
        for node in [*tree, None]:
            if node is not None and node.kind != "group":
                loose.append(node)
                continue
            if loose:
                self.loose_section(loose, document["title"])
                loose = []
            if node is not None:
                self.section(node)

    def loose_section(self, nodes: list[_Node], title: dict[str, str]) -> None:
        """Questions outside any group: a section of their own, titled as the survey."""
        path = f"sections[{len(self.sections)}]"
        questions = self.container(nodes, path, None)
        if not questions:
            return
        number = len(self.sections) + 1
        while f"section_{number}" in self.taken:
            number += 1
        key = f"section_{number}"
        self.taken.add(key)
        kept = {q["key"] for q in questions}
        rows = [n.row.number for n in nodes if consult_key(n.row.get("name"), "q") in kept]
        message = _(
            "outside any group: kept in a section of its own, '%(key)s', titled as the survey",
            key=key,
        )
        self.notes.append(located("survey", rows, "", message))
        self.at(path, nodes[0].row)
        self.sections.append({"key": key, "title": dict(title), "questions": questions})

    def section(self, node: _Node) -> None:
        row = node.row
        path = f"sections[{len(self.sections)}]"
        self.at(path, row)
        self.at(f"{path}.key", row, self.survey.header("name"))
        self.at(f"{path}.questions", row, self.survey.header("type"))
        condition = self.condition(row, f"{path}.condition", _("the section is always shown"))
        name = row.get("name")
        title = self.texts(row, "label", f"{path}.title")
        if not title:
            title = {self.default: name}
            self.note(
                row,
                self.header_for(row, "label", self.default),
                _("no label: the section is titled '%(name)s'", name=name),
            )
        table = "table-list" in row.get("appearance").split() and self.is_matrix(node)
        if table:  # ODK's table of likert rows: a section holding one matrix
            questions = [self.matrix(node, f"{path}.questions[0]", None, conditioned=False)]
            description = {}
        else:
            description = self.texts(row, "hint", f"{path}.description")
            self.group_appearance(row)
            questions = self.container(node.children, path, None)
        if not questions:
            self.note(
                row,
                self.survey.header("type"),
                _("group '%(name)s' not kept: none of its questions could be kept", name=name),
            )
            return
        section: dict[str, Any] = {"key": consult_key(name, "section"), "title": title}
        if description:
            section["description"] = description
        if condition:
            section["condition"] = condition
        section["questions"] = questions
        self.key_note(row, name, section["key"])
        self.sections.append(section)

    def group_appearance(self, row: _Row) -> None:
        if row.get("appearance") and row.get("appearance") not in ("field-list", "table-list"):
            row.used.discard(self.survey.header("appearance"))

    def container(
        self, nodes: list[_Node], path: str, extra: dict | None, questions: list | None = None
    ) -> list[dict[str, Any]]:
        questions = [] if questions is None else questions
        skip = False
        for i, node in enumerate(nodes):
            if skip:
                skip = False
                continue
            if node.kind == "repeat":
                self.drop_repeat(node)
            elif node.kind == "group":
                if self.is_matrix(node):
                    question = self.matrix(node, f"{path}.questions[{len(questions)}]", extra)
                    if question:
                        questions.append(question)
                else:
                    self.flatten(node, path, extra, questions)
            else:
                question = self.question(node.row, f"{path}.questions[{len(questions)}]", extra)
                if question is None:
                    continue
                questions.append(question)
                following = nodes[i + 1] if i + 1 < len(nodes) else None
                if following is not None and following.kind == "item":
                    skip = self.absorb_specify(
                        question, node.row, following.row, f"{path}.questions[{len(questions) - 1}]"
                    )
        return questions

    def drop_repeat(self, node: _Node, inside: str | None = None) -> None:
        row = node.row
        row.use_all()
        name = row.get("name")
        if inside is None:
            message = _(
                "repeat '%(name)s' not kept: consult asks each question once per organisation",
                name=name,
            )
        else:
            message = _(
                "'%(name)s' not kept: it is inside repeat '%(repeat)s'", name=name, repeat=inside
            )
        self.note(row, self.survey.header("type"), message)
        for child in node.children:
            if child.kind in ("group", "repeat"):
                self.drop_repeat(child, inside or name)
            else:
                child.row.use_all()
                message = _(
                    "'%(name)s' not kept: it is inside repeat '%(repeat)s'",
                    name=child.row.get("name"),
                    repeat=inside or name,
                )
                self.note(child.row, self.survey.header("type"), message)

    def flatten(self, node: _Node, path: str, extra: dict | None, questions: list) -> None:
        row = node.row
        name = row.get("name")
        for _language, header in self.survey.languages("label") + self.survey.languages("hint"):
            row.used.add(header)
        self.group_appearance(row)
        message = _(
            "group '%(name)s' is inside another group: its questions were kept in the enclosing section; its label and hint were not kept",
            name=name,
        )
        self.note(row, self.survey.header("type"), message)
        condition = self.condition(row, None, _("its questions keep only their own conditions"))
        self.container(node.children, path, _and(extra, condition), questions)

    # --- conditions -----------------------------------------------------------------------

    def resolve(self, name: str) -> Asked:
        asked = self.asked.get(name)
        if asked is None:
            raise Unsupported(_("'%(name)s' is not an earlier question that was kept", name=name))
        if asked.type == "note":
            raise Unsupported(_("'%(name)s' is a note and has no answer", name=name))
        return asked

    def condition(
        self, row: _Row, path: str | None, consequence: str, extra: dict | None = None
    ) -> dict | None:
        text = row.get("relevant")
        own = None
        if text:
            header = self.survey.header("relevant")
            try:
                own = relevant_to_condition(text, self.resolve)
            except Unsupported as why:
                message = _(
                    "display condition '%(expression)s' not kept (%(reason)s): %(consequence)s",
                    expression=text,
                    reason=why,
                    consequence=consequence,
                )
                self.note(row, header, message)
            if path:
                self.at(path, row, header)
        return _and(extra, own)
