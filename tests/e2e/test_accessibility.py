"""Accessibility in a real browser (issue 14, points 8 and 10): axe-core on every page for every role, no page
wider than a 390 px phone, the plan page printed on A4 landscape with every column, and a keyboard-only walk
of a quarter's entry.

axe-core is the npm registry's axe-core 4.14.1 (MPL-2.0), vendored as static/js/axe-core-4.14.1.min.js with
its licence beside it, and served by the site like htmx (no CDN): a page loads it as a same-origin script, which
the Content-Security-Policy allows. The figures (violations by impact, per page and role) go to
var/axe/axe-report.json; screenshots at 390 px to var/screenshots/<test>/.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from indicators.models import ActionPlan, PeriodState
from indicators.periods import periods_ensure
from tests.e2e.conftest import sign_in
from workflow.transitions import period_transition

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"
AXE = "/static/js/axe-core-4.14.1.min.js"
REPORT = Path(__file__).resolve().parents[2] / "var" / "axe" / "axe-report.json"
BLOCKING = {"serious", "critical"}
PHONE = 390


@pytest.fixture
def demo_live(transactional_db, settings):
    # Approval queues its reports for a worker that never runs here: the pages are what is looked at.
    settings.REPORT_JOBS_MODE = "worker"
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


def step(plan: ActionPlan, quarter: int, action: str, username: str, comment: str = "") -> None:
    """A period's transition through the service, as the buttons do."""
    period = periods_ensure(plan)[quarter - 1]
    period_transition(
        period=period,
        action=action,
        user=get_user_model().objects.get(username=username),
        comment=comment,
        expected_version=period.version,
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations of the page as it is now (WCAG 2.x A/AA and best practices, axe's defaults)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length,
            }));
        }"""
    )


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


class Audit:
    """Runs axe on each page it is shown, at desktop and phone width, and keeps the figures."""

    def __init__(self, shots):
        self.shots = shots
        self.results: dict[str, list[dict]] = {}
        self.too_wide: dict[str, int] = {}

    def check(self, page, role: str, name: str) -> None:
        page.wait_for_load_state("networkidle")
        self.results[f"{role} {name} 1366"] = axe_violations(page)
        page.set_viewport_size({"width": PHONE, "height": 800})
        try:
            width = page_width(page)
            if width > PHONE:
                self.too_wide[f"{role} {name}"] = width
            self.results[f"{role} {name} {PHONE}"] = axe_violations(page)
            self.shots(page, f"{role}-{name}-390")
        finally:
            page.set_viewport_size({"width": 1366, "height": 768})

    def visit(self, page, role: str, name: str, url: str, *, optional: bool = False) -> None:
        response = page.goto(url)
        if optional and response.status in (403, 404, 405):
            return  # an admin page this model does not offer
        assert response.ok, f"{role} {name}: {url} answered {response.status}"
        self.check(page, role, name)

    def by_impact(self) -> Counter:
        return Counter(
            v["impact"] for found in self.results.values() for v in found for _ in range(v["count"])
        )

    def blocking(self) -> dict[str, list[str]]:
        return {
            where: [f"{v['impact']} {v['id']} ×{v['count']}: {v['help']} {v['nodes']}" for v in found]
            for where, found in self.results.items()
            if any(v["impact"] in BLOCKING for v in found)
        }

    def save(self) -> None:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        summary = {
            "axe_core": "4.14.1",
            "pages_checked": len(self.results),
            "violations_by_impact": dict(self.by_impact()),
            "wider_than_390": self.too_wide,
            "pages": self.results,
        }
        REPORT.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


def admin_pages() -> list[tuple[str, str]]:
    """The admin's index, and for every registered model its list, its add page (where adding is offered), the
    change page of its first object and the sheet import and export pages (where it has them)."""
    pages = [("admin-index", "/admin/")]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        pages.append((f"admin-{meta.model_name}-list", base))
        pages.append((f"admin-{meta.model_name}-add", f"{base}add/"))
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append((f"admin-{meta.model_name}-change", f"{base}{first.pk}/change/"))
        if hasattr(model_admin, "import_action"):
            pages.append((f"admin-{meta.model_name}-import", f"{base}import/"))
        if hasattr(model_admin, "export_action"):
            pages.append((f"admin-{meta.model_name}-export", f"{base}export/"))
    return pages


def test_axe_finds_no_serious_violation_on_any_page_for_any_role(demo_live, new_page, shots):
    """Every page each role opens through a quarter's whole way (draft, submitted, returned, approved, sent),
    the in-place editor open, the English interface and the admin: axe-core reports no serious or critical
    violation, and no page is wider than a 390 px phone."""
    audit = Audit(shots)

    anonymous = new_page()
    audit.visit(anonymous, "anonymous", "login", "/accounts/login/")

    officer = new_page()
    sign_in(officer, "mofa.officer")
    audit.check(officer, "officer", "home")
    audit.visit(officer, "officer", "plan", PLAN)
    officer.click("#ind-1-3-1 td.quarter >> nth=0 >> a")
    officer.wait_for_selector("#ind-1-3-1 form")
    audit.check(officer, "officer", "plan-editor-open")
    audit.visit(officer, "officer", "quarter-editor-page", f"{PLAN}indicators/1.3.1/q1/")
    audit.visit(officer, "officer", "indicator-percent", f"{PLAN}indicators/1.3.1/")
    audit.visit(officer, "officer", "indicator-date", f"{PLAN}indicators/1.2.2/")
    audit.visit(officer, "officer", "cover-letter", f"{PLAN}report-text/letter/1/")
    audit.visit(officer, "officer", "introduction", f"{PLAN}report-text/introduction/")
    audit.visit(officer, "officer", "initiatives", f"{PLAN}report-text/initiatives/")
    officer.click("td.actions a >> nth=0")
    officer.wait_for_load_state()
    audit.check(officer, "officer", "initiative-edit")
    audit.visit(officer, "officer", "password-change", "/accounts/password_change/")

    english = new_page()
    sign_in(english, "mofa.officer")
    english.goto(PLAN)
    english.click(".language-switch button:not(.current)")
    english.wait_for_load_state()
    audit.visit(english, "officer-en", "plan", PLAN)
    audit.visit(english, "officer-en", "indicator", f"{PLAN}indicators/1.3.1/")

    step(demo_live, 1, "submit", "mofa.officer")
    cio = new_page()
    sign_in(cio, "mofa.cio")
    audit.check(cio, "cio", "home-awaiting-decision")
    audit.visit(cio, "cio", "plan-submitted", PLAN)
    step(demo_live, 1, "return", "mofa.cio", "১.৩.১-এর মন্তব্য আরও স্পষ্ট করুন")
    audit.visit(officer, "officer", "home-returned", "/")
    audit.visit(officer, "officer", "plan-returned", PLAN)
    step(demo_live, 1, "submit", "mofa.officer")
    step(demo_live, 1, "approve", "mofa.cio")
    audit.visit(cio, "cio", "plan-approved", PLAN)
    step(demo_live, 1, "send", "mofa.cio")
    audit.visit(cio, "cio", "plan-sent", PLAN)
    audit.visit(cio, "cio", "indicator", f"{PLAN}indicators/2.2.1/")

    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    audit.check(reviewer, "reviewer", "home")
    audit.visit(reviewer, "reviewer", "inbox", "/review/")
    audit.visit(reviewer, "reviewer", "summary", "/review/summary/")
    audit.visit(reviewer, "reviewer", "plan-sent-quarter", PLAN)
    audit.visit(reviewer, "reviewer", "indicator", f"{PLAN}indicators/1.3.1/")
    assert demo_live.periods.get(quarter=1).state == PeriodState.SENT

    superuser = new_page()
    sign_in(superuser, "admin")
    for name, url in admin_pages():
        audit.visit(superuser, "admin", name, url, optional=name.endswith(("-add", "-import", "-export")))

    audit.save()
    assert len(audit.results) >= 2 * 60, "fewer pages than expected were checked"
    assert audit.blocking() == {}
    assert audit.too_wide == {}, "pages wider than a 390 px phone (px)"


def test_the_plan_prints_whole_on_a4_landscape(demo_live, new_page, tmp_path):
    """Chromium's print of the plan page: A4 landscape, no navigation, forms or buttons, and the table whole —
    every quarter's column, the achievement and the marks are on the sheet, none cut at the right edge."""
    officer = new_page()
    sign_in(officer, "mofa.officer")
    # The printable width of A4 landscape, 297 mm less 2 × 8 mm margins, at 96 px per inch: the page laid out
    # at that width with the print styles is what the sheet gets.
    printable = round((297 - 16) / 25.4 * 96)
    officer.set_viewport_size({"width": printable, "height": 700})
    officer.goto(PLAN)
    officer.emulate_media(media="print")
    hidden = officer.evaluate(
        """() => ['.site-header', 'form', 'button', '#reports', '#report-text', '.skip']
            .flatMap(s => [...document.querySelectorAll(s)])
            .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert hidden == []
    # Nothing of the table beyond the sheet's right edge.
    table = officer.locator(".plan-table").bounding_box()
    assert table["x"] + table["width"] <= printable + 1
    assert officer.evaluate("() => document.documentElement.scrollWidth") <= printable
    headers = officer.locator(".plan-table thead th").all_inner_texts()
    for label in ("১ম", "২য়", "৩য়", "৪র্থ", "অর্জন", "প্রাপ্ত মান", "অর্জিত নম্বর"):
        assert any(label in h for h in headers)

    pdf = tmp_path / "plan.pdf"
    officer.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The last columns are on the sheets: every row's Q4 value and marks (the rightmost columns), the total.
    text = " ".join(text.split())
    q4 = officer.locator(".plan-table tbody.indicator td.quarter:nth-of-type(10)").all_inner_texts()
    marks = officer.locator(".plan-table tbody.indicator td.marks").all_inner_texts()
    assert len(marks) == 12 and len(q4) == 12
    for cell in [*q4, *marks]:
        value = cell.strip().split()[0] if cell.strip() else ""
        assert value in text, value
    assert "৪৪.৭৭ / ৪৮.০০" in text
    folder = (
        Path(__file__).resolve().parents[2]
        / "var"
        / "screenshots"
        / "test_the_plan_prints_whole_on_a4_landscape"
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.pdf").write_bytes(pdf.read_bytes())
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(folder / "page")], check=True)


def test_plan_headers_stay_visible_while_scrolling(demo_live, new_page):
    """On screen the plan table's two header rows stay at the top of its frame however far one scrolls."""
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(PLAN)
    frame = officer.locator(".plan-wrap")
    frame.scroll_into_view_if_needed()
    frame.evaluate("wrap => wrap.scrollTop = wrap.scrollHeight")
    top = frame.bounding_box()["y"]
    head = officer.locator(".plan-table thead").bounding_box()
    assert frame.evaluate("wrap => wrap.scrollTop") > 200
    assert abs(head["y"] - top) <= 2
    assert officer.locator(".plan-table thead").is_visible()


def test_a_quarter_is_entered_with_the_keyboard_only(demo_live, new_page, shots):
    """From the top of the plan page, with Tab, Enter and typing only: open [১.৩.১]'s first quarter, type the
    value and a remark, save; the totals change, and the focus is back on the cell just saved (not at the top
    of the page). Cancelling with the keyboard brings the focus back too."""
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(PLAN)
    target = "#ind-1-3-1 td.quarter >> nth=0 >> a"
    officer.locator(target).evaluate("a => a.dataset.walk = 'here'")

    def focused(selector: str) -> bool:
        return officer.evaluate(
            f"() => document.activeElement && document.activeElement.matches({selector!r})"
        )

    # The skip links: "মূল অংশে যান" over the header, then the plan's "সূচকের সারণিতে যান" over the periods
    # and reports.
    officer.keyboard.press("Tab")
    assert officer.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    officer.keyboard.press("Enter")
    officer.keyboard.press("Tab")
    assert officer.evaluate("() => document.activeElement.getAttribute('href')") == "#table-title"
    officer.keyboard.press("Enter")
    tabs = 0
    while not focused("a[data-walk=here]"):
        officer.keyboard.press("Tab")
        tabs += 1
        assert tabs < 400, "the first quarter of [১.৩.১] cannot be reached with Tab"
    print(f"Tab pressed {tabs} times after the skip link to reach [১.৩.১]'s first quarter")
    assert tabs <= 25
    shots(officer, "focus-on-cell", full_page=False)
    officer.keyboard.press("Enter")
    officer.wait_for_selector("#ind-1-3-1 form")
    # htmx gives the value field the focus when the swap settles: wait for it, then type.
    expect(officer.locator("#ind-1-3-1 input[name=value]")).to_be_focused()
    officer.keyboard.press("Control+A")
    officer.keyboard.type("৮৪")
    officer.keyboard.press("Tab")
    assert focused("#ind-1-3-1 textarea[name=remark]")
    officer.keyboard.type("ই-নথি প্রতিবেদন অনুযায়ী")
    officer.keyboard.press("Tab")
    assert focused("#ind-1-3-1 button[type=submit]")
    shots(officer, "editor-filled", full_page=False)
    officer.keyboard.press("Enter")
    officer.wait_for_selector("#ind-1-3-1 form", state="detached")
    assert "৮৪%" in officer.inner_text("#ind-1-3-1")
    assert "৪৪.৯৩" in officer.inner_text("#plan-totals")
    officer.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('#ind-1-3-1 td.quarter')"
    )
    assert "৮৪%" in officer.evaluate("() => document.activeElement.textContent")
    shots(officer, "saved-focus-back", full_page=False)

    # Open it again and cancel with the keyboard: the focus comes back to the same cell.
    officer.keyboard.press("Enter")
    officer.wait_for_selector("#ind-1-3-1 form")
    expect(officer.locator("#ind-1-3-1 input[name=value]")).to_be_focused()  # htmx has set the focus
    officer.keyboard.press("Tab")  # remark
    officer.keyboard.press("Tab")  # save
    officer.keyboard.press("Tab")  # cancel
    assert focused("#ind-1-3-1 a.button.secondary")
    officer.keyboard.press("Enter")
    officer.wait_for_selector("#ind-1-3-1 form", state="detached")
    officer.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('#ind-1-3-1 td.quarter')"
    )
    assert "৮৪%" in officer.evaluate("() => document.activeElement.textContent")
