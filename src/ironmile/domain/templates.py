"""Week templates: which slots each session of a week holds, by phase, session count, knee tier
and the quad-dominance screen (the "week templates" step of the planning pipeline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ironmile.domain.pain import KneeTier
from ironmile.domain.phases import Phase, PhaseWeek
from ironmile.domain.prescription import Role
from ironmile.domain.slots import (
    HINGE_DAY,
    LIGHT_DAY,
    QUAD_DOMINANT_EXTRAS,
    SINGLE_LEG_DAY,
    SQUAT_DAY,
    UPPER_DAY,
    SlotUse,
    full_body_day,
)


def week_templates(
    frame: PhaseWeek, heavy_flags: Sequence[bool], *, tier: KneeTier, quad_dominant: bool
) -> list[tuple[SlotUse, ...]]:
    """The slots of each of the week's sessions, in date order (`heavy_flags` per session)."""
    heavy = [flag for flag in heavy_flags if flag]
    main_of_week = "main_squat" if frame.index % 2 else "main_hinge"
    if not frame.phase.builds or len(heavy) == 1:
        heavy_templates = [full_body_day(main_of_week)]
    else:
        heavy_templates = [SQUAT_DAY, HINGE_DAY, SINGLE_LEG_DAY][: len(heavy)]
    light_template: tuple[SlotUse, ...] = (
        LIGHT_DAY if frame.phase in (Phase.RACE, Phase.RECOVERY) else UPPER_DAY
    )
    if tier >= KneeTier.KNEE_FRIENDLY:  # hip-dominant mains instead of loaded knee bends
        heavy_templates = [_hip_dominant(template) for template in heavy_templates]
    templates: list[tuple[SlotUse, ...]] = []
    heavy_position = 0
    for is_heavy in heavy_flags:
        if not is_heavy:
            templates.append(light_template)
            continue
        template = heavy_templates[heavy_position]
        front = _front_slots(frame, heavy_position, tier=tier)
        extra = QUAD_DOMINANT_EXTRAS.get(template[0].slot) if quad_dominant else None
        if extra and any(use.slot == extra.slot for use in template):
            extra = QUAD_DOMINANT_EXTRAS["main_hinge"]
        templates.append(front + template + ((extra,) if extra else ()))
        heavy_position += 1
    return templates


def _hip_dominant(template: tuple[SlotUse, ...]) -> tuple[SlotUse, ...]:
    return tuple(replace(use, slot="main_bridge") if use.slot == "main_squat" else use for use in template)


def _front_slots(frame: PhaseWeek, heavy_position: int, *, tier: KneeTier) -> tuple[SlotUse, ...]:
    """Isometric holds first for sore knees; jumps before heavy lifts while fresh."""
    if tier is KneeTier.KNEE_FRIENDLY:
        return (SlotUse("isometric", Role.ISOMETRIC, 0),)
    jumps = (
        frame.phase is Phase.POWER
        or frame.phase is Phase.MAINTENANCE
        or (frame.phase is Phase.STRENGTH and frame.late_in_phase)
    )
    if jumps and heavy_position < 2:
        slot = "plyometric"
        if frame.phase is Phase.POWER:
            slot = "explosive_lift" if heavy_position == 1 else "plyometric_power"
        return (SlotUse(slot, Role.PLYOMETRIC, 1),)
    return ()
