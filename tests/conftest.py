"""Shared fixtures: the bundled example profiles, the shipped catalogue and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.catalogue import Catalogue

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES_DIR


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def runner() -> CliRunner:
    """Typer's CLI runner: `result.stdout` and `result.stderr` are captured apart (`output` mixes them)."""
    return CliRunner()
