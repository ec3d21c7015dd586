"""API schemas shared by several routers: `XCreate` in, `XPublic` out."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ironmile.domain.accounts import Account, Role


class Problem(BaseModel):
    """Every error response: a message, and each field at fault."""

    detail: str
    fields: list[dict[str, str]] = Field(default_factory=list)


ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "not signed in"},
    403: {"model": Problem, "description": "not allowed (or the CSRF token is missing)"},
    404: {"model": Problem, "description": "not found, or not yours"},
    409: {"model": Problem, "description": "finish onboarding first"},
    422: {"model": Problem, "description": "bad input, with the fields named"},
}


class AccountPublic(BaseModel):
    id: int
    email: str
    role: Role
    has_profile: bool

    @classmethod
    def of(cls, account: Account) -> AccountPublic:
        return cls(
            id=account.id, email=account.email, role=account.role, has_profile=account.athlete_id is not None
        )


class SessionCreate(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class AccountCreate(SessionCreate):
    role: Role = Role.ATHLETE


class CsrfPublic(BaseModel):
    csrf_token: str
    header: str = "X-CSRF-Token"
