"""`ironmile serve`: the web app on uvicorn."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from ironmile.cli.common import EXIT_BAD_INPUT, _fail, app
from ironmile.cli.training import DbOption


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 for every interface.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes: one per CPU core on a server.")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Start the web app (pages and the /api/v1 JSON API) and print its address.

    Settings come from IRONMILE_* environment variables (docs/web.md); cookies are marked Secure
    unless the app listens on localhost only. Outside development set IRONMILE_ENVIRONMENT=production
    and IRONMILE_SECRET_KEY.

    Example: ironmile serve --port 8000 --db ironmile.db
    """
    import uvicorn
    from pydantic import ValidationError

    from ironmile.adapters.db.engine import ENV_VAR, database_url
    from ironmile.web.settings import WebSettings

    os.environ[ENV_VAR] = database_url(db, os.environ)
    os.environ.setdefault("IRONMILE_SECURE_COOKIES", "false" if _loopback(host) else "true")
    try:
        WebSettings()  # a bad setting stops here, before a worker starts, with exit code 2
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        _fail(f"web settings: {problems}", EXIT_BAD_INPUT)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"ironmile web app: http://{shown}:{port}  (database: {os.environ[ENV_VAR]}; Ctrl+C stops it)")
    uvicorn.run(
        "ironmile.web.main:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
    )
