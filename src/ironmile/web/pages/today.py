"""The Today page, for a phone in a gym: one card per exercise with the load, plates per side, rest
and reason; a big button per set to log it as planned, or adjusted, and an Undo on each logged set;
the whole session as planned after a confirmation step; pain check-ins; swaps.

Every form posts and redirects back without JavaScript. With htmx a set, an undo, a swap or a
check-in swaps its card in place; with static/js/today.js a set goes through an offline queue to
the API. Numbers are read as numbers here and judged by the services (whole, in range), so this
page and the API say the same thing about the same value.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from ironmile.domain.athlete import RED_FLAGS
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.days import EARLIEST_DAY, LATEST_DAY
from ironmile.domain.errors import FieldProblem, NotFoundError, ProfileError
from ironmile.services.gym_day import GymDay, can_log, day_text, gym_day, swap_on_day
from ironmile.services.set_logging import (
    CheckIn,
    SetEntry,
    check_in,
    log_session_as_planned,
    log_set,
    undo_set,
)
from ironmile.web.deps import AthleteId, CatalogueDep, OwnViews, Today, Uow
from ironmile.web.forms import field_errors, form_values, text
from ironmile.web.params import DayQuery
from ironmile.web.templating import made_page, render
from ironmile.web.training_helpers import confirmation, exercise_card, exercise_name, run_text, set_text
from ironmile.web.view_cache import Made

router = APIRouter()

FLAG_LABELS = {
    "swelling": "Swelling",
    "locking": "Locking (the knee catches or sticks)",
    "giving_way": "Giving way",
    "night_pain": "Pain at night",
    "trauma": "Pain after a fall or twist",
    "numbness": "Numbness or tingling",
}


def page_context(gym: GymDay, *, today: date, catalogue: Catalogue) -> dict[str, Any]:
    day, units = gym.view.day, gym.view.units
    cards = [exercise_card(target, gym, catalogue) for target in gym.view.targets]
    on_cards = {exercise_id for c in cards for exercise_id in (c.target.exercise.id, c.planned_id)}
    to_log, _ = gym.left_to_log()
    return {
        "nav": "today",
        "gym": gym,
        "day": day,
        "units": units,
        "is_today": day == today,
        "can_log": can_log(day, today),
        "day_text": day_text(day),
        "earlier": day - timedelta(days=1),
        "later": day + timedelta(days=1),
        "cards": cards,
        "left_to_log": bool(to_log),
        "recorded_runs": [run_text(run, units) for run in gym.recorded_runs],
        "other_sets": [
            (exercise_name(s.exercise_id, catalogue), set_text(s, units), undo_id)
            for s, undo_id in zip(gym.done, gym.done_request_ids, strict=True)
            if s.exercise_id not in on_cards
        ],
        "flags": [(flag, FLAG_LABELS.get(flag, flag)) for flag in RED_FLAGS],
        "errors": {},
        "values": {},
        "error_card": None,
        "error_number": None,
        "checkin": None,
        "confirm": None,
    }


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _back(day: date, card: str = "") -> RedirectResponse:
    """Back to the day's page, scrolled to the card (`card` is checked: it goes into a header)."""
    anchor = f"#ex-{card}" if card and card.replace("_", "").isalnum() and card.isascii() else ""
    return RedirectResponse(f"/today?date={day.isoformat()}{anchor}", status_code=303)


def _number(form: FormData, name: str, problems: list[FieldProblem]) -> float | None:
    """A number as typed (the service says whether it must be whole); a decimal comma is read."""
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
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        problems.append(
            FieldProblem("date", f"{raw[:20]!r} is not a date from {EARLIEST_DAY} to {LATEST_DAY}")
        )
        return today
    return day


async def _posted(request: Request, today: date) -> tuple[FormData, date, list[FieldProblem]]:
    """A posted form, the day it is for, and the problems found reading it (more may be added)."""
    form = await request.form()
    problems: list[FieldProblem] = []
    return form, _day(form, today, problems), problems


def _answer(
    request: Request,
    gym: GymDay,
    *,
    today: date,
    catalogue: Catalogue,
    card_id: str,
    extra: Mapping[str, Any],
    status: int,
) -> Response:
    """With htmx the card `card_id` (its exercise or the one it replaced) re-rendered, else the page."""
    context = page_context(gym, today=today, catalogue=catalogue) | dict(extra)
    card = next((c for c in context["cards"] if card_id in (c.target.exercise.id, c.planned_id)), None)
    if _htmx(request) and card is not None:
        return render(request, "today/_card.html", context | {"card": card}, status=status)
    return render(request, "today/page.html", context, status=status)


