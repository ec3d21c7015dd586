"""The Plan page: the season (phases against races), a week's calendar of runs and strength sessions
with the reason for each day, and moving a session to another day, checked by the planner's rules.

Without JavaScript the move check is a GET of the page itself (`?from=&to=`) and the move a form
POST that redirects back; with htmx the check swaps the move panel and the move swaps the week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from ironmile.domain.errors import FieldProblem, InputError, ProfileError
from ironmile.domain.plan import Plan, PlannedExercise, PlannedRun, Session
from ironmile.domain.session_move import MOVED_PREFIX, MoveVerdict
from ironmile.domain.units import UnitSystem
from ironmile.render.charts import phase_blocks, season_chart
from ironmile.render.plan_text import dose_text, load_text
from ironmile.services import schedule
from ironmile.services.schedule import WeekCalendar
from ironmile.web.deps import AthleteId, CatalogueDep, Today, Uow
from ironmile.web.forms import field_errors, form_values
from ironmile.web.templating import render

router = APIRouter()

DAY_FORMAT = "%a %d %b"
LONG_DAY_FORMAT = "%a %d %b %Y"
RUN_WORDS = {"easy": "Easy run", "key": "Key session", "long": "Long run", "race": "Race"}


# --- view rows: what the templates show, already in words ------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseRow:
    phase: str
    weeks: str  # "1" or "1–8"
    start: date
    last: date  # the block's last day
    deload_weeks: tuple[int, ...]
    current: bool  # today falls in this block


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    name: str
    dose: str  # "3×5 RIR 2"
    load: str  # "75 kg", "bodyweight", …


@dataclass(frozen=True, slots=True)
class SessionCard:
    kind: str  # "legs + upper body" or "upper body & core"
    heavy: bool
    minutes: int
    why: str
    moved: bool
    exercises: tuple[ExerciseLine, ...]


@dataclass(frozen=True, slots=True)
class DayCard:
    date: date
    title: str  # "Mon 07 Dec"
    today: bool
    phase: str | None
    week_index: int | None
    deload: bool
    runs: tuple[str, ...]
    session: SessionCard | None
    logged: bool
    movable: bool


def phase_rows(plan: Plan, today: date) -> list[PhaseRow]:
    deloads = [week.frame.index for week in plan.weeks if week.frame.deload]
    return [
        PhaseRow(
            phase=block.phase.value,
            weeks=str(block.first_week)
            if block.first_week == block.last_week
            else f"{block.first_week}–{block.last_week}",
            start=block.start,
            last=block.end - timedelta(days=1),
            deload_weeks=tuple(i for i in deloads if block.first_week <= i <= block.last_week),
            current=block.start <= today < block.end,
        )
        for block in phase_blocks(plan)
    ]


def races(plan: Plan) -> list[PlannedRun]:
    return [run for week in plan.weeks for run in week.runs if run.kind == "race"]


def run_words(run: PlannedRun) -> str:
    words = RUN_WORDS.get(run.kind, run.kind)
    return f"{words}: {run.race}" if run.race else words


def exercise_line(item: PlannedExercise, units: UnitSystem) -> ExerciseLine:
    return ExerciseLine(item.exercise.name, dose_text(item), load_text(item, units))


def session_card(session: Session, units: UnitSystem) -> SessionCard:
    return SessionCard(
        kind="legs + upper body" if session.heavy_lower else "upper body & core",
        heavy=session.heavy_lower,
        minutes=session.minutes,
        why=session.why,
        moved=session.why.startswith(MOVED_PREFIX),
        exercises=tuple(exercise_line(item, units) for item in session.exercises),
    )


def day_cards(week: WeekCalendar) -> list[DayCard]:
    return [
        DayCard(
            date=day.date,
            title=day.date.strftime(DAY_FORMAT),
            today=day.date == week.today,
            phase=day.phase.value if day.phase else None,
            week_index=day.week_index,
            deload=day.deload,
            runs=tuple(run_words(run) for run in day.runs),
            session=session_card(day.session, week.units) if day.session else None,
            logged=day.logged,
            movable=day.movable,
        )
        for day in week.days
    ]


# --- contexts -------------------------------------------------------------------------------------


def _week_context(
    week: WeekCalendar,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    verdict: MoveVerdict | None = None,
    moved: date | None = None,
) -> dict[str, Any]:
    movable = week.movable
    default_from = movable[0].date.isoformat() if movable else ""
    cards = day_cards(week)
    return {
        "week": week,
        "days": cards,
        # (week number, phase, deload) of each plan week the calendar week touches, for its heading
        "week_phases": sorted({(d.week_index, d.phase, d.deload) for d in cards if d.phase}),
        "session_options": [
            (day.date.isoformat(), f"{day.date:{DAY_FORMAT}} · {session_card(day.session, week.units).kind}")
            for day in movable
            if day.session
        ],
        "day_options": [
            ("", "Choose a day"),
            *((d.isoformat(), f"{d:{DAY_FORMAT}}") for d in week.open_days),
        ],
        "values": {"from": default_from, "to": "", **(values or {})},
        "errors": dict(errors or {}),
        "verdict": verdict,
        "moved": moved,
        "day_format": DAY_FORMAT,
        "long_day_format": LONG_DAY_FORMAT,
    }


def _parse_day(text: str | None, field: str, what: str, problems: list[FieldProblem]) -> date | None:
    text = (text or "").strip()
    if not text:
        problems.append(FieldProblem(field, f"choose {what}"))
        return None
    try:
        return schedule.checked_day(date.fromisoformat(text), field=field)
    except ValueError:
        problems.append(FieldProblem(field, f"{text!r} is not a date; expected YYYY-MM-DD"))
    except ProfileError as error:
        problems.extend(error.problems)
    return None


def _move_days(values: Mapping[str, Any]) -> tuple[date, date]:
    """The `from` and `to` days of a move form, or ProfileError naming each bad field."""
    problems: list[FieldProblem] = []
    origin = _parse_day(values.get("from"), "from", "the session to move", problems)
    target = _parse_day(values.get("to"), "to", "the day to move it to", problems)
    if problems or origin is None or target is None:
        raise ProfileError(problems)
    return origin, target


def _checked(
    uow: Uow, catalogue: CatalogueDep, today: date, athlete_id: int, values: Mapping[str, Any]
) -> tuple[MoveVerdict | None, dict[str, str]]:
    try:
        origin, target = _move_days(values)
        verdict = schedule.check_move(
            uow, origin=origin, target=target, today=today, catalogue=catalogue, athlete_id=athlete_id
        )
    except InputError as error:
        return None, field_errors(error, default_field="to")
    return verdict, {}


def _week_of(values: Mapping[str, Any], fallback: date) -> date:
    """The week a move form belongs to: its hidden `week`, else its session's day, else today."""
    for name in ("week", "from"):
        try:
            return schedule.checked_day(date.fromisoformat(str(values.get(name) or "")), field=name)
        except (ValueError, ProfileError):
            continue
    return fallback


