"""Reading the shipped exercise catalogue (`ironmile/data/exercises.toml`)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from ironmile.domain.catalogue import Catalogue, catalogue_from_records

CATALOGUE_RESOURCE = "exercises.toml"


def catalogue_text() -> str:
    return resources.files("ironmile.data").joinpath(CATALOGUE_RESOURCE).read_text(encoding="utf-8")


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, parsed and checked once per process."""
    return catalogue_from_records(tomllib.loads(catalogue_text())["exercise"])
