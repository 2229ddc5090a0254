"""Finnish, Swedish and English are complete for everything a user sees: every message in
the code and the templates has a translation in each (the other five languages cover the
respondent's pages; see tests/test_respond.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "pyproject.toml",
            "-k",
            "_l",
            "--no-location",
            "--project",
            "consult",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with target.open("rb") as handle:
        found = {m.id for m in read_po(handle) if m.id}
    assert len(found) > 500  # the extraction did find the messages
    return found


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_every_message_is_translated(extracted, locale) -> None:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle, locale=locale) if m.id}
    missing = sorted(
        str(mid)
        for mid in extracted
        if mid not in catalogue
        or not (
            catalogue[mid].string
            if isinstance(catalogue[mid].string, str)
            else all(catalogue[mid].string)
        )
    )
    assert missing == [], f"{len(missing)} untranslated in {locale}: {missing[:10]}"