# --- routes ---------------------------------------------------------------------------------------

WeekQuery = Annotated[date | None, Query(description="a day of the week to show (YYYY-MM-DD)")]


@router.get("/plan")
def plan_page(
    request: Request,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    week: WeekQuery = None,
    origin: Annotated[str | None, Query(alias="from")] = None,
    target: Annotated[str | None, Query(alias="to")] = None,
    moved: date | None = None,
) -> Response:
    day = schedule.checked_day(week or today, field="week")
    plan = schedule.season(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
    calendar = schedule.week_calendar(uow, day=day, today=today, catalogue=catalogue, athlete_id=athlete_id)
    values: dict[str, Any] = {}
    verdict: MoveVerdict | None = None
    errors: dict[str, str] = {}
    if origin is not None or target is not None:  # the move check, without JavaScript
        values = {"from": origin or "", "to": target or ""}
        verdict, errors = _checked(uow, catalogue, today, athlete_id, values)
    context = {
        "nav": "plan",
        "plan": plan,
        "phases": phase_rows(plan, today),
        "races": races(plan),
        "chart": season_chart(plan, width="container"),
        **_week_context(calendar, values=values, errors=errors, verdict=verdict, moved=moved),
    }
    return render(request, "plan/index.html", context, status=422 if errors else 200)


@router.get("/plan/move")
def move_check(
    request: Request,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    week: Annotated[str | None, Query()] = None,
    origin: Annotated[str | None, Query(alias="from")] = None,
    target: Annotated[str | None, Query(alias="to")] = None,
) -> Response:
    """The move panel with the verdict for `from` → `to` (the htmx partial); a browser without
    htmx that lands here goes to the page, which checks the same move."""
    values = {"week": week or "", "from": origin or "", "to": target or ""}
    if request.headers.get("HX-Request") != "true":
        given = {name: value for name, value in values.items() if value}
        return RedirectResponse(f"/plan?{urlencode(given)}", status_code=303)
    verdict, errors = _checked(uow, catalogue, today, athlete_id, values)
    calendar = schedule.week_calendar(
        uow, day=_week_of(values, today), today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    context = _week_context(calendar, values=values, errors=errors, verdict=verdict)
    return render(request, "plan/_move.html", context, status=422 if errors else 200)


@router.post("/plan/move")
async def move(
    request: Request, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> Response:
    """Move the session; refused (bad days, or a rule says no) → 422 with the reasons by the fields."""
    values = form_values(await request.form())
    htmx = request.headers.get("HX-Request") == "true"
    try:
        origin, target = _move_days(values)
        schedule.move_session(
            uow, origin=origin, target=target, today=today, catalogue=catalogue, athlete_id=athlete_id
        )
    except InputError as error:
        errors = field_errors(error, default_field="to")
        verdict = getattr(error, "verdict", None)
        calendar = schedule.week_calendar(
            uow, day=_week_of(values, today), today=today, catalogue=catalogue, athlete_id=athlete_id
        )
        context = _week_context(calendar, values=values, errors=errors, verdict=verdict)
        if htmx:
            return render(request, "plan/_week.html", context, status=422)
        plan = schedule.season(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
        context |= {"nav": "plan", "plan": plan, "phases": phase_rows(plan, today), "races": races(plan)}
        context["chart"] = season_chart(plan, width="container")
        return render(request, "plan/index.html", context, status=422)
    if not htmx:
        return RedirectResponse(
            f"/plan?week={target.isoformat()}&moved={target.isoformat()}", status_code=303
        )
    calendar = schedule.week_calendar(
        uow, day=target, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return render(request, "plan/_week.html", _week_context(calendar, moved=target))
