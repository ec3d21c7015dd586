"""The web app's settings: one object, read from `IRONMILE_*` environment variables, built once.

Outside development the secret must be set to a real value (at least 32 characters): with the
placeholder, anyone who read this file could forge a session cookie, so the app refuses to start.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "development-only-secret-do-not-use-in-production"
SECRET_MIN_LENGTH = 32  # characters; `python -c "import secrets; print(secrets.token_urlsafe(32))"`


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class WebSettings(BaseSettings):
    """Every field can be set as `IRONMILE_<NAME>` (for example `IRONMILE_SECRET_KEY`)."""

    model_config = SettingsConfigDict(env_prefix="IRONMILE_", extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    db: str | None = Field(default=None, description="SQLAlchemy URL or SQLite path; default: the user's")
    secure_cookies: bool | None = Field(
        default=None, description="Secure cookies; default: on unless the app serves localhost only"
    )
    session_days: int = Field(default=14, ge=1, le=365)
    max_upload_mb: int = Field(default=200, ge=1, le=4096)
    login_attempts: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    threads: int = Field(
        default=16, ge=1, le=256, description="requests a worker process works on at once, in threads"
    )
    view_cache_entries: int = Field(
        default=1024, ge=0, le=1_000_000, description="finished pages and API reads kept per worker; 0: none"
    )
    public_url: str | None = Field(default=None, description="the app's address as users reach it")

    @model_validator(mode="after")
    def _refuse_unsafe_secret(self) -> Self:
        """The placeholder is for development on localhost only: in production, or when cookies are
        Secure (`ironmile serve` beyond localhost sets that), a real secret is required."""
        if self.environment is Environment.DEVELOPMENT and not self.secure_cookies:
            return self
        secret = self.secret_key.get_secret_value()
        if secret == PLACEHOLDER_SECRET or len(secret) < SECRET_MIN_LENGTH or len(set(secret)) < 8:
            where = (
                f"IRONMILE_ENVIRONMENT={self.environment.value}"
                if self.environment is not Environment.DEVELOPMENT
                else "serving beyond localhost"
            )
            raise ValueError(
                f"IRONMILE_SECRET_KEY must be set to a random value of at least {SECRET_MIN_LENGTH} "
                f"characters ({where}); with the placeholder anyone could sign a session cookie"
            )
        return self

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024
