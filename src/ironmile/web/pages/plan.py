"""The Plan page: the season (phases against races), a week's calendar of runs and strength sessions
with the reason for each day, and moving a session to another day, checked by the planner's rules.

Without JavaScript the move check is a GET of the page itself (`?from=&to=`) and the move a form
POST that redirects back; with htmx the check swaps the move panel and the move swaps the week.
The list of days to move to is the session's plan week (a plan starting on a Thursday has Thursday
to Wednesday weeks), each day with its verdict, so nobody has to try the days one at a time.
Before the plan starts, the page opens on the plan's first week.
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

from ironmile.domain.days import checked_day
from ironmile.domain.errors import FieldProblem, InputError, ProfileError
from ironmile.domain.plan import Plan, PlannedExercise, PlannedRun, Session
from ironmile.domain.session_move import MoveVerdict, was_moved
from ironmile.domain.units import UnitSystem
from ironmile.render.charts import phase_blocks, season_chart
from ironmile.render.plan_text import dose_text, load_text
from ironmile.services import schedule
from ironmile.services.schedule import MoveOption, WeekCalendar
from ironmile.web.deps import AthleteId, CatalogueDep, OwnViews, Today, Uow
from ironmile.web.forms import field_errors, form_values
from ironmile.web.templating import made_page, render
from ironmile.web.view_cache import Made

router = APIRouter()

DAY_FORMAT = "%a %d %b"
LONG_DAY_FORMAT = "%a %d %b %Y"
START_FORMAT = "%a %-d %b"  # "Mon 7 Dec", in the sentence saying when the plan starts
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
        moved=was_moved(session),
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


def options_summary(options: tuple[MoveOption, ...]) -> str:
    """One line over the whole list, e.g. "1 of 6 days passes every rule: Fri 04 Dec." """
    allowed = [option.day.strftime(DAY_FORMAT) for option in options if option.allowed]
    if not options:
        return "No other day of its plan week is today or later: the session stays where it is."
    if not allowed:
        return f"None of the {len(options)} other days of its plan week passes every rule."
    verb = "passes" if len(allowed) == 1 else "pass"
    return f"{len(allowed)} of {len(options)} days {verb} every rule: {', '.join(allowed)}."


def option_text(option: MoveOption) -> str:
    """A day to move to with its verdict, e.g. "Sat 12 Dec — not allowed: the day before your long
    run (Sunday)"; further broken rules are counted, the verdict panel lists them."""
    day = option.day.strftime(DAY_FORMAT)
    if option.allowed:
        return f"{day} — allowed"
    reasons = option.reasons
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return f"{day} — not allowed: {reasons[0] if reasons else 'the rules say no'}{more}"


# --- contexts -------------------------------------------------------------------------------------


def default_origin(week: WeekCalendar) -> str:
    """The session the move form starts with: the week's first that may move."""
    movable = week.movable
    return movable[0].date.isoformat() if movable else ""


def _week_context(
    uow: Uow,
    catalogue: CatalogueDep,
    today: date,
    athlete_id: int,
    day: date,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    verdict: MoveVerdict | None = None,
    moved: date | None = None,
    list_errors: bool = False,
) -> dict[str, Any]:
    """The calendar week around `day` and its move panel, with the days the chosen session (else the
    week's first that may move) could move to; `list_errors` shows why that list is empty."""
    week = schedule.week_calendar(uow, day=day, today=today, catalogue=catalogue, athlete_id=athlete_id)
    values = {"from": default_origin(week), "to": "", **(values or {})}
    problems: list[FieldProblem] = []
    options: tuple[MoveOption, ...] = ()
    origin = _parse_day(values["from"], "from", "the session to move", problems)
    if origin is not None:
        try:
            options = schedule.move_options(
                uow, origin=origin, today=today, catalogue=catalogue, athlete_id=athlete_id
            )
        except ProfileError as error:
            problems.extend(error.problems)
    listed = field_errors(ProfileError(problems)) if list_errors and problems else {}
    cards = day_cards(week)
    return {
        "week": week,
        "days": cards,
        # (week number, phase, deload) of each plan week the calendar week touches, for its heading
        "week_phases": sorted({(d.week_index, d.phase, d.deload) for d in cards if d.phase}),
        "session_options": [
            (day.date.isoformat(), f"{day.date:{DAY_FORMAT}} · {session_card(day.session, week.units).kind}")
            for day in week.movable
            if day.session
        ],
        "day_options": [("", "Choose a day"), *((o.day.isoformat(), option_text(o)) for o in options)],
        "options_summary": options_summary(options) if origin is not None and not problems else None,
        "values": values,
        "errors": {**listed, **(errors or {})},
        "verdict": verdict,
        "moved": moved,
        "day_format": DAY_FORMAT,
        "long_day_format": LONG_DAY_FORMAT,
    }


