"""The Today page, for a phone in a gym: one card per exercise with the load, plates per side, rest
and reason; a big button per set to log it as planned, or adjusted; pain check-ins; swaps.

Every form posts and redirects back without JavaScript. With htmx a set, a swap or a check-in
swaps its card in place; with static/js/today.js a set goes through an offline queue to the API.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from ironmile.domain.activity import Activity
from ironmile.domain.athlete import RED_FLAGS
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.today import DayTarget
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import UnitSystem, display_from_m
from ironmile.render.plan_text import rest_text
from ironmile.services.set_logging import CheckIn, GymDay, SetEntry, check_in, gym_day, log_set
from ironmile.web.api.training import EARLIEST, LATEST, DayQuery, display_load, log_as_planned, swap
from ironmile.web.deps import AthleteId, CatalogueDep, Today, Uow
from ironmile.web.forms import field_errors, form_values, text
from ironmile.web.templating import render

router = APIRouter()

FLAG_LABELS = {
    "swelling": "Swelling",
    "locking": "Locking (the knee catches or sticks)",
    "giving_way": "Giving way",
    "night_pain": "Pain at night",
    "trauma": "Pain after a fall or twist",
    "numbness": "Numbness or tingling",
}


@dataclass(frozen=True, slots=True)
class SetRow:
    """One planned (or extra) set: `done` says what was logged, None while it is still to do;
    `request_id` is new for each page, so a form sent twice logs its set once."""

    number: int
    done: str | None
    request_id: str


@dataclass(frozen=True, slots=True)
class Card:
    """An exercise card's text, formatted once here so the template only lays it out."""

    target: DayTarget
    planned_id: str  # the plan's exercise, which a swap replaces
    replaces: str | None  # the planned exercise's name when this one was swapped in
    dose: str  # "3×5/side RIR 2", "2×30 s"
    load: str  # "75 kg", "12 kg per dumbbell", "bodyweight", "pick by feel"
    plates: tuple[str, ...] | None  # per side, heaviest first; () is the empty bar
    rest: str  # m:ss
    rows: tuple[SetRow, ...]
    options: tuple[Exercise, ...]
    prefill: Mapping[str, str]  # the target as form values: load, reps or seconds, rir


def set_text(logged: LoggedSet, units: UnitSystem) -> str:
    """A logged set as the card shows it: "75 kg × 5 · RIR 2", "8 reps · RIR 2", "45 s"."""
    load = display_load(logged.load_kg, units)
    amount = f"{logged.seconds} s" if logged.seconds is not None else f"{logged.reps} reps"
    shown = amount if load is None else f"{load:g} {units.mass_label} × {amount.removesuffix(' reps')}"
    if logged.rir is not None:
        shown += f" · RIR {logged.rir}"
    if logged.pain is not None:
        shown += f" · pain {logged.pain}/10"
    return shown


