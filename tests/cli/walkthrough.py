"""Replaying a document's walkthrough: the `$ ironmile …` lines of its ```shell-session blocks, in
order, in one folder, so that later commands see what earlier ones stored.

tests/docs/test_docs.py runs ```console blocks one command at a time, each in a new folder; a
walkthrough's commands share a database, so they live in shell-session blocks and are replayed here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def walkthrough(document: Path) -> list[tuple[list[str], list[str]]]:
    """Each command's arguments (after `ironmile`) with the lines the document shows after it."""
    commands: list[tuple[list[str], list[str]]] = []
    inside = False
    for line in document.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```shell-session"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            words = shlex.split(line[2:])
            assert words[0] == "ironmile", line
            commands.append((words[1:], []))
        else:
            commands[-1][1].append(line)
    return commands


def shows(expected: list[str], actual: str) -> bool:
    """`actual` is `expected`, where a `…` line stands for any lines left out; trailing spaces
    (Rich pads table titles) do not count."""
    lines = "".join(line.rstrip() + "\n" for line in actual.splitlines())
    pattern = "".join(r"(?:.*\n)*?" if line == "…" else re.escape(line.rstrip()) + r"\n" for line in expected)
    return re.fullmatch(pattern, lines) is not None