@router.get("/today")
async def today_page(request: Request, views: OwnViews, day: DayQuery = None) -> Response:
    shown, today, catalogue = day or views.today, views.today, views.catalogue

    def build() -> Made:
        gym = gym_day(views.uow, day=shown, catalogue=catalogue, athlete_id=views.athlete_id)
        return made_page(request, "today/page.html", page_context(gym, today=today, catalogue=catalogue))

    return await views.answer(("today page", shown), build)


@router.post("/today/sets")
async def post_set(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Log one set from a card's form: 303 back to the page, or with htmx the card re-rendered."""
    form, day, problems = await _posted(request, today)
    exercise_id = text(form, "exercise_id")
    numbers = [_number(form, name, problems) for name in ("load", "reps", "seconds", "rir", "pain")]
    errors: dict[str, str] = {}
    try:
        log_set(
            uow,
            entry=SetEntry(day, exercise_id, *numbers),
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
    extra = {
        "errors": errors,
        "values": form_values(form),
        "error_card": exercise_id if errors else None,
        "error_number": _number(form, "set_number", []),
    }
    gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    status = 422 if errors else 200
    return _answer(
        request, gym, today=today, catalogue=catalogue, card_id=exercise_id, extra=extra, status=status
    )


@router.post("/today/sets/undo")
async def post_undo(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Undo a logged set by the request that logged it; a second undo of the same set does nothing."""
    form = await request.form()
    day = _day(form, today, [])
    # NotFoundError: undone already (a second tap, a form sent again), or never this athlete's
    with contextlib.suppress(NotFoundError):
        undo_set(uow, request_id=text(form, "request_id"), catalogue=catalogue, athlete_id=athlete_id)
    if not _htmx(request):
        return _back(day, text(form, "card"))
    gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    card_id = text(form, "card")
    return _answer(request, gym, today=today, catalogue=catalogue, card_id=card_id, extra={}, status=200)


@router.get("/today/as-planned")
def confirm_as_planned(
    request: Request,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    day: DayQuery = None,
) -> Response:
    """The confirmation step: the page, with what "log the whole session as planned" would log."""
    gym = gym_day(uow, day=day or today, catalogue=catalogue, athlete_id=athlete_id)
    context = page_context(gym, today=today, catalogue=catalogue)
    return render(request, "today/page.html", context | {"confirm": confirmation(context["cards"], gym)})


@router.post("/today/as-planned")
async def post_as_planned(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Log every exercise not started yet as planned, once confirmed (`confirm=yes`; without it
    the confirmation step is shown); back to the first card left to log by hand, if any."""
    form, day, problems = await _posted(request, today)
    errors: dict[str, str] = {}
    if not problems and text(form, "confirm") == "yes":
        try:
            done = log_session_as_planned(
                uow, day=day, today=today, catalogue=catalogue, athlete_id=athlete_id
            )
        except ProfileError as error:
            errors = {"as_planned": "; ".join(field_errors(error).values())}
        else:
            left = done.needs_load[0] if done.needs_load else None
            return _back(day, "" if left is None else left.swapped_from or left.exercise.id)
    elif problems:
        errors = {"as_planned": "; ".join(p.message for p in problems)}
    gym = gym_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    context = page_context(gym, today=today, catalogue=catalogue)
    if errors:
        return render(request, "today/page.html", context | {"errors": errors}, status=422)
    return render(request, "today/page.html", context | {"confirm": confirmation(context["cards"], gym)})


@router.post("/today/checkins")
async def post_check_in(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Pain during, the morning after, a weigh-in and red flags; answers with the model's advice."""
    form, day, problems = await _posted(request, today)
    values = form_values(form)
    pain_during, morning_pain = (
        _number(form, "pain_during", problems),
        _number(form, "morning_pain", problems),
    )
    body_mass = _number(form, "body_mass", problems)
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
    form, day, problems = await _posted(request, today)
    exercise_id = text(form, "exercise_id")
    errors: dict[str, str] = {}
    try:
        if problems:
            raise ProfileError(problems)
        swap_on_day(
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
    extra = {"errors": errors, "error_card": exercise_id if errors else None}
    status = 422 if errors else 200
    return _answer(
        request, gym, today=today, catalogue=catalogue, card_id=exercise_id, extra=extra, status=status
    )
