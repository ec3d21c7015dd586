"""The `ironmile` command line. Exit codes, mapped in `common._guarded` and only there: 0 ok,
1 runtime failure, 2 bad input."""

# Importing a module registers its commands; `ironmile --help` lists them in this order.
from ironmile.cli import plan  # noqa: I001, F401
from ironmile.cli import exports, training, running, review, serve  # noqa: F401
from ironmile.cli.common import app


def main() -> None:
    app(prog_name="ironmile")


__all__ = ["app", "main"]
