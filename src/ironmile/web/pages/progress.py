"""The progress page: strength, body mass, running load, balance and adherence over the last weeks.

Each chart comes with a sentence and a small table, so the page reads without JavaScript and to a
screen reader; a chart with nothing to draw yet is a sentence only. A coach sees the same page,
read-only, for an athlete of their squads (`/athletes/{user_id}/progress`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from ironmile.domain.accounts import Account, Role
from ironmile.domain.body import STABLE_PCT
from ironmile.domain.loading import MAX_E1RM_REPS
from ironmile.domain.report import LiftTrend
from ironmile.domain.running_load import ACWR_CAVEAT
from ironmile.domain.running_report import LoadDay
from ironmile.domain.units import UnitSystem, display_from_kg, display_from_m
from ironmile.domain.volume import ratio_holds
from ironmile.render.progress_charts import Spec
from ironmile.services.progress import (
    DEFAULT_WEEKS,
    LiftSets,
    Progress,
    progress_charts,
    show_progress,
)
from ironmile.web.api.progress import Weeks
from ironmile.web.deps import CatalogueDep, CurrentAccount, OwnViews, Today, Uow, Viewed
from ironmile.web.templating import made_page, render
from ironmile.web.view_cache import Made

router = APIRouter()

WEEK_CHOICES = (4, 8, 12, 26, 52, 104)

# What each chart's place says when there is nothing to draw yet.
EMPTY = {
    "e1rm": "No main-lift sets logged in these weeks yet: the estimated 1RM appears after the first session.",
    "relative_strength": "Relative strength needs a weigh-in on or before a logged main-lift session.",
    "body_mass": "No weigh-ins in these weeks.",
    "weekly_distance": "No runs with a distance in these weeks.",
    "fitness": "No running load yet: fitness and fatigue come from imported runs.",
    "acwr": "The acute:chronic ratio needs 28 days of running history.",
    "balance": "No week with anterior lower-body sets logged yet, so there is no ratio to show.",
    "adherence": "No strength sessions were planned before today in these weeks.",
}


@dataclass(frozen=True, slots=True)
class ChartView:
    """One chart's place on the page: `spec` None shows `empty` instead."""

    name: str
    spec: Spec | None
    empty: str

    @property
    def element_id(self) -> str:
        return f"chart-{self.name.replace('_', '-')}"


def _change(amount: float, unit: str) -> str:
    if round(amount, 1) == 0:
        return "unchanged"
    return f"{'up' if amount > 0 else 'down'} {abs(amount):.1f} {unit}"


def e1rm_empty(sets: LiftSets) -> str:
    """Why the e1RM chart is empty: nothing logged, or main-lift sets that estimate no 1RM by
    `progression.session_e1rm`'s rule (a novice's 3×8 at RIR 3 is 11: none of them estimates one)."""
    if sets.logged == 0:
        return EMPTY["e1rm"]
    why = []
    if sets.too_many_reps:
        reps, rir = sets.example or (MAX_E1RM_REPS, 1)
        why.append(
            f"{sets.too_many_reps} at more than {MAX_E1RM_REPS} reps plus reps in reserve "
            f"({reps} reps at RIR {rir} is {reps + rir})"
        )
    if sets.unloaded:
        why.append(f"{sets.unloaded} without a load")
    if sets.in_deload:
        why.append(f"{sets.in_deload} in deload weeks, which are left out on purpose")
    return (
        f"{sets.logged} main-lift set{'s' if sets.logged != 1 else ''} logged in these weeks, but none "
        f"estimates a 1RM: {'; '.join(why)}. An estimate needs a loaded set with reps plus reps in "
        f"reserve of {MAX_E1RM_REPS} or fewer (5 reps at RIR 3, say)."
    )


def lift_sentence(lift: LiftTrend, name: str, units: UnitSystem) -> str:
    """e.g. "Back squat e1RM 92.5 kg, up 7.5 kg in 8 weeks (1.36 × body mass)"."""
    first, last = lift.points[0], lift.points[-1]
    label = units.mass_label
    now = display_from_kg(last.e1rm_kg, units)
    sentence = f"{name} e1RM {now:.1f} {label}"
    if len(lift.points) > 1:
        weeks = max(1, round((last.date - first.date).days / 7))
        change = _change(now - display_from_kg(first.e1rm_kg, units), label)
        sentence += f", {change} in {weeks} week{'s' if weeks != 1 else ''}"
    if last.relative_strength is not None:
        sentence += f" ({last.relative_strength:.2f} × body mass)"
    return sentence


