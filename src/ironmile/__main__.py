"""`python -m ironmile` runs the command-line interface."""

from ironmile.cli import main

main()
