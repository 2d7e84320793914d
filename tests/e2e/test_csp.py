"""The Content-Security-Policy does not break the site: in a real browser, every main page of every demo role —
and the admin's pages, the sheet import, the sign-in and lockout pages — loads without the browser refusing
anything (no `securitypolicyviolation` event), without a console error and without a script error.

The policy (settings.CONTENT_SECURITY_POLICY) allows only our own files: no inline <script>/<style>, no style=""
or onclick="" attributes, no eval. A template that brings one back, or htmx injecting its indicator <style>,
makes this test fail with the refused directive and where it happened.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from indicators.models import ActionPlan
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"
TEXTS = PLAN + "report-text/"
INDICATOR = PLAN + "indicators/1.3.1/"

# Registered before any script of each page runs, so that nothing the page does goes unseen.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`
  );
});
"""

OFFICE_PAGES = [
    "/",
    PLAN,
    PLAN + "edit/",
    INDICATOR,
    TEXTS + "letter/1/",
    TEXTS + "letter/4/",
    TEXTS + "introduction/",
    TEXTS + "initiatives/",
    PLAN + "import/",
    "/accounts/password_change/",
    "/waiting/",
    "/profile/",
]
PAGES_BY_ROLE = {
    "mofa.officer": OFFICE_PAGES,
    "mofa.cio": OFFICE_PAGES,
    "cabinet.reviewer": [
        "/",
        "/review/",
        "/review/summary/",
        "/accounts/password_change/",
        "/waiting/",
        "/profile/",
    ],
    "msw.officer": ["/", "/accounts/password_change/", "/waiting/", "/profile/"],
    "admin": [
        "/",
        "/admin/",
        "/admin/indicators/actionplan/",
        "ACTIONPLAN_CHANGE",
        "/admin/indicators/indicator/",
        "/admin/indicators/indicator/import/",
        "/admin/indicators/indicator/export/",
        "/admin/indicators/progress/import/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/password_change/",
        "/accounts/password_change/",
    ],
}


@pytest.fixture
def demo_live(transactional_db, settings):
    # No slowing of failed sign-ins: the lockout page is reached by failing on purpose.
    settings.APA_LOGIN_SLOWDOWN_MAX_SECONDS = 0
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


class Watcher:
    """Collects what the browser refused or reported as an error on one page (one browser context)."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.expected_statuses: dict[str, int] = {}
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"script error: {error}"))
        page.on("response", self.on_response)
        page.on(
            "requestfailed",
            lambda request: self.console_errors.append(f"failed: {request.url} {request.failure}"),
        )

    def on_console(self, message) -> None:
        # Chromium also logs every failed load as a console error without its address; the page's own loads
        # are reported with it by on_response/requestfailed. What is left is the browser's own /favicon.ico
        # request on the admin's pages (Django's admin templates link no icon): a 404 the page never made.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def on_response(self, response) -> None:
        # The page and everything it loads (styles, scripts, fonts, htmx requests); the browser's own favicon
        # request is not the page's and is not seen here.
        path = "/" + response.url.split("/", 3)[-1]
        if response.status >= 400 and self.expected_statuses.get(path) != response.status:
            self.console_errors.append(f"{response.status} for {response.url}")

    def visit(self, path: str) -> list[str]:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (
            f"{path} answered {response and response.status}"
        )
        self.page.wait_for_load_state("load")
        return self.problems(path)

    def problems(self, where: str) -> list[str]:
        # A violation event is dispatched as a task: let any pending one arrive before reading them.
        self.page.wait_for_timeout(100)
        found = [f"{where}: {v}" for v in self.page.evaluate("window.__cspViolations")]
        found += [f"{where}: console: {text}" for text in self.console_errors]
        self.console_errors.clear()
        return found


@pytest.mark.parametrize("username", list(PAGES_BY_ROLE))
def test_every_main_page_loads_without_anything_refused(demo_live, new_page, username):
    """Each role's pages (and for the officer, editing a quarter in place with htmx) show no CSP violation, no
    console error and no script error."""
    page = new_page()
    watcher = Watcher(page)
    problems = watcher.visit("/accounts/login/")
    sign_in(page, username)
    problems += watcher.problems("after sign-in")

    for path in PAGES_BY_ROLE[username]:
        if path == "ACTIONPLAN_CHANGE":
            path = f"/admin/indicators/actionplan/{demo_live.pk}/change/"
        problems += watcher.visit(path)

    if username == "mofa.officer":
        # htmx swaps a form into the row and back; fragments must be as clean as pages.
        watcher.visit(PLAN)
        page.click("#ind-1-3-1 td.quarter >> nth=0 >> a")
        page.wait_for_selector("#ind-1-3-1 form")
        problems += watcher.problems("plan, editing Q1 of 1.3.1 in place")
        page.click("#ind-1-3-1 button[type=submit]")
        page.wait_for_selector("#ind-1-3-1 form", state="detached")
        problems += watcher.problems("plan, after saving Q1 of 1.3.1")
        # The plan editor swaps its whole form after each button.
        watcher.visit(PLAN + "edit/")
        page.click("button[value='add-indicator:0.0']")
        page.wait_for_selector("#a0-x0-i1-title")
        problems += watcher.problems("plan editor, after adding an indicator")

    assert problems == []


def test_sign_in_lockout_and_password_pages_load_without_anything_refused(demo_live, new_page, shots):
    """The pages around signing in: the sign-in page with its error, the lockout page, the password change with
    its errors and its confirmation."""
    page = new_page()
    watcher = Watcher(page)
    problems = watcher.visit("/accounts/login/")

    watcher.expected_statuses["/accounts/login/"] = 429  # the lockout page's status
    for attempt in range(5):
        page.fill("#id_username", "msw.officer")
        page.fill("#id_password", "wrong password")
        page.click("main button[type=submit]")
        page.wait_for_load_state("load")
        problems += watcher.problems(f"failed sign-in {attempt + 1}")
    assert "মিনিটের জন্য বন্ধ" in page.inner_text("main")
    shots(page, "locked-out")

    sign_in(page, "mofa.officer")
    watcher.visit("/accounts/password_change/")
    page.fill("#id_old_password", "test-pass-123")
    page.fill("#id_new_password1", "1234")
    page.fill("#id_new_password2", "1234")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "পাসওয়ার্ডটি খুব ছোট" in page.inner_text("main")
    shots(page, "password-change-refused")
    problems += watcher.problems("password change refused")

    page.fill("#id_old_password", "test-pass-123")
    page.fill("#id_new_password1", "Sturdy-harbour-1971")
    page.fill("#id_new_password2", "Sturdy-harbour-1971")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/password_change/done/$"))
    shots(page, "password-changed")
    problems += watcher.problems("password changed")

    assert problems == []


def test_the_watch_sees_what_the_policy_refuses(demo_live, new_page):
    """The check above can fail: the sign-in page served without base.html's htmx configuration and with one
    style attribute added is reported twice — htmx's injected indicator <style> and the attribute."""
    page = new_page()

    def tampered(route):
        response = route.fetch()
        html = re.sub(r'<meta name="htmx-config"[^>]*>', "", response.text())
        html = html.replace("<h1>", '<h1 style="color: red">', 1)
        route.fulfill(response=response, body=html)

    page.route("**/accounts/login/", tampered)
    problems = Watcher(page).visit("/accounts/login/")
    refused = "\n".join(problems)
    assert "style-src-elem refused inline" in refused  # htmx's <style>
    assert "style-src-attr refused inline" in refused  # style="…"
