"""Units: everything inside ironmile is SI (kg, m, s); conversion happens only at the edges.

The profile's `units` decides how numbers are read from the profile and shown to the runner.
"""

from __future__ import annotations

from enum import StrEnum

KG_PER_LB = 0.45359237  # exact, by definition of the international pound
M_PER_MILE = 1609.344  # exact
M_PER_KM = 1000.0


class UnitSystem(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"

    @property
    def mass_label(self) -> str:
        return "kg" if self is UnitSystem.METRIC else "lb"

    @property
    def distance_label(self) -> str:
        return "km" if self is UnitSystem.METRIC else "mi"


def kg_from_display(mass: float, units: UnitSystem) -> float:
    """A mass in the profile's units (kg or lb) as kilograms."""
    return mass if units is UnitSystem.METRIC else mass * KG_PER_LB


def display_from_kg(mass_kg: float, units: UnitSystem) -> float:
    """Kilograms in the profile's units (kg or lb)."""
    return mass_kg if units is UnitSystem.METRIC else mass_kg / KG_PER_LB


def m_from_display(distance: float, units: UnitSystem) -> float:
    """A distance in the profile's units (km or mi) as metres."""
    return distance * (M_PER_KM if units is UnitSystem.METRIC else M_PER_MILE)


def display_from_m(distance_m: float, units: UnitSystem) -> float:
    """Metres in the profile's units (km or mi)."""
    return distance_m / (M_PER_KM if units is UnitSystem.METRIC else M_PER_MILE)
