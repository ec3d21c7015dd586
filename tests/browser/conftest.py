"""Browser fixtures: the real app under uvicorn on a free local port, Debian's Chromium driven by
Playwright, pages at phone and desktop size, and a watch on every page for console errors, uncaught
exceptions, Content-Security-Policy violations and failed requests, any of which fails the test.

Playwright never downloads a browser here: it launches the system Chromium named by
IRONMILE_CHROMIUM (the Makefile exports it; `make browser` installs it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parents[2]
# The docs' screenshots are rewritten only on request (`IRONMILE_SCREENSHOTS=docs/images/web`), so
# that a test run leaves the working tree as it was; otherwise they go to a temporary folder and are
# checked all the same.
SCREENSHOTS_ENV = "IRONMILE_SCREENSHOTS"
MAX_SCREENSHOT_BYTES = 400 * 1024
PASSWORD = "correct horse battery staple"
SERVER_START_TIMEOUT_S = 60.0  # the app imports and migrates first; the machine is shared
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    # No internet here: without these Chromium keeps calling home and fills the log with refusals.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PHONE_WIDTH_PX = 360
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
ACTION_TIMEOUT_MS = 15_000  # the machine is shared and slow; a page that needs longer is broken


@dataclass(frozen=True)
class LiveServer:
    """The app as users run it: `base_url` (http://127.0.0.1:<port>), its SQLite file and its log."""

    base_url: str
    db_path: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]


