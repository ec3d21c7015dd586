"""ironmile: strength training for runners, planned around the running week and the race calendar."""

__version__ = "0.1.0"
