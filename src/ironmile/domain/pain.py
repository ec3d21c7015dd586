"""Knee pain tiers (SCIENCE.md §7): how reported knee pain and red flags shape exercise selection.

ironmile gives training guidance, not medical advice: the red-flag and high-pain tiers say plainly
to see a clinician.
"""

from __future__ import annotations

from enum import IntEnum

from ironmile.domain.athlete import Health

KNEE_FRIENDLY_FROM = 4  # 4–5: knee-friendly plan (zone edges are named so they can be tuned)
NO_KNEE_FLEXION_FROM = 6  # ≥ 6: no loaded knee flexion, see a clinician


class KneeTier(IntEnum):
    """Ordered from least to most restrictive."""

    NORMAL = 0  # pain 0–3: the normal plan
    KNEE_FRIENDLY = 1  # 4–5: hip-dominant, isometrics first, no plyometrics or high knee demand
    NO_KNEE_FLEXION = 2  # ≥ 6: no loaded knee flexion at all
    RED_FLAG = 3  # any red flag: no lower-body loading


def knee_tier(health: Health) -> KneeTier:
    if health.red_flags:
        return KneeTier.RED_FLAG
    if health.knee_pain >= NO_KNEE_FLEXION_FROM:
        return KneeTier.NO_KNEE_FLEXION
    if health.knee_pain >= KNEE_FRIENDLY_FROM:
        return KneeTier.KNEE_FRIENDLY
    return KneeTier.NORMAL


def knee_warnings(health: Health) -> list[str]:
    """Plain-language warnings for the plan; empty in the normal tier."""
    tier = knee_tier(health)
    if tier is KneeTier.RED_FLAG:
        flags = ", ".join(sorted(flag.replace("_", " ") for flag in health.red_flags))
        return [
            f"Knee red flags reported ({flags}): this plan has no lower-body loading. "
            "Stop loading the leg and see a clinician (doctor or physiotherapist) before you lift "
            "with it again. ironmile is training guidance, not medical advice."
        ]
    if tier is KneeTier.NO_KNEE_FLEXION:
        return [
            f"Knee pain {health.knee_pain}/10: no loaded knee bending in this plan (hip-dominant "
            "work only). Pain this high deserves a look: see a clinician (doctor or "
            "physiotherapist). ironmile is training guidance, not medical advice."
        ]
    if tier is KneeTier.KNEE_FRIENDLY:
        return [
            f"Knee pain {health.knee_pain}/10: knee-friendly plan (isometric holds first, "
            "hip-dominant lifts, no jumps or deep loaded knee bends). Pain up to 5/10 during a "
            "session is acceptable if it settles by the next morning; if it does not, or it rises "
            "week to week, lighten the aggravating exercise and see a clinician if it persists."
        ]
    return []
