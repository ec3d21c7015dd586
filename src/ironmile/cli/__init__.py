"""The `ironmile` command line. Exit codes, mapped in `common._guarded` and only there: 0 ok,
1 runtime failure, 2 bad input."""

from ironmile.cli import exports, plan, review, running, training  # noqa: F401  (registers the commands on the app)
from ironmile.cli.common import app


def main() -> None:
    app(prog_name="ironmile")


__all__ = ["app", "main"]
