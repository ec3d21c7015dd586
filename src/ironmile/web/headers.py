"""Security and caching headers on every response, as plain ASGI middleware (Starlette's
BaseHTTPMiddleware would re-stream each response, and hide the template from tests)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Scripts only from our own files (no inline script); Vega draws with inline styles and compiles
# chart expressions with `new Function`, hence 'unsafe-eval' and inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if static and message["status"] in (200, 304):
                    headers["Cache-Control"] = "public, max-age=31536000, immutable"  # versioned URLs
                elif "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"  # private data: never in a shared cache
            await send(message)

        await self.app(scope, receive, with_headers)
