"""The documentation stays true: its commands run, its examples parse, its field lists match the code.

Conventions README.md and docs/*.md follow, and these tests rely on:

- In ```console and ```sh blocks, a line starting with `$ ` is a command; the lines after it, up
  to the next command, are its output, where a line holding only `…` stands for output left out.
  Lines without `$ ` before any command (such as `make run`) are not run.
- A command is run when, after an optional `uv run` (and `--frozen`), it starts with `ironmile`,
  unless it is a usage synopsis with placeholders such as `[OPTIONS]` or `{ID}` (docs/cli.md).
  It runs from the repository root; `cp FILE NAME` earlier in the same document copies a
  repository file to NAME, and NAME and any `--out` or `--pdf` file live in a temporary folder.
- An HTML comment `<!-- doc-test: ROLE -->` on the line before a block gives the block a role:
  `complete-profile`, `bad-profile` and `errors` (docs/profile.md), and
  `trimmed-output-of COMMAND` (docs/plan-json.md).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import tomllib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
from click.testing import Result
from pydantic import BaseModel
from typer.testing import CliRunner

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.profile_toml import ProfileIn
from ironmile.cli import app

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PROFILE_DOC = ROOT / "docs" / "profile.md"
PLAN_JSON_DOC = ROOT / "docs" / "plan-json.md"
DOCS = (README, *sorted((ROOT / "docs").glob("*.md")))
LEFT_OUT = "…"
MARKER = re.compile(r"^<!--\s*doc-test:\s*(.+?)\s*-->$")
TABLE_FIELD = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
SYNOPSIS = re.compile(r"^(\[.*\]|\{.*\}|<.*>|.*\.\.\.)$")


# ------------------------------------------------------------------------------------------------
# Reading the documents
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language, its lines and its doc-test role, if any."""

    path: Path
    line: int  # 1-based line of the opening fence
    info: str
    lines: tuple[str, ...]
    role: str | None

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    position = 0
    while position < len(lines):
        fence = re.match(r"^```(\S*)\s*$", lines[position])
        if fence is None:
            position += 1
            continue
        end = position + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        before = position - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        marker = MARKER.match(lines[before].strip()) if before >= 0 else None
        found.append(
            Block(
                path,
                position + 1,
                fence.group(1),
                tuple(lines[position + 1 : end]),
                marker.group(1) if marker else None,
            )
        )
        position = end + 1
    return found


def section(path: Path, heading: str) -> str:
    """The text under a `## heading`, up to the next `## ` heading."""
    text = path.read_text(encoding="utf-8")
    _, found, rest = text.partition(f"\n## {heading}\n")
    assert found, f"{path.name} has no '## {heading}' section"
    return rest.split("\n## ", 1)[0]


# ------------------------------------------------------------------------------------------------
# Documented commands
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    block: Block
    words: tuple[str, ...]
    output: tuple[str, ...] | None  # what the docs show it printing, if anything
    copies: tuple[tuple[str, str], ...]  # `cp SOURCE NAME` seen before it in the same document

    @property
    def id(self) -> str:
        return f"{self.block.where}: {' '.join(self.words)}"


def shell_words(line: str) -> tuple[str, ...]:
    words = shlex.split(line, comments=True)
    return tuple(words[: words.index("|")] if "|" in words else words)


def ironmile_args(words: tuple[str, ...]) -> list[str] | None:
    """The arguments after `ironmile`, or None when the command is not an ironmile command."""
    if words[:2] == ("uv", "run"):
        words = words[2:]
        if words[:1] == ("--frozen",):
            words = words[1:]
    return list(words[1:]) if words[:1] == ("ironmile",) else None


def commands_in(path: Path) -> Iterator[Command]:
    copies: list[tuple[str, str]] = []
    for block in blocks(path):
        if block.info not in ("console", "sh"):
            continue
        entries: list[tuple[str, list[str]]] = []
        for line in block.lines:
            if line.startswith("$ "):
                entries.append((line[2:], []))
            elif entries:
                entries[-1][1].append(line)
        for line, shown in entries:
            words = shell_words(line)
            if words[:1] == ("cp",):
                copies.append((words[1], words[2]))
                continue
            if ironmile_args(words) is None or any(SYNOPSIS.match(word) for word in words):
                continue
            while shown and not shown[-1].strip():
                shown.pop()
            output = tuple(shown) if shown else None
            yield Command(block, words, output, tuple(copies))


DOCUMENTED_COMMANDS = [command for path in DOCS for command in commands_in(path)]


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


