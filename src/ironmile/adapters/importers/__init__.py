"""Importers: activity files and service exports, each mapped to `ironmile.domain.activity.Activity`."""