def _parse_day(given: object, field: str, what: str, problems: list[FieldProblem]) -> date | None:
    text = given.strip() if isinstance(given, str) else ""  # a field sent twice reads as none
    if not text:
        problems.append(FieldProblem(field, f"choose {what}"))
        return None
    try:
        return checked_day(date.fromisoformat(text), field=field)
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
            return checked_day(date.fromisoformat(str(values.get(name) or "")), field=name)
        except (ValueError, ProfileError):
            continue
    return fallback


# --- routes ---------------------------------------------------------------------------------------

WeekQuery = Annotated[date | None, Query(description="a day of the week to show (YYYY-MM-DD)")]


def _season_context(plan: Plan, today: date) -> dict[str, Any]:
    return {
        "nav": "plan",
        "plan": plan,
        "phases": phase_rows(plan, today),
        "races": races(plan),
        "chart": season_chart(plan, width="container"),
        # before the plan starts, the page says when it does (and opens on its first week)
        "starts_on": plan.start_date if today < plan.start_date else None,
        "start_format": START_FORMAT,
    }


@router.get("/plan")
async def plan_page(
    request: Request,
    views: OwnViews,
    week: WeekQuery = None,
    origin: Annotated[str | None, Query(alias="from")] = None,
    target: Annotated[str | None, Query(alias="to")] = None,
    moved: date | None = None,
) -> Response:
    if week is not None:
        checked_day(week, field="week")
    today, athlete_id, uow, catalogue = views.today, views.athlete_id, views.uow, views.catalogue

    def build() -> Made:
        plan = schedule.season(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
        # A runner whose plan starts later lands on its first week, not on an empty one.
        day = week or max(today, plan.start_date)
        values: dict[str, Any] = {} if origin is None else {"from": origin}
        verdict: MoveVerdict | None = None
        errors: dict[str, str] = {}
        if target is not None:  # the move check, without JavaScript
            values = {"from": origin or "", "to": target}
            verdict, errors = _checked(uow, catalogue, today, athlete_id, values)
        week_context = _week_context(
            uow, catalogue, today, athlete_id, day, values=values, errors=errors, verdict=verdict, moved=moved
        )
        context = {**_season_context(plan, today), **week_context}
        return made_page(request, "plan/index.html", context, status=422 if context["errors"] else 200)

    return await views.answer(("plan page", week, origin, target, moved), build)


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
    """The move panel (the htmx partial): with `to`, the verdict for `from` → `to`; without it (the
    session was just picked), the days it could move to, each with its verdict. A browser without
    htmx that lands here goes to the page, which does the same."""
    values = {"week": week or "", "from": origin or "", "to": target or ""}
    if request.headers.get("HX-Request") != "true":
        given = {name: value for name, value in values.items() if value}
        return RedirectResponse(f"/plan?{urlencode(given)}", status_code=303)
    verdict, errors = (None, {}) if target is None else _checked(uow, catalogue, today, athlete_id, values)
    context = _week_context(
        uow,
        catalogue,
        today,
        athlete_id,
        _week_of(values, today),
        values=values,
        errors=errors,
        verdict=verdict,
        list_errors=target is None,
    )
    return render(request, "plan/_move.html", context, status=422 if context["errors"] else 200)


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
        week = _week_of(values, today)
        context = _week_context(
            uow, catalogue, today, athlete_id, week, values=values, errors=errors, verdict=verdict
        )
        if htmx:
            return render(request, "plan/_week.html", context, status=422)
        plan = schedule.season(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
        return render(request, "plan/index.html", {**_season_context(plan, today), **context}, status=422)
    if not htmx:
        return RedirectResponse(
            f"/plan?week={target.isoformat()}&moved={target.isoformat()}", status_code=303
        )
    context = _week_context(uow, catalogue, today, athlete_id, target, moved=target)
    return render(request, "plan/_week.html", context)
