"""`python -m ironmile` runs the command-line interface."""

from ironmile.cli import main

if __name__ == "__main__":  # not when a worker process imports this module again
    main()
