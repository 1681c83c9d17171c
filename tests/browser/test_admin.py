"""The admin in a real browser: an organiser logs in and a clash comes back as a form error."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit
from visits.services import visit_create


@pytest.fixture
def superuser(transactional_db):
    return get_user_model().objects.create_superuser("root", "root@academy.example", "correct-horse-battery")


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_admin_visit_clash_shows_form_error_and_saves_nothing(desktop, live_server, superuser, screenshot):
    program = ProgramFactory(title="Human capital")
    group = ProjectGroupFactory(program=program, name="Group 5: Science")
    host = HostOrganisationFactory(name="Nazarbayev University")
    existing = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Nazarbayev University: innovation cluster",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )
    login(desktop, live_server, "root", "correct-horse-battery")

    desktop.goto(f"{live_server.url}/admin/visits/sitevisit/add/")
    desktop.get_by_label("Program").select_option(label="Human capital")
    desktop.get_by_label("Title").fill("Astana Hub")
    desktop.fill("#id_starts_at_0", program.start_date.isoformat())
    desktop.fill("#id_starts_at_1", "11:00:00")
    desktop.fill("#id_ends_at_0", program.start_date.isoformat())
    desktop.fill("#id_ends_at_1", "13:00:00")
    desktop.select_option("#id_groups_from", label="Group 5: Science")
    desktop.click("#id_groups_add")
    desktop.get_by_role("button", name="Save", exact=True).click()

    desktop.wait_for_load_state()
    screenshot(desktop, "admin-visit-clash")
    # The same messages as the organiser's form: a summary on top, the clash at the groups field.
    assert "nothing was saved" in desktop.locator(".errorlist.nonfield").first.inner_text()
    error = desktop.locator(".field-groups .errorlist").first
    assert "Group 5: Science" in error.inner_text()
    assert existing.title in desktop.content()
    assert SiteVisit.objects.count() == 1


def test_organiser_cancels_a_visit_from_its_admin_page(desktop, live_server, transactional_db, screenshot):
    from programs.services import organiser_add

    program = ProgramFactory(title="Human capital")
    group = ProjectGroupFactory(program=program, name="Group 5: Science")
    visit = visit_create(
        program=program,
        groups=[group],
        host=HostOrganisationFactory(name="Astana Hub"),
        title="Astana Hub: start-up ecosystem",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )
    _user, password = organiser_add(program=program, username="aigerim")
    login(desktop, live_server, "aigerim", password)

    desktop.goto(f"{live_server.url}/admin/visits/sitevisit/{visit.pk}/change/")
    desktop.get_by_role("link", name="Cancel visit").click()
    screenshot(desktop, "admin-visit-cancel")
    desktop.get_by_role("button", name="Yes, cancel the visit").click()

    desktop.wait_for_load_state()
    assert "is cancelled" in desktop.locator(".messagelist").inner_text()
    visit.refresh_from_db()
    assert visit.status == "cancelled"
    assert desktop.get_by_role("link", name="Cancel visit").count() == 0
