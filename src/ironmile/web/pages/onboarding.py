"""The onboarding wizard: six short steps build a new athlete's profile, a review shows it and the
plan it gives, and "Build my plan" stores both.

The server keeps no wizard state: every step's form carries the earlier answers as hidden fields.
Each step checks its own fields (through the profile parser, with the other steps stood in by
valid placeholders), and finishing checks the whole profile again, sending the athlete back to
the step and field at fault. Step 1 can instead read a running archive to fill in the week.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from ironmile.adapters.profile_toml import next_monday
from ironmile.adapters.profile_writer import write_profile
from ironmile.domain.accounts import Account
from ironmile.domain.athlete import DAY_NAMES, DAY_TITLES, RED_FLAGS
from ironmile.domain.catalogue import EQUIPMENT, Catalogue
from ironmile.domain.errors import InputError, ProfileError
from ironmile.services import onboarding
from ironmile.services.importing import upload_limits
from ironmile.web.deps import AthleteAccount, CatalogueDep, Today, Uow, state_of
from ironmile.web.forms import form_values, text
from ironmile.web.pages.onboarding_form import RACE_FIELD, race_count, read_answers, units_of
from ironmile.web.templating import render

router = APIRouter()

Values = dict[str, str | list[str]]


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    slug: str  # the template's name
    title: str
    fields: tuple[str, ...]  # ProfileAnswers fields, which are also the form's input names


RUNNING = ("units", "run_days", "key_days", "long_run_day", "weekly_distance", "time_zone")
STRENGTH = ("strength_level", "equipment", "available_days", "session_minutes", "start_date")
STEPS = (
    Step(1, "running", "Your running week", RUNNING),
    Step(2, "races", "Your races", ("races",)),
    Step(3, "strength", "Strength training", STRENGTH),
    Step(4, "body", "About you", ("body_mass", "goal", "sex")),
    Step(5, "knees", "Your knees", ("knee_pain", "red_flags")),
    Step(6, "screen", "The quad-dominance screen", ("bridge_left", "bridge_right", "felt_in", "hq_ratio")),
)
REVIEW = len(STEPS) + 1
GENERAL = "profile"  # errors that belong to no one field
ARCHIVE_FIELDS = ("archive_token", "archive_note")
DEFAULTS: Values = {"units": "metric", "strength_level": "novice", "goal": "strength", "knee_pain": "0"}
DEFAULTS["session_minutes"] = "45"
# the input for a profile field whose last name is not the input's own
FORM_FIELD = {"athlete": "body_mass", "running": "run_days", "strength": "available_days"}
FORM_FIELD |= {"health": "knee_pain", "screen": "felt_in", "single_leg_bridge": "bridge_left"}
FORM_FIELD |= {"left": "bridge_left", "right": "bridge_right"}


def step_of(field: str) -> int:
    if field == "races" or RACE_FIELD.match(field):
        return 2
    return next((step.number for step in STEPS if field in step.fields), REVIEW)


def form_field(path: str) -> str:
    """The wizard's input for a profile field path (`races[1].date` -> `races-1-date`)."""
    race = re.match(r"^races\[(\d+)\](?:\.(\w+))?", path)
    if race:
        return f"races-{race[1]}-{race[2] or 'date'}"
    last = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
    return FORM_FIELD.get(last, last or GENERAL)


# --- reading the form -----------------------------------------------------------------------------


def carried(values: Mapping[str, str | list[str]]) -> Values:
    """The wizard's own fields, race rows renumbered without blank ones (what the server ignores:
    anything else a request sends)."""
    known = {field for step in STEPS for field in step.fields} | set(ARCHIVE_FIELDS)
    kept: Values = {k: v for k, v in values.items() if k in known}
    rows: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        if (match := RACE_FIELD.match(key)) and isinstance(value, str):
            rows.setdefault(int(match[1]), {})[match[2]] = value.strip()
    filled = [row for _, row in sorted(rows.items()) if any(row.get(f) for f in ("name", "date", "distance"))]
    for position, row in enumerate(filled):
        kept.update({f"races-{position}-{name}": value for name, value in row.items()})
    return kept