def _card(target: DayTarget, gym: GymDay, catalogue: Catalogue) -> Card:
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
    done = [s for s in gym.done if s.exercise_id == exercise.id]
    rows = tuple(
        SetRow(n, set_text(done[n - 1], units) if n <= len(done) else None, str(uuid.uuid4()))
        for n in range(1, max(target.sets, len(done)) + 1)
    )
    prefill = {"load": "" if target.load is None else f"{target.load:g}", "rir": _blank(target.rir)}
    prefill["seconds" if target.seconds is not None else "reps"] = _blank(target.seconds or target.reps)
    planned_id = target.swapped_from or exercise.id
    return Card(
        target=target,
        planned_id=planned_id,
        replaces=catalogue.get(planned_id).name if target.swapped_from else None,
        dose=f"{target.sets}×{amount}{side}{rir}",
        load=load,
        plates=None if target.plates_per_side is None else tuple(f"{p:g}" for p in target.plates_per_side),
        rest=rest_text(target.rest_seconds),
        rows=rows,
        options=tuple(gym.swap_options.get(planned_id, ())),
        prefill=prefill,
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


def page_context(gym: GymDay, *, today: date, catalogue: Catalogue) -> dict[str, Any]:
    day, units = gym.view.day, gym.view.units
    planned = {t.exercise.id for t in gym.view.targets}
    return {
        "nav": "today",
        "gym": gym,
        "day": day,
        "units": units,
        "is_today": day == today,
        "earlier": day - timedelta(days=1),
        "later": day + timedelta(days=1),
        "cards": [_card(target, gym, catalogue) for target in gym.view.targets],
        "recorded_runs": [run_text(run, units) for run in gym.recorded_runs],
        "other_sets": [(s.exercise_id, set_text(s, units)) for s in gym.done if s.exercise_id not in planned],
        "flags": [(flag, FLAG_LABELS.get(flag, flag)) for flag in RED_FLAGS],
        "errors": {},
        "values": {},
        "error_card": None,
        "error_number": None,
        "checkin": None,
    }


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _back(day: date, card: str = "") -> RedirectResponse:
    """Back to the day's page, scrolled to the card (`card` is checked: it goes into a header)."""
    anchor = f"#ex-{card}" if card and card.replace("_", "").isalnum() and card.isascii() else ""
    return RedirectResponse(f"/today?date={day.isoformat()}{anchor}", status_code=303)


def _int(form: FormData, name: str, problems: list[FieldProblem]) -> int | None:
    raw = text(form, name)
    try:
        return int(raw) if raw else None
    except ValueError:
        problems.append(FieldProblem(name, f"{raw[:20]!r} is not a whole number"))
        return None


def _float(form: FormData, name: str, problems: list[FieldProblem]) -> float | None:
    raw = text(form, name).replace(",", ".")  # a decimal comma from a European keyboard
    try:
        return float(raw) if raw else None
    except ValueError:
        problems.append(FieldProblem(name, f"{raw[:20]!r} is not a number"))
        return None


def _day(form: FormData, today: date, problems: list[FieldProblem]) -> date:
    raw = text(form, "date")
    try:
        day = date.fromisoformat(raw) if raw else today
    except ValueError:
        day = date.min
    if not EARLIEST <= day <= LATEST:
        problems.append(FieldProblem("date", f"{raw[:20]!r} is not a date from {EARLIEST} to {LATEST}"))
        return today
    return day


@router.get("/today")
def today_page(
    request: Request,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    day: DayQuery = None,
) -> Response:
    gym = gym_day(uow, day=day or today, catalogue=catalogue, athlete_id=athlete_id)
    return render(request, "today/page.html", page_context(gym, today=today, catalogue=catalogue))


@router.post("/today/sets")
async def post_set(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Log one set from a card's form: 303 back to the page, or with htmx the card re-rendered."""
    form = await request.form()
    problems: list[FieldProblem] = []
    day = _day(form, today, problems)
    exercise_id = text(form, "exercise_id")
    entry = SetEntry(
        day,
        exercise_id,
        _float(form, "load", problems),
        _int(form, "reps", problems),
        _int(form, "seconds", problems),
        _int(form, "rir", problems),
        _int(form, "pain", problems),
    )
    errors: dict[str, str] = {}
    try:
        log_set(
            uow,
            entry=entry,
            request_id=text(form, "request_id"),
            today=today,
            catalogue=catalogue,
            athlete_id=athlete_id,
            unreadable=problems,
        )
    except ProfileError as error:
        errors = field_errors(error, default_field="exercise_id")
    if not errors and not _htmx(request):
        return _back(day, text(form, "card"))
    gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    context = page_context(gym, today=today, catalogue=catalogue) | {
        "errors": errors,
        "values": form_values(form),
        "error_card": exercise_id if errors else None,
        "error_number": _int(form, "set_number", []),
    }
    status = 422 if errors else 200
    card = next((c for c in context["cards"] if c.target.exercise.id == exercise_id), None)
    if _htmx(request) and card is not None:
        return render(request, "today/_card.html", context | {"card": card}, status=status)
    return render(request, "today/page.html", context, status=status)


@router.post("/today/as-planned")
async def post_as_planned(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Log every exercise not started yet as planned (`services.training.log_sets`)."""
    form = await request.form()
    problems: list[FieldProblem] = []
    day = _day(form, today, problems)
    try:
        if problems:
            raise ProfileError(problems)
        log_as_planned(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    except ProfileError as error:
        gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
        errors = {"as_planned": "; ".join(field_errors(error).values())}
        return render(
            request,
            "today/page.html",
            page_context(gym, today=today, catalogue=catalogue) | {"errors": errors},
            status=422,
        )
    return _back(day)


@router.post("/today/checkins")
async def post_check_in(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Pain during, the morning after, a weigh-in and red flags; answers with the model's advice."""
    form = await request.form()
    problems: list[FieldProblem] = []
    day = _day(form, today, problems)
    values = form_values(form)
    pain_during, morning_pain = _int(form, "pain_during", problems), _int(form, "morning_pain", problems)
    body_mass = _float(form, "body_mass", problems)
    result: CheckIn | None = None
    errors: dict[str, str] = {}
    try:
        result = check_in(
            uow,
            day=day,
            today=today,
            catalogue=catalogue,
            pain_during=pain_during,
            exercise_id=text(form, "exercise_id") or None,
            morning_pain=morning_pain,
            body_mass=body_mass,
            red_flags=[flag for flag in form.getlist("red_flags") if isinstance(flag, str)],
            athlete_id=athlete_id,
            unreadable=problems,
        )
        values = {}
    except ProfileError as error:
        errors = field_errors(error, default_field="pain_during")
    gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    context = page_context(gym, today=today, catalogue=catalogue) | {
        "checkin": result,
        "errors": errors,
        "values": values,
    }
    name = "today/_checkin.html" if _htmx(request) else "today/page.html"
    return render(request, name, context, status=422 if errors else 200)


@router.post("/today/swap")
async def post_swap(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Swap a planned exercise from this day on; with htmx the card comes back with the new one."""
    form = await request.form()
    problems: list[FieldProblem] = []
    day = _day(form, today, problems)
    exercise_id = text(form, "exercise_id")
    errors: dict[str, str] = {}
    try:
        if problems:
            raise ProfileError(problems)
        swap(
            uow,
            day=day,
            exercise_id=exercise_id,
            replacement_id=text(form, "replacement_id") or None,
            catalogue=catalogue,
            athlete_id=athlete_id,
        )
    except ProfileError as error:
        errors = field_errors(error, default_field="replacement_id")
    if not errors and not _htmx(request):
        return _back(day, exercise_id)
    gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    context = page_context(gym, today=today, catalogue=catalogue) | {
        "errors": errors,
        "error_card": exercise_id if errors else None,
    }
    card = next((c for c in context["cards"] if c.planned_id == exercise_id), None)
    status = 422 if errors else 200
    if _htmx(request) and card is not None:
        return render(request, "today/_card.html", context | {"card": card}, status=status)
    return render(request, "today/page.html", context, status=status)
