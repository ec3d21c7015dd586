"""Finished answers to the busiest reads (the Today, Plan and Progress pages and their API twins),
kept per athlete and per version of that athlete's data.

The database keeps one version number per athlete and raises it with triggers on every table of
their training data (migration 0006), whoever writes: this app, `ironmile log` or `import` on the
same SQLite file, a restore. Versions only grow and are never shared between athletes, so a key
holding (athlete, version) can never answer with someone else's data or with data older than the
version it names. Every request reads the version along with its account (`deps.signed_in`, one
small transaction), so a change made anywhere shows on the very next request.

Why: building a Today page from a year of logs takes about 35 ms of Python, answering it from
memory about 0.3 ms; a 2-core server takes 50 phones at once only the second way. A miss is built
in the thread pool like any sync route; a hit is answered on the event loop with no thread hop
(each hop costs more than the whole hit), but for the account read on PostgreSQL, a network round
trip that goes to the thread pool (deps.on_loop_if_local).

A page is kept with a placeholder where the session's CSRF token goes, filled per response, so
one copy serves every session of the same viewer. Pages also carry the template and context for
tests, which read them as from any rendered page.
"""

from __future__ import annotations

import asyncio
import gzip
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from jinja2 import Template
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ironmile.web.security import csrf_token

# Random per process, so no stored text (a note, a name) can ever spell it.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
V = TypeVar("V")
_DEBUG = "http.response.debug"  # the ASGI extension Starlette's TestClient reads templates through
GZIP_MIN_BYTES = 1024  # below this, gzip's header and a round of inflating cost more than they save


@dataclass(frozen=True, slots=True)
class Made:
    """One finished answer: the body as sent (a page with the CSRF placeholder), its media type,
    and for a page the template and context it was rendered from.

    Only API answers are gzipped: a page holds the session's CSRF token next to text a request can
    put there (a query parameter shown back), the mix that compression turns into a leak (BREACH).
    """

    body: bytes
    media_type: str
    status: int = 200
    gzipped: bytes | None = None  # the body gzipped, for an answer worth compressing
    template: Template | None = None
    context: Mapping[str, Any] | None = None


def made_json(document: BaseModel | str) -> Made:
    """An API answer to be kept: the model as FastAPI would send it (field aliases, JSON types),
    or a JSON document as it is; gzipped once here, for clients that accept it."""
    text = document if isinstance(document, str) else document.model_dump_json(by_alias=True)
    body = text.encode()
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    return Made(body, "application/json", gzipped=gzipped)


class ViewCache(Generic[V]):
    """A bounded map of answers (or of what they are made from: a squad's rows), least recently
    used out first. Thread-safe: misses are stored from the thread pool while hits are read on the
    event loop."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.building: dict[Hashable, asyncio.Future[V]] = {}  # misses being built, by key

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class MadeResponse(Response):
    """A kept answer sent to one request: with that session's CSRF token in place (a page), or
    gzipped when the request accepts it and the answer has a gzipped body."""

    def __init__(self, made: Made, token: str | None, *, accepts_gzip: bool = False) -> None:
        self.made, self.token = made, token
        if made.gzipped is not None and accepts_gzip:
            body = made.gzipped
        elif token is not None:
            body = made.body.replace(_PLACEHOLDER_BYTES, token.encode())
        else:
            body = made.body
        super().__init__(body, status_code=made.status, media_type=made.media_type)
        if made.gzipped is not None:
            self.headers["vary"] = "Accept-Encoding"
            if body is made.gzipped:
                self.headers["content-encoding"] = "gzip"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        made = self.made
        if made.template is not None and _DEBUG in scope.get("extensions", {}):
            context = {**(made.context or {}), "csrf_token": self.token}
            await send({"type": _DEBUG, "info": {"template": made.template, "context": context}})
        await super().__call__(scope, receive, send)


async def answer(
    request: Request, cache: ViewCache[Made], key: Hashable | None, build: Callable[[], Made]
) -> Response:
    """The kept answer for `key`, else `build()` run in the thread pool and kept. Requests that
    miss the same key at once wait for one build (after a write, every open phone of the athlete
    asks again). A `key` of None (no version known) builds every time."""
    made = cache.get(key) if key is not None else None
    if made is None:
        made = await (run_in_threadpool(build) if key is None else _built_once(cache, key, build))
    token = csrf_token(request) if made.template is not None else None
    return MadeResponse(made, token, accepts_gzip=accepts_gzip(request.headers.get("accept-encoding", "")))


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip: named (or `*`) without `q=0` (RFC 9110 12.5.3)."""
    for part in accept_encoding.lower().split(","):
        coding, _, parameters = part.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            quality = parameters.strip().removeprefix("q=")
            try:
                return not parameters.strip() or float(quality) > 0
            except ValueError:
                return False
    return False


async def _built_once(cache: ViewCache[Made], key: Hashable, build: Callable[[], Made]) -> Made:
    # Only the event loop's thread touches `building`, so the check and the insert cannot race.
    # The build goes on when the request that started it is cancelled (its client went away):
    # others may be waiting for it, and it is kept when done.
    task = cache.building.get(key)
    if task is None:
        task = cache.building[key] = asyncio.ensure_future(run_in_threadpool(build))

        def finished(done: asyncio.Future[Made]) -> None:
            cache.building.pop(key, None)
            if not done.cancelled() and done.exception() is None:
                cache.put(key, done.result())

        task.add_done_callback(finished)
    return await asyncio.shield(task)
