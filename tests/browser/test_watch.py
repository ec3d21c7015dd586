"""The watch every browser test relies on must see what would otherwise pass unnoticed: a script
the app's Content-Security-Policy blocks, an uncaught exception, a request that fails."""

from __future__ import annotations

from playwright.sync_api import Browser, Route

from tests.browser.conftest import PHONE, BrowserProblems, LiveServer, open_page

INLINE = (
    '<script>window.inlineRan = true;</script><button id="inline" onclick="window.clicked = true">Go</button>'
)


def test_the_watch_reports_blocked_inline_code_exceptions_and_failed_requests(
    browser: Browser, live_server: LiveServer
) -> None:
    problems = BrowserProblems()
    page = open_page(browser, problems, live_server.base_url, PHONE)
    try:

        def with_inline_code(route: Route) -> None:
            served = route.fetch()  # the real page, with the app's real headers
            route.fulfill(response=served, body=served.text().replace("</main>", INLINE + "</main>"))

        page.route("**/login", with_inline_code)
        page.route("**/static/js/app.js*", lambda route: route.abort("connectionrefused"))
        page.goto("/login")
        page.locator("#inline").click()
        with page.expect_event("pageerror"):
            page.evaluate("setTimeout(() => { throw new Error('thrown by the page'); }, 0)")

        assert page.evaluate("[window.inlineRan, window.clicked]") == [None, None]
        seen = "\n".join(problems.seen)
        assert "inline script violates the following Content Security Policy" in seen, seen
        assert "inline event handler violates the following Content Security Policy" in seen, seen
        assert "uncaught exception: thrown by the page" in seen, seen
        assert f"request failed: GET {live_server.base_url}/static/js/app.js" in seen, seen
        assert "net::ERR_CONNECTION_REFUSED" in seen, seen
    finally:
        page.context.close()
