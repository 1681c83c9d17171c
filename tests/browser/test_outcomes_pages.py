"""The organiser's attendance and outcomes pages, and the coordinator's check-in, in Chromium:
no serious accessibility violations, and screenshots to look at."""

import json

import pytest

from outcomes import views
from outcomes.services import Mark, attendance_merge
from tests.factories import ProgramFactory, local
from tests.outcomes.conftest import hold

from .test_organiser_board import SCREENSHOTS, login, make_organiser, serious_violations


@pytest.fixture
def audited(browser):
    """Pages that let the test inject axe-core (the site's CSP rightly refuses inline scripts)."""
    desktop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True)
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, bypass_csp=True)
    yield desktop.new_page(), phone.new_page()
    desktop.close()
    phone.close()


def test_outcome_pages_and_check_in_have_no_serious_accessibility_violations(
    audited, live_server, transactional_db, monkeypatch
):
    desktop, phone = audited
    held = hold(ProgramFactory(title="Development of human capital"))
    attendance_merge(visit=held.visits[0], marks=[Mark(p.pk, True) for p in held.members[:2]], marked_by="Aigerim")
    make_organiser(held.program)
    login(desktop, live_server)
    base = f"{live_server.url}/organiser/programs/{held.program.slug}/outcomes/"

    found = {}
    for name, page, url in [
        ("overview", desktop, base),
        ("visit", desktop, f"{base}visits/{held.visits[0].pk}/"),
        ("participant", desktop, f"{base}participants/{held.members[2].pk}/"),
        ("check-in", phone, f"{live_server.url}/i/{held.coordinator.access_token}/check-in/"),
        ("not-coordinator", phone, f"{live_server.url}/i/{held.members[1].access_token}/check-in/"),
    ]:
        page.goto(url)
        if name in ("overview", "visit"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"outcomes-{name}.png"), full_page=True)
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    # The scanner's viewfinder, open (with no camera here, it says so), at the first visit.
    monkeypatch.setattr(views, "current_time", lambda: local(held.program, held.program.start_date, 10))
    phone.goto(f"{live_server.url}/i/{held.coordinator.access_token}/check-in/")
    phone.locator("[data-scan]").first.click()
    phone.wait_for_selector("[data-scanner][data-scan-state]")
    violations = serious_violations(phone)
    if violations:
        found["check-in scanner"] = violations

    assert not found, json.dumps(found, indent=1)