def season_start(today: date) -> date:
    """The Monday of last week: plans in these tests start there, so sessions lie on and before
    today and can be logged (the app refuses sets on days still to come)."""
    return today - timedelta(days=today.weekday() + 7)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_healthy(server: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"the app exited with code {server.returncode} before answering {url}; its log:\n"
                + log_path.read_text(errors="replace")[-6000:]
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"status {response.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(0.2)
    pytest.fail(
        f"{url} did not answer 200 within {SERVER_START_TIMEOUT_S:.0f} s ({last_error}); the app's log:\n"
        + log_path.read_text(errors="replace")[-6000:]
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`uvicorn --factory ironmile.web.main:app_from_environment` in its own process, as deployed."""
    folder = tmp_path_factory.mktemp("live")
    db_path, log_path = folder / "ironmile.db", folder / "server.log"
    port = _free_port()
    env = {
        **os.environ,
        "IRONMILE_DB": str(db_path),
        "IRONMILE_ENVIRONMENT": "development",
        "IRONMILE_SECURE_COOKIES": "false",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "ironmile.web.main:app_from_environment",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(server, f"{base_url}/healthz", log_path)
        yield LiveServer(base_url=base_url, db_path=db_path, log_path=log_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def chromium_path() -> Path:
    return Path(os.environ.get("IRONMILE_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = chromium_path()
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        pytest.fail(
            f"no Chromium at {executable}: run `make browser` (installs Debian's chromium with apt-get) "
            "or point IRONMILE_CHROMIUM at a Chromium executable"
        )
    browser = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class BrowserProblems:
    """What went wrong in the browser while a test ran: console errors (CSP violations show there),
    uncaught exceptions, requests that failed and server errors. `tolerate` names failures a test
    causes on purpose (going offline)."""

    seen: list[str] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)
    answered: list[Request] = field(default_factory=list, repr=False)  # requests whose response arrived

    def tolerate(self, fragment: str) -> None:
        self.tolerated.append(fragment)

    def _note(self, problem: str) -> None:
        if not any(fragment in problem for fragment in self.tolerated):
            self.seen.append(problem)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self._note(f"console error at {message.location.get('url', '?')}: {message.text}")

    def _page_error(self, error: Exception) -> None:
        self._note(f"uncaught exception: {error}")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED" and any(request is seen for seen in self.answered):
            # The response (its status) arrived and the script acted on it; the unread rest of
            # its body was dropped when the page moved on. Nothing failed.
            return
        self._note(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        self.answered.append(response.request)
        if response.status >= 500:
            self._note(f"server error {response.status}: {response.request.method} {response.url}")

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)


@pytest.fixture
def problems(live_server: LiveServer) -> Iterator[BrowserProblems]:
    found = BrowserProblems()
    yield found
    if found.seen:
        pytest.fail(
            "the browser reported problems:\n  "
            + "\n  ".join(found.seen)
            + "\nthe app's log (tail):\n"
            + live_server.log(),
            pytrace=False,
        )


def open_page(browser: Browser, problems: BrowserProblems, base_url: str, size: dict[str, Any]) -> Page:
    context = browser.new_context(base_url=base_url, accept_downloads=True, locale="en-GB", **size)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    problems.watch(page)
    return page


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer, problems: BrowserProblems) -> Iterator[Page]:
    """A fresh browser (own cookies) the size of a small phone: 360×780 CSS px at 2× density, touch."""
    page = open_page(browser, problems, live_server.base_url, PHONE)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser: Browser, live_server: LiveServer, problems: BrowserProblems) -> Iterator[Page]:
    """A fresh browser (own cookies) with a 1280×900 desktop window."""
    page = open_page(browser, problems, live_server.base_url, DESKTOP)
    yield page
    page.context.close()


# Helpers the tests share -------------------------------------------------------------------------


def assert_at(page: Page, path: str) -> None:
    """The browser is on `path`; if not, say where it ended and what that page says."""
    where = urlsplit(page.url).path
    assert where == path, (
        f"expected {path}, the browser is on {page.url}: {page.locator('main').inner_text()[:400]}"
    )


def fetch_json(page: Page, url: str, method: str = "GET", body: object = None) -> Any:
    """Call the API from inside the page (its cookies, its network, its CSRF token) and return
    `{"status": int, "body": parsed JSON or text}`."""
    return page.evaluate(
        """async ([url, method, body]) => {
            const headers = {"Accept": "application/json"};
            if (method !== "GET") {
                const csrf = await (await fetch("/api/v1/csrf")).json();
                headers["X-CSRF-Token"] = csrf.csrf_token;
                headers["Content-Type"] = "application/json";
            }
            const payload = body === null ? undefined : JSON.stringify(body);
            const response = await fetch(url, {method, headers, body: payload});
            const text = await response.text();
            let parsed = text;
            try { parsed = JSON.parse(text); } catch (error) { /* not JSON: keep the text */ }
            return {status: response.status, body: parsed};
        }""",
        [url, method, body],
    )


def _scratch_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"ironmile-screenshots-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return folder


def screenshot(page: Page, name: str, *, top_of: Locator | None = None) -> Path:
    """Write <name> (into $IRONMILE_SCREENSHOTS, else a temporary folder) of what the window shows,
    scrolled to the top of the page or of `top_of`, and keep it small enough for the docs."""
    if top_of is None:
        page.evaluate("window.scrollTo(0, 0)")
    else:
        top_of.evaluate("element => element.scrollIntoView({block: 'start'})")
    folder = os.environ.get(SCREENSHOTS_ENV)
    path = (Path(folder) if folder else _scratch_folder()) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    size = path.stat().st_size
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{name} is not a PNG"
    assert size < MAX_SCREENSHOT_BYTES, f"{name} is {size / 1024:.0f} KB; keep screenshots under 400 KB"
    return path


OVERFLOWING_JS = """(limit) => {
    const sticksOut = (element) => element.getBoundingClientRect().right > limit + 0.5;
    const describe = (element) => {
        const classes = Array.from(element.classList).map((c) => "." + c).join("");
        const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes;
        const text = element.textContent.trim().replace(/\\s+/g, " ").slice(0, 60);
        const edge = Math.round(element.getBoundingClientRect().right);
        return `${name} ${JSON.stringify(text)} (right edge ${edge} px)`;
    };
    return Array.from(document.body.querySelectorAll("*"))
        .filter((element) => !element.closest(".scroll") && sticksOut(element))
        .filter((element) => !Array.from(element.children).some(sticksOut))
        .slice(0, 5)
        .map(describe);
}"""


def assert_fits_a_phone(page: Page) -> None:
    """Nothing scrolls sideways at 360 px (wide tables scroll inside their own `.scroll` box); when
    something does, the message names the elements that stick out."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH_PX:
        culprits = page.evaluate(OVERFLOWING_JS, PHONE_WIDTH_PX)
        raise AssertionError(
            f"{page.url} scrolls sideways on a phone: {width} px wide; sticking out: {culprits}"
        )


UNLABELLED_CONTROLS_JS = """() => Array.from(
    document.querySelectorAll("input:not([type=hidden]), select, textarea")
).filter((control) => {
    const text = (node) => (node ? node.textContent.trim() : "");
    if ((control.getAttribute("aria-label") || "").trim()) return false;
    const labelledBy = (control.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (labelledBy.some((id) => text(document.getElementById(id)))) return false;
    return !Array.from(control.labels || []).some((label) => text(label));
}).map((control) => control.outerHTML.slice(0, 160))"""


def assert_every_control_labelled(page: Page) -> None:
    """Every input, select and textarea has an accessible name: aria-label, aria-labelledby, a
    `<label for>` or a wrapping label with text."""
    unlabelled = page.evaluate(UNLABELLED_CONTROLS_JS)
    assert unlabelled == [], f"controls without a label on {page.url}: {unlabelled}"


def assert_phone_friendly(page: Page) -> None:
    assert_fits_a_phone(page)
    assert_every_control_labelled(page)