def body_mass_sentence(progress: Progress) -> str | None:
    trend, units = progress.report.body_mass_trend, progress.units
    if not trend:
        return None
    label = units.mass_label
    now = display_from_kg(trend[-1][1], units)
    change_pct = progress.report.body_mass_change_pct
    if change_pct is None or abs(change_pct) <= STABLE_PCT:
        return f"Body mass steady at {now:.1f} {label} (7-day average)."
    change = _change(now - display_from_kg(trend[0][1], units), label)
    return f"Body mass {change} to {now:.1f} {label} (7-day average) since {trend[0][0]:%-d %b}."


def running_sentence(progress: Progress) -> str | None:
    """The weeks' running, then today's load (which earlier runs give even after weeks without one)."""
    weeks, units = progress.running_weeks, progress.units
    parts = []
    if any(week.runs for week in weeks):
        label = units.distance_label
        total = display_from_m(sum(week.distance_m for week in weeks), units)
        parts.append(
            f"{total:.1f} {label} in {sum(week.runs for week in weeks)} runs over {len(weeks)} weeks; "
            f"this week so far {display_from_m(weeks[-1].distance_m, units):.1f} {label}."
        )
    if progress.load_today is not None:
        parts.append(load_sentence(progress.load_today))
    return " ".join(parts) or None


def load_sentence(load: LoadDay) -> str:
    """Today's running load, from every run on record: the numbers the coach's pages show."""
    sentence = f"Today: fitness (CTL) {load.fitness.ctl:.0f}, fatigue (ATL) {load.fitness.atl:.0f} AU per day"
    acwr = load.acwr
    if acwr.ratio is not None and acwr.band is not None:
        return f"{sentence}, ACWR {acwr.ratio:.2f} ({acwr.band.value})."
    return f"{sentence}; ACWR not yet (it needs 28 days from the first run on record)."


def balance_sentence(progress: Progress) -> str | None:
    weeks = [week for week in progress.report.balance if week.posterior_sets or week.anterior_sets]
    if not weeks:
        return None
    target = progress.posterior_target
    rated = [week for week in weeks if week.ratio is not None]
    met = sum(1 for week in rated if ratio_holds(week.posterior_sets, week.anterior_sets, target))
    last = weeks[-1]
    ratio = "no anterior sets" if last.ratio is None else f"ratio {last.ratio:.2f}"
    return (
        f"{met} of {len(rated)} weeks with anterior work at or above the target of {target:g}; "
        f"last logged week {last.iso_week}: {last.posterior_sets} posterior to {last.anterior_sets} "
        f"anterior sets ({ratio})."
    )


def adherence_sentence(progress: Progress) -> str | None:
    adherence = progress.report.adherence
    if adherence.share is None:
        return None
    return f"{adherence.done} of {adherence.planned} planned sessions done ({adherence.share:.0%})."


@dataclass(frozen=True, slots=True)
class Table:
    """A chart's numbers as a table, formatted for display (the profile's units)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _optional(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def progress_tables(progress: Progress) -> dict[str, Table]:
    units, report = progress.units, progress.report
    mass, distance = units.mass_label, units.distance_label
    trend = dict(report.body_mass_trend)
    target = progress.posterior_target
    return {
        "strength": Table(
            "Estimated 1RM per session",
            ("date", "lift", f"e1RM ({mass})", "× body mass"),
            tuple(
                (
                    str(p.date),
                    progress.names.get(lift.exercise_id, lift.exercise_id),
                    f"{display_from_kg(p.e1rm_kg, units):.1f}",
                    _optional(p.relative_strength, ".2f"),
                )
                for lift in report.lifts
                for p in lift.points
            ),
        ),
        "body_mass": Table(
            "Weigh-ins",
            ("date", f"weigh-in ({mass})", f"7-day average ({mass})"),
            tuple(
                (
                    str(w.date),
                    f"{display_from_kg(w.mass_kg, units):.1f}",
                    _optional(None if w.date not in trend else display_from_kg(trend[w.date], units), ".1f"),
                )
                for w in progress.weigh_ins
            ),
        ),
        "running": Table(
            "Running per week (load on the week's last day)",
            ("week of", f"distance ({distance})", "runs", "CTL", "ATL", "ACWR"),
            tuple(
                (
                    str(w.week_start),
                    f"{display_from_m(w.distance_m, units):.1f}",
                    str(w.runs),
                    f"{w.ctl:.0f}",
                    f"{w.atl:.0f}",
                    _optional(w.acwr, ".2f"),
                )
                for w in progress.running_weeks
            ),
        ),
        "balance": Table(
            f"Lower-body sets per week (target {target:g} posterior per anterior)",
            ("week", "posterior", "anterior", "ratio", "target met"),
            tuple(
                (
                    w.iso_week,
                    str(w.posterior_sets),
                    str(w.anterior_sets),
                    _optional(w.ratio, ".2f"),
                    "yes" if ratio_holds(w.posterior_sets, w.anterior_sets, target) else "no",
                )
                for w in report.balance
            ),
        ),
        "adherence": Table(
            "Strength sessions per week",
            ("week of", "planned", "done"),
            tuple((str(w.week_start), str(w.planned), str(w.done)) for w in progress.adherence_weeks),
        ),
    }


def progress_context(progress: Progress) -> dict[str, Any]:
    """Everything the template shows: charts in page order, sentences and tables."""
    specs = progress_charts(progress)
    names = progress.names
    empty = dict(EMPTY, e1rm=e1rm_empty(progress.lift_sets))
    if progress.lift_sets.logged and not specs["e1rm"]:
        empty["relative_strength"] = (
            "Relative strength (e1RM ÷ body mass) starts with the first estimated 1RM."
        )
    return {
        "progress": progress,
        "charts": {name: ChartView(name, spec, empty[name]) for name, spec in specs.items()},
        "tables": progress_tables(progress),
        "lift_sentences": [
            lift_sentence(lift, names.get(lift.exercise_id, lift.exercise_id), progress.units)
            for lift in progress.report.lifts
            if lift.points
        ],
        "body_mass_sentence": body_mass_sentence(progress),
        "running_sentence": running_sentence(progress),
        "balance_sentence": balance_sentence(progress),
        "adherence_sentence": adherence_sentence(progress),
        "acwr_caveat": ACWR_CAVEAT,
    }


def _context(
    progress: Progress | None, *, weeks: int, viewer: Account, subject: Account | None
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav": "squads" if viewer.role is Role.COACH else "progress",
        "weeks": weeks,
        "week_choices": sorted({*WEEK_CHOICES, weeks}),
        "subject": subject,  # None: the viewer's own progress
        "read_only": subject is not None and subject.id != viewer.id,
        "progress": None,
    }
    if progress is not None:
        context.update(progress_context(progress))
    return context


@router.get("/progress")
async def own_progress(request: Request, views: OwnViews, weeks: Weeks = DEFAULT_WEEKS) -> Response:
    def build() -> Made:
        progress = show_progress(
            views.uow, today=views.today, catalogue=views.catalogue, weeks=weeks, athlete_id=views.athlete_id
        )
        context = _context(progress, weeks=weeks, viewer=views.account, subject=None)
        return made_page(request, "progress/page.html", context)

    return await views.answer(("progress page", weeks), build)


@router.get("/athletes/{user_id}/progress")
def athlete_progress(
    request: Request,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    viewed: Viewed,
    viewer: CurrentAccount,
    weeks: Weeks = DEFAULT_WEEKS,
) -> Response:
    """Read-only: an athlete's progress as a coach of their squad sees it (or the athlete, their own)."""
    progress = (
        None
        if viewed.athlete_id is None
        else show_progress(uow, today=today, catalogue=catalogue, weeks=weeks, athlete_id=viewed.athlete_id)
    )
    return render(
        request, "progress/page.html", _context(progress, weeks=weeks, viewer=viewer, subject=viewed)
    )
