"""What the app is built from, made once in `create_app` and shared by every request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from argon2 import PasswordHasher
from sqlalchemy import Engine

from ironmile.domain.accounts import LoginLimit
from ironmile.domain.catalogue import Catalogue
from ironmile.services.squad_overview import MemberRow
from ironmile.web.settings import WebSettings
from ironmile.web.view_cache import Made, ViewCache


@dataclass(frozen=True, slots=True)
class AppState:
    """`today` and `now_utc_s` are the clock (tests pass fixed ones); `hasher` the argon2 cost."""

    settings: WebSettings
    engine: Engine
    catalogue: Catalogue
    today: Callable[[], date]
    now_utc_s: Callable[[], float]
    hasher: PasswordHasher
    login_limit: LoginLimit
    secure_cookies: bool
    views: ViewCache[Made]  # finished pages and API answers (view_cache.py)
    squad_rows: ViewCache[MemberRow]  # squad overview rows, per member and version of their data