def problems(
    values: Mapping[str, str | list[str]], *, today: date, catalogue: Catalogue, step: int | None = None
) -> dict[str, str]:
    """Every problem, keyed by the input at fault: of one step (the rest of the profile stood in
    by placeholders), or of the whole profile when `step` is None."""
    answers, errors = read_answers(values)
    try:
        if step is None:
            onboarding.check(answers, today=today, catalogue=catalogue)
        else:  # races may not come before the plan starts
            own = STEPS[step - 1].fields + (("start_date",) if step == 2 else ())
            onboarding.check_part(answers, own, today=today, catalogue=catalogue)
    except ProfileError as error:
        for problem in error.problems:
            errors.setdefault(form_field(problem.field), problem.message)
    return errors if step is None else {k: v for k, v in errors.items() if step_of(k) == step}


# --- pages ----------------------------------------------------------------------------------------


def page(
    request: Request,
    step: int,
    values: Values,
    errors: Mapping[str, str] | None = None,
    *,
    today: date,
    catalogue: Catalogue,
    status: int = 200,
    extra: Mapping[str, object] | None = None,
) -> Response:
    units = units_of(values)
    context: dict[str, object] = {
        "nav": "onboarding",
        "step": step,
        "steps": STEPS,
        "title": STEPS[step - 1].title if step != REVIEW else "Check and build your plan",
        "values": values,
        "errors": dict(errors or {}),
        "shown": () if step == REVIEW else STEPS[step - 1].fields,  # the rest travel as hidden fields
        "mass_label": units.mass_label,
        "distance_label": units.distance_label,
        "days": list(zip(DAY_NAMES, DAY_TITLES, strict=True)),
        "equipment": EQUIPMENT,
        "red_flags": RED_FLAGS,
        "race_rows": race_count(values) + 1,
        "default_start": next_monday(today),
        "max_upload_mb": request.app.state.ironmile.settings.max_upload_mb,
        **(extra or {}),
    }
    if step == REVIEW and not errors:
        answers, _ = read_answers(values)
        context["profile_toml"] = write_profile(answers)
        context["preview"] = onboarding.preview(answers, today=today, catalogue=catalogue)
    slug = STEPS[step - 1].slug if step != REVIEW else "review"
    return render(request, f"onboarding/{slug}.html", context, status=status)


def _onboarded(athlete_id: int | None) -> Response | None:
    return RedirectResponse("/plan", status_code=303) if athlete_id is not None else None


@router.get("/onboarding")
def start(request: Request, account: AthleteAccount, today: Today, catalogue: CatalogueDep) -> Response:
    return _onboarded(account.athlete_id) or page(
        request, 1, dict(DEFAULTS), today=today, catalogue=catalogue
    )


@router.post("/onboarding")
async def advance(
    request: Request, account: AthleteAccount, uow: Uow, today: Today, catalogue: CatalogueDep
) -> Response:
    if (done := _onboarded(account.athlete_id)) is not None:
        return done
    async with request.form() as form:  # closed when done: no temporary file outlives the request
        return await _advance(request, form, account, uow, today, catalogue)