def run_documented(
    words: tuple[str, ...],
    copies: tuple[tuple[str, str], ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Result:
    """Run a documented ironmile command from the repository root, its files kept in tmp_path."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "120")  # the width the docs' tables were captured at
    renamed = {}
    for source, name in copies:
        shutil.copy(ROOT / source, tmp_path / name)
        renamed[name] = str(tmp_path / name)
    args = ironmile_args(words)
    assert args is not None
    args = [renamed.get(arg, arg) for arg in args]
    for position, arg in enumerate(args[:-1]):
        if arg in ("--out", "-o", "--pdf"):
            args[position + 1] = str(tmp_path / Path(args[position + 1]).name)
    return invoke(args)


def shows(expected: tuple[str, ...], actual: str) -> bool:
    """Whether `actual` is what `expected` shows, where a `…` line stands for left-out lines."""
    lines = [line.rstrip() for line in actual.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    chunks: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == LEFT_OUT:
            chunks.append([])
        else:
            chunks[-1].append(line.rstrip())
    if len(chunks) == 1:
        return lines == chunks[0]
    first, *middle, last = chunks
    if lines[: len(first)] != first:
        return False
    position = len(first)
    for chunk in middle:
        found = next(
            (
                start
                for start in range(position, len(lines) - len(chunk) + 1)
                if lines[start : start + len(chunk)] == chunk
            ),
            None,
        )
        if found is None:
            return False
        position = found + len(chunk)
    return not last or (len(lines) - len(last) >= position and lines[len(lines) - len(last) :] == last)


# ------------------------------------------------------------------------------------------------
# The profile models
# ------------------------------------------------------------------------------------------------


def nested_model(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The pydantic model inside an annotation, and how the path reaches it ("", "[]", ".<id>")."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            model, suffix = nested_model(arg)
            if model is not None:
                return model, suffix
    if origin is list and args:
        model, suffix = nested_model(args[0])
        return (model, "[]" + suffix) if model is not None else (None, "")
    if origin is dict and len(args) == 2:
        model, suffix = nested_model(args[1])
        return (model, ".<id>" + suffix) if model is not None else (None, "")
    return None, ""


def model_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every leaf field of a profile model, e.g. `races[].date`, `lifts.<id>.rir`."""
    for name, field in model.model_fields.items():
        inner, suffix = nested_model(field.annotation)
        if inner is None:
            yield f"{prefix}{name}"
        else:
            yield from model_paths(inner, f"{prefix}{name}{suffix}.")


def toml_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """The leaf fields a profile document uses, named like `model_paths` names them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from toml_paths(item, f"{prefix}{'<id>' if prefix == 'lifts.' else key}.")
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for item in value:
            yield from toml_paths(item, f"{prefix[:-1]}[].")
    else:
        yield prefix[:-1]


PROFILE_FIELDS = set(model_paths(ProfileIn))


def blocks_with_role(path: Path, role: str) -> list[Block]:
    return [block for block in blocks(path) if block.role == role]


def bad_profiles() -> list[tuple[Block, Block]]:
    """Each `bad-profile` block of docs/profile.md with the `errors` block that follows it."""
    pairs = []
    profile: Block | None = None
    for block in blocks(PROFILE_DOC):
        if block.role == "bad-profile":
            profile = block
        elif block.role == "errors":
            assert profile is not None, f"{block.where}: errors without a bad-profile before them"
            pairs.append((profile, block))
            profile = None
    return pairs


# ------------------------------------------------------------------------------------------------
# The plan JSON
# ------------------------------------------------------------------------------------------------


def json_paths(value: Any, path: str = "") -> Iterator[str]:
    """Every field of a plan document, e.g. `weeks`, `weeks[].runs`, `weeks[].runs[].race`."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            yield child
            yield from json_paths(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from json_paths(item, f"{path}[]")


def is_trimmed_from(part: Any, whole: Any) -> bool:
    """`part` is `whole` with list items left out: every object keeps all its fields and values."""
    if isinstance(part, dict):
        return (
            isinstance(whole, dict)
            and set(part) == set(whole)
            and all(is_trimmed_from(value, whole[key]) for key, value in part.items())
        )
    if isinstance(part, list):
        if not isinstance(whole, list):
            return False
        remaining = iter(whole)
        return all(any(is_trimmed_from(item, candidate) for candidate in remaining) for item in part)
    return type(part) is type(whole) and part == whole


# ------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------


def test_readme_first_code_block_is_exactly_make_run_and_make_test() -> None:
    text = README.read_text(encoding="utf-8")
    first = blocks(README)[0]
    commands = [line.strip() for line in first.lines if line.strip() and not line.strip().startswith("#")]
    assert commands == ["make run", "make test"]
    first_section = text.index("\n## ")
    assert text.index("```") < first_section, "the set-up commands belong near the top, before any section"


def test_documented_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))
    documented = {
        words[1]
        for path in DOCS
        for block in blocks(path)
        if block.info in ("sh", "console")
        for line in block.lines
        if line.removeprefix("$ ").startswith("make ")  # other lines may continue a command (`\`)
        if (words := shell_words(line.removeprefix("$ ")))[:1] == ("make",) and len(words) > 1
    }
    assert documented, "README.md shows no make commands"
    assert documented <= targets


def test_docs_show_ironmile_commands() -> None:
    shown = {path.name for path in (command.block.path for command in DOCUMENTED_COMMANDS)}
    assert {"README.md", "profile.md", "plan-json.md", "exercises.md"} <= shown


@pytest.mark.parametrize("command", DOCUMENTED_COMMANDS, ids=lambda command: command.id)
def test_documented_command_runs(command: Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_documented(command.words, command.copies, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    if command.output is not None:
        assert shows(command.output, result.stdout), (
            f"{command.block.where}: the output shown is not what the command prints:\n{result.stdout}"
        )


def test_every_cli_command_and_option_is_documented() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in DOCS)

    def walk(command: click.Command, name: str) -> Iterator[tuple[str, click.Command]]:
        yield name, command
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                yield from walk(sub, f"{name} {sub_name}")

    missing = []
    for name, command in walk(typer.main.get_command(app), "ironmile"):
        if not re.search(rf"{re.escape(name)}(?![\w-])", text):
            missing.append(name)
        for parameter in command.params:
            for option in parameter.opts:
                if (
                    option.startswith("--")
                    and option != "--help"
                    and not re.search(rf"{re.escape(option)}(?![\w-])", text)
                ):
                    missing.append(f"{name} {option}")
    assert not missing, f"not mentioned in README.md or docs/: {missing}"


def test_profile_doc_lists_exactly_the_model_fields() -> None:
    documented = set(TABLE_FIELD.findall(section(PROFILE_DOC, "Field reference")))
    assert documented - PROFILE_FIELDS == set(), "documented in docs/profile.md but not in ProfileIn"
    assert PROFILE_FIELDS - documented == set(), "fields of ProfileIn missing from docs/profile.md"


def test_complete_example_profile_uses_every_field() -> None:
    [example] = blocks_with_role(PROFILE_DOC, "complete-profile")
    assert set(toml_paths(tomllib.loads(example.text))) == PROFILE_FIELDS


def test_complete_example_profile_plans(tmp_path: Path) -> None:
    [example] = blocks_with_role(PROFILE_DOC, "complete-profile")
    profile = tmp_path / "complete.toml"
    profile.write_text(example.text, encoding="utf-8")
    result = invoke(["plan", "--profile", str(profile), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema"] == "ironmile.plan/1"


@pytest.mark.parametrize(("profile", "errors"), bad_profiles(), ids=lambda block: block.where)
def test_documented_validation_errors_are_what_ironmile_prints(
    profile: Block, errors: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.toml").write_text(profile.text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["plan", "--profile", "bad.toml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == list(errors.lines)


def test_profile_doc_has_bad_profile_examples() -> None:
    assert len(bad_profiles()) >= 2


def test_toml_and_json_examples_parse() -> None:
    catalogue = load_catalogue()
    for path in DOCS:
        for block in blocks(path):
            if block.info == "json":
                json.loads(block.text)
            elif block.info == "toml":
                document = tomllib.loads(block.text)
                if block.role != "bad-profile":
                    unknown = set(document.get("lifts", {})) - {exercise.id for exercise in catalogue}
                    assert not unknown, f"{block.where}: not catalogue ids: {unknown}"


def test_plan_json_doc_lists_exactly_the_fields_plans_have(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    fields: set[str] = set()
    for profile in sorted((ROOT / "examples").glob("*.toml")):
        result = invoke(["plan", "--profile", str(profile.relative_to(ROOT)), "--format", "json"])
        assert result.exit_code == 0, result.output
        fields |= set(json_paths(json.loads(result.stdout)))
    documented = set(TABLE_FIELD.findall(section(PLAN_JSON_DOC, "Fields")))
    assert documented - fields == set(), "documented in docs/plan-json.md but not in any example plan"
    assert fields - documented == set(), "plan fields missing from docs/plan-json.md"


def test_plan_json_example_is_trimmed_from_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = [
        block for block in blocks(PLAN_JSON_DOC) if (block.role or "").startswith("trimmed-output-of ")
    ]
    assert examples, "docs/plan-json.md has no example marked trimmed-output-of"
    for block in examples:
        assert block.role is not None
        words = shell_words(block.role.removeprefix("trimmed-output-of "))
        result = run_documented(words, (), tmp_path, monkeypatch)
        assert result.exit_code == 0, result.output
        assert is_trimmed_from(json.loads(block.text), json.loads(result.stdout)), block.where


def test_exercise_ids_named_in_docs_exist() -> None:
    ids = {exercise.id for exercise in load_catalogue()}
    text = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")
    fixed = text.split("The main lifts have fixed ids", 1)[1]
    named = set(re.findall(r"`([a-z0-9_]+)`", fixed))
    assert named, "docs/exercises.md lists no fixed ids"
    assert named <= ids


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_relative_links_resolve() -> None:
    broken = []
    for path in DOCS:
        for target in LINK.findall(path.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists() or (anchor and anchor not in _anchors(linked)):
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken
