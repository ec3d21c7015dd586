"""Rendering domain values for people and programs: JSON documents, plain text, Rich tables."""
