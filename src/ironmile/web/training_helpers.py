"""Training as the web shows it: loads (shared by the Today page and the training API), logged
sets and the Today page's exercise cards, formatted once so templates only lay them out."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ironmile.domain.activity import Activity
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.today import DayTarget
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import UnitSystem, display_from_kg, display_from_m
from ironmile.render.plan_text import rest_text
from ironmile.services.gym_day import GymDay, needs_load_text

# Loads on a bar or a rack come in quarter steps (1.25 kg plates, 2.5 lb plates, 0.25 kg change
# plates): such a load is shown exactly. Any other (a set logged in kg, shown after switching to
# pounds: 8 kg is 17.637 lb) is shown to the tenth, as the rest of the page shows masses.
LOAD_QUARTER = 0.25
LOAD_QUARTER_TOLERANCE = 0.005  # a stored kg value read back in its own units lands this close


def display_load(load_kg: float | None, units: UnitSystem) -> float | None:
    """A stored load (kg) in the profile's units, to the hundredth (135 lb, not 134.99999): for
    the API, which clients compute with."""
    return None if load_kg is None else round(display_from_kg(load_kg, units), 2)


def load_shown(load_kg: float, units: UnitSystem) -> float:
    """A stored load (kg) in the profile's units as a page shows it: exact on a quarter step,
    else to the tenth (17.6 lb, never 17.64 lb)."""
    value = display_from_kg(load_kg, units)
    quarters = round(value / LOAD_QUARTER) * LOAD_QUARTER
    return quarters if abs(value - quarters) <= LOAD_QUARTER_TOLERANCE else round(value, 1)


def load_text(load_kg: float, units: UnitSystem) -> str:
    """A stored load as a page shows it, with its unit: "17.6 lb", "77.5 kg", "61.25 kg"."""
    return f"{load_shown(load_kg, units):g} {units.mass_label}"


@dataclass(frozen=True, slots=True)
class SetRow:
    """One planned (or extra) set: `done` says what was logged, None while it is still to do;
    `request_id` is new for each page built (a page is kept until the athlete's data changes), so a
    form sent twice, or from two phones showing the same page, logs its set once; `undo_id` is the
    request that logged a done set (None: logged as planned, nothing to undo it by)."""

    number: int
    done: str | None
    request_id: str
    undo_id: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """An exercise card's text, formatted once here so the template only lays it out."""

    target: DayTarget
    planned_id: str  # the plan's exercise, which a swap replaces
    replaces: str | None  # the planned exercise's name when this one was swapped in
    dose: str  # "3×5/side RIR 2", "2×30 s"
    load: str  # "75 kg", "12 kg per dumbbell", "bodyweight", "pick by feel"
    needs_load: bool  # a loaded lift with no load planned: only the adjust form can log it
    plates: tuple[str, ...] | None  # per side, heaviest first; () is the empty bar
    rest: str  # m:ss
    rows: tuple[SetRow, ...]
    options: tuple[Exercise, ...]
    prefill: Mapping[str, str]  # the target as form values: load, reps or seconds, rir


def set_text(logged: LoggedSet, units: UnitSystem) -> str:
    """A logged set as the card shows it: "75 kg × 5 · RIR 2", "8 reps · RIR 2", "45 s"."""
    amount = f"{logged.seconds} s" if logged.seconds is not None else f"{logged.reps} reps"
    shown = amount
    if logged.load_kg is not None:
        shown = f"{load_text(logged.load_kg, units)} × {amount.removesuffix(' reps')}"
    if logged.rir is not None:
        shown += f" · RIR {logged.rir}"
    if logged.pain is not None:
        shown += f" · pain {logged.pain}/10"
    return shown


def exercise_name(exercise_id: str, catalogue: Catalogue) -> str:
    """The name people read; an id the catalogue no longer holds, in words."""
    return catalogue.get(exercise_id).name if exercise_id in catalogue else exercise_id.replace("_", " ")


def exercise_card(target: DayTarget, gym: GymDay, catalogue: Catalogue) -> Card:
    """A planned exercise's card, with its logged sets as rows (those of an exercise it replaced too)."""
    units, exercise = gym.view.units, target.exercise
    amount = f"{target.seconds} s" if target.seconds is not None else f"{target.reps}"
    side = "/side" if exercise.unilateral else ""
    rir = f" RIR {target.rir}" if target.rir is not None else ""
    if target.load is not None:
        load = f"{target.load:g} {units.mass_label}" + (
            " per dumbbell" if exercise.implement == "dumbbell" else ""
        )
    else:
        load = (
            "pick by feel" if exercise.loaded else ("band" if exercise.implement == "band" else "bodyweight")
        )
    planned_id = target.swapped_from or exercise.id
    # sets of the exercise a swap replaced stay on its card, named
    done = [
        (s, undo_id)
        for s, undo_id in zip(gym.done, gym.done_request_ids, strict=True)
        if s.exercise_id in (exercise.id, planned_id)
    ]
    rows = tuple(
        SetRow(n, None, str(uuid.uuid4()))
        if n > len(done)
        else SetRow(
            n, _done_text(done[n - 1][0], exercise, units, catalogue), str(uuid.uuid4()), done[n - 1][1]
        )
        for n in range(1, max(target.sets, len(done)) + 1)
    )
    prefill = {"load": "" if target.load is None else f"{target.load:g}", "rir": _blank(target.rir)}
    prefill["seconds" if target.seconds is not None else "reps"] = _blank(target.seconds or target.reps)
    return Card(
        target=target,
        planned_id=planned_id,
        replaces=catalogue.get(planned_id).name if target.swapped_from else None,
        dose=f"{target.sets}×{amount}{side}{rir}",
        load=load,
        needs_load=target.load is None and exercise.loaded,
        plates=None if target.plates_per_side is None else tuple(f"{p:g}" for p in target.plates_per_side),
        rest=rest_text(target.rest_seconds),
        rows=rows,
        options=tuple(gym.swap_options.get(planned_id, ())),
        prefill=prefill,
    )


def _done_text(logged: LoggedSet, exercise: Exercise, units: UnitSystem, catalogue: Catalogue) -> str:
    shown = set_text(logged, units)
    return (
        shown
        if logged.exercise_id == exercise.id
        else f"{exercise_name(logged.exercise_id, catalogue)}: {shown}"
    )


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


def run_text(run: Activity, units: UnitSystem) -> str:
    """A recorded run as "10.2 km in 52 min"."""
    distance = (
        "a run"
        if run.distance_m is None
        else f"{display_from_m(run.distance_m, units):.1f} {units.distance_label}"
    )
    return distance if run.duration_s is None else f"{distance} in {run.duration_s / 60:.0f} min"


@dataclass(frozen=True, slots=True)
class Confirmation:
    """The step before logging the whole session: what it logs, and what it leaves out."""

    cards: tuple[Card, ...]
    needs_load: str | None  # services.gym_day.needs_load_text


def confirmation(cards: Sequence[Card], gym: GymDay) -> Confirmation:
    """What "log the whole session as planned" would do now, card by card."""
    to_log, needs_load = gym.left_to_log()
    chosen = {t.exercise.id for t in to_log}
    logged = tuple(c for c in cards if c.target.exercise.id in chosen)
    return Confirmation(logged, needs_load_text([t.exercise for t in needs_load]) if needs_load else None)
