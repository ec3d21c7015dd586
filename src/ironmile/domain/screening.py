"""The quad-dominance screen (SCIENCE.md §8) and the posterior:anterior target it sets.

Single-leg hamstring bridge (Freckleton et al. 2014, BJSM 48:713): < 20 reps poor, 20–25
average, > 25 good (heuristic). Limb symmetry index (weaker / stronger × 100) below 90 %
flags the weaker side. Self-report "felt in the quads" and an H:Q ratio < 0.6 (Coombs &
Garbutt 2002) flag quad dominance.
"""

from __future__ import annotations

from dataclasses import dataclass

from ironmile.domain.athlete import Screen

BRIDGE_POOR_BELOW = 20
BRIDGE_GOOD_ABOVE = 25
LSI_FLAG_BELOW = 90.0
HQ_RATIO_FLAG_BELOW = 0.6
POSTERIOR_TARGET = 1.5  # weekly posterior : anterior lower-body sets
POSTERIOR_TARGET_FLAGGED = 2.0


@dataclass(frozen=True, slots=True)
class ScreenResult:
    quad_dominant: bool
    reasons: tuple[str, ...]
    weaker_side: str | None
    limb_symmetry_index: float | None

    @property
    def posterior_target(self) -> float:
        return POSTERIOR_TARGET_FLAGGED if self.quad_dominant else POSTERIOR_TARGET


def bridge_rating(reps: int) -> str:
    if reps < BRIDGE_POOR_BELOW:
        return "poor"
    if reps > BRIDGE_GOOD_ABOVE:
        return "good"
    return "average"


def limb_symmetry_index(left: int, right: int) -> float:
    """Weaker side ÷ stronger side × 100 (100 when both are zero)."""
    stronger = max(left, right)
    return 100.0 if stronger == 0 else min(left, right) / stronger * 100


def assess(screen: Screen) -> ScreenResult:
    reasons: list[str] = []
    weaker: str | None = None
    lsi: float | None = None
    left, right = screen.bridge_left_reps, screen.bridge_right_reps
    if left is not None and right is not None:
        lsi = limb_symmetry_index(left, right)
        if lsi < LSI_FLAG_BELOW:
            weaker = "left" if left < right else "right"
            reasons.append(f"single-leg bridge: {weaker} side {lsi:.0f}% of the other (< 90%)")
        for side, reps in (("left", left), ("right", right)):
            if bridge_rating(reps) == "poor":
                reasons.append(f"single-leg bridge {side}: {reps} reps (< {BRIDGE_POOR_BELOW}: poor)")
    if screen.felt_in == "quads":
        reasons.append("you feel uphill running and squats mostly in the front of the thighs")
    if screen.hq_ratio is not None and screen.hq_ratio < HQ_RATIO_FLAG_BELOW:
        reasons.append(f"hamstring:quadriceps ratio {screen.hq_ratio:.2f} (< {HQ_RATIO_FLAG_BELOW})")
    return ScreenResult(bool(reasons), tuple(reasons), weaker, lsi)
