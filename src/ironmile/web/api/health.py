"""`GET /healthz`: 200 when the app answers and its database does, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ironmile import __version__
from ironmile.adapters.db.engine import read_only_engine
from ironmile.web.deps import State

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.head("/healthz", include_in_schema=False)  # load balancers and uptime monitors probe with HEAD
@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(state: State) -> JSONResponse:
    """On the event loop: a `SELECT 1` takes less than a hop to the thread pool and back."""
    try:
        with read_only_engine(state.engine).connect() as connection:  # no write lock for a probe
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        body = Health(status="unavailable", database=type(error).__name__, version=__version__)
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Health(status="ok", database="ok", version=__version__).model_dump())