async def _advance(
    request: Request, form: FormData, account: Account, uow: Uow, today: date, catalogue: Catalogue
) -> Response:
    step = int(text(form, "step")) if text(form, "step") in {str(n) for n in range(1, REVIEW + 1)} else 1
    action = text(form, "action") or "next"
    values = carried(form_values(form))

    def show(target: int, errors: Mapping[str, str] | None = None, status: int = 200) -> Response:
        return page(request, target, values, errors, today=today, catalogue=catalogue, status=status)

    if action == "back":
        return show(max(1, step - 1))
    if action.startswith("goto-") and action[5:].isdigit() and 1 <= int(action[5:]) <= step:
        return show(int(action[5:]))
    if action == "add_race":
        return show(2)
    if removed := re.fullmatch(r"remove-race-(\d{1,2})", action):
        values = carried({k: v for k, v in values.items() if not k.startswith(f"races-{removed[1]}-")})
        return show(2)
    if step < REVIEW:
        own = problems(values, today=today, catalogue=catalogue, step=step)
        if own:
            return show(step, own, 422)
        if step + 1 < REVIEW:
            return show(step + 1)
    every = problems(values, today=today, catalogue=catalogue)
    if every:  # back to the first step at fault, with its own problems
        first = min(map(step_of, every))
        return show(first, {field: text for field, text in every.items() if step_of(field) == first}, 422)
    if action != "finish":
        return show(REVIEW)
    answers, _ = read_answers(values)
    token = values.get("archive_token")
    try:
        finished = await run_in_threadpool(
            lambda: onboarding.finish(
                uow,
                account=account,
                profile=answers,
                today=today,
                catalogue=catalogue,
                staged_token=token if isinstance(token, str) else None,
                limits=upload_limits(state_of(request).settings.max_upload_bytes),
            )
        )
    except onboarding.ProfileExists:
        return RedirectResponse("/plan", status_code=303)
    except InputError as error:
        return show(REVIEW, {GENERAL: str(error)}, 422)
    if not finished.notes:
        return RedirectResponse("/plan", status_code=303)
    request.session["onboarding_notes"] = list(finished.notes)
    return RedirectResponse("/onboarding/done", status_code=303)


@router.get("/onboarding/done")
def done(request: Request, account: AthleteAccount) -> Response:
    notes = request.session.pop("onboarding_notes", None)
    if account.athlete_id is None or not isinstance(notes, list):
        return RedirectResponse("/plan" if account.athlete_id is not None else "/onboarding", status_code=303)
    return render(request, "onboarding/done.html", {"nav": "onboarding", "notes": notes})


@router.post("/onboarding/archive")
async def archive(
    request: Request, account: AthleteAccount, today: Today, catalogue: CatalogueDep
) -> Response:
    """Read an uploaded running archive into step 1; keep it to import once the profile exists."""
    if (done := _onboarded(account.athlete_id)) is not None:
        return done
    async with request.form() as form:
        return await _archive(request, form, account, today, catalogue)


async def _archive(
    request: Request, form: FormData, account: Account, today: date, catalogue: Catalogue
) -> Response:
    values = carried(form_values(form))
    upload = form.get("archive")

    def refuse(message: str) -> Response:
        return page(request, 1, values, {"archive": message}, today=today, catalogue=catalogue, status=422)

    if not isinstance(upload, UploadFile) or not upload.filename:
        return refuse("choose your archive file first (" + onboarding.EXPECTED_UPLOAD + ")")
    suffix = onboarding.upload_suffix(upload.filename)
    if suffix is None:
        return refuse(
            f"{upload.filename!r} is not an archive or an activity file; {onboarding.EXPECTED_UPLOAD}"
        )
    values.pop("archive_token", None)  # staging this upload deletes the account's earlier one
    values.pop("archive_note", None)
    max_upload_bytes = state_of(request).settings.max_upload_bytes
    quota = onboarding.STAGED_UPLOADS * max_upload_bytes
    try:  # refused with 422 and a message when the staging folder is full or unsafe
        token = await run_in_threadpool(
            onboarding.stage_upload, upload.file, owner_id=account.id, suffix=suffix, quota_bytes=quota
        )
    except InputError as error:
        return refuse(str(error).removeprefix("archive: "))
    try:
        week = await run_in_threadpool(
            lambda: onboarding.read_staged_week(
                token,
                owner_id=account.id,
                today=today,
                time_zone=text(values, "time_zone"),
                display_name=upload.filename,
                limits=upload_limits(max_upload_bytes),
            )
        )
    except InputError as error:
        onboarding.discard_staged(token, owner_id=account.id)
        return refuse(str(error).removeprefix("archive: "))
    values |= week.running_answers(units_of(values)) | {"archive_token": token, "archive_note": week.summary}
    extra = {
        "reasons": week.inferred.reasons if week.inferred else (),
        "unreadable": onboarding.unreadable_summary(week.unreadable) if week.unreadable else "",
    }
    return page(request, 1, values, today=today, catalogue=catalogue, extra=extra)
