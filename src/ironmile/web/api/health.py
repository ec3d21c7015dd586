"""`GET /healthz`: 200 when the app answers and its database does, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ironmile import __version__
from ironmile.adapters.db.engine import read_only_engine
from ironmile.web.deps import State, on_loop_if_local

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.head("/healthz", include_in_schema=False)  # load balancers and uptime monitors probe with HEAD
@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(state: State) -> JSONResponse:
    def probe() -> None:
        with read_only_engine(state.engine).connect() as connection:  # no write lock for a probe
            connection.execute(text("SELECT 1"))

    try:
        await on_loop_if_local(state, probe)
    except SQLAlchemyError as error:
        body = Health(status="unavailable", database=type(error).__name__, version=__version__)
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Health(status="ok", database="ok", version=__version__).model_dump())
