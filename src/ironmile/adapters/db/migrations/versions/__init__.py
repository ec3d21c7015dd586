"""Revision scripts, one per schema change, named `m<revision>_<slug>.py` so they are importable."""
