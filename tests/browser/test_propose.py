"""The Propose page in a real Chromium: run the proposer, see the ghost blocks beside today's
visits, apply, and find the visits on the board; axe-core finds no serious problem."""

from datetime import date

import pytest

from planning.services import request_create, travel_time_set, window_create
from tests.factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit
from visits.services import visit_create

from .test_organiser_board import login, make_organiser, serious_violations

DAY = date(2026, 12, 8)


@pytest.fixture
def axe_page(browser):
    """A desktop page that lets the test inject axe-core (our CSP rightly refuses inline scripts)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def planned(transactional_db, celery_eager):
    program = ProgramFactory(title="Human capital", slug="human-capital", host_institution="The Academy")
    academy = HostOrganisationFactory(name="The Academy")
    hub = HostOrganisationFactory(name="Astana Hub")
    aifc = HostOrganisationFactory(name="Astana International Financial Centre (AIFC)")
    digital = ProjectGroupFactory(program=program, name="Group 2: Digital state")
    science = ProjectGroupFactory(program=program, name="Group 5: Science")
    for host in (hub, aifc):
        travel_time_set(program=program, origin=academy, destination=host, minutes=20)
        window_create(program=program, host=host, starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 18))
    travel_time_set(program=program, origin=hub, destination=aifc, minutes=25)
    visit_create(
        program=program, groups=[digital, science], host=academy, title="Lecture: digital government",
        kind="lecture", starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 10, 30),
    )  # fmt: skip
    for group in (digital, science):
        for host in (hub, aifc):
            request_create(program=program, groups=[group], host=host, duration_minutes=90, title=f"{host.name}")
    make_organiser(program)
    return program


def test_organiser_proposes_sees_the_ghosts_applies_and_the_board_shows_them(
    axe_page, live_server, planned, screenshot
):
    page = axe_page
    login(page, live_server)
    page.goto(f"{live_server.url}/organiser/programs/{planned.slug}/propose/")
    page.get_by_label("Search for at most (seconds)").fill("3")

    page.get_by_role("button", name="Propose", exact=True).click()

    page.wait_for_selector("#proposal .ghost--added")
    assert "4 of 4 musts placed" in page.locator("#proposal").inner_text()
    assert page.locator("#proposal .ghost--added").count() == 4
    assert page.locator("#proposal .ghost--current").count() == 2  # the lecture, in both groups' columns
    assert serious_violations(page) == []
    screenshot(page, "propose-ghosts")

    page.get_by_role("button", name="Apply to the board").click()

    page.wait_for_url("**/board/?view=all")
    assert "4 visits of the proposal are on the board." in page.locator(".messages").inner_text()
    assert page.locator(".block", has_text="Astana Hub").count() == 2
    assert SiteVisit.objects.filter(program=planned, kind="site_visit").count() == 4
    screenshot(page, "propose-applied-board")


def test_a_window_with_its_end_before_its_start_is_refused_on_the_page(desktop, live_server, planned):
    page = desktop
    login(page, live_server)
    page.goto(f"{live_server.url}/organiser/programs/{planned.slug}/propose/")
    page.get_by_text("Add a host window").click()
    form = page.locator("#windows form.form")
    form.get_by_label("Host organisation").select_option(label="Astana Hub")
    form.get_by_label("Date").fill("2026-12-09")
    form.get_by_label("From").fill("12:00")
    form.get_by_label("To").fill("10:00")

    form.get_by_role("button", name="Add").click()

    assert "The window must end after it starts." in page.locator("#windows").inner_text()
