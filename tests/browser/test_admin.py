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


def test_organiser_adds_a_host_window_refused_then_saved(desktop, live_server, transactional_db, screenshot):
    from planning.models import HostWindow
    from planning.services import window_create
    from programs.services import organiser_add

    program = ProgramFactory(title="Human capital")
    host = HostOrganisationFactory(name="Astana Hub")
    window_create(
        program=program,
        host=host,
        starts_at=local(program, program.start_date, 9),
        ends_at=local(program, program.start_date, 13),
    )
    _user, password = organiser_add(program=program, username="aigerim")
    login(desktop, live_server, "aigerim", password)
    day = program.start_date.isoformat()

    desktop.goto(f"{live_server.url}/admin/planning/hostwindow/add/")
    desktop.get_by_label("Program").select_option(label="Human capital")
    desktop.locator(".field-host .select2-selection").click()
    desktop.locator(".select2-search__field").fill("Astana")
    desktop.locator(".select2-results__option", has_text="Astana Hub").click()
    desktop.fill("#id_starts_at_0", day)
    desktop.fill("#id_starts_at_1", "12:00:00")
    desktop.fill("#id_ends_at_0", day)
    desktop.fill("#id_ends_at_1", "15:00:00")
    desktop.get_by_role("button", name="Save", exact=True).click()
    desktop.wait_for_load_state()
    screenshot(desktop, "admin-host-window-overlap")
    error = desktop.locator(".field-starts_at .errorlist").first.inner_text()
    desktop.fill("#id_starts_at_1", "14:00:00")
    desktop.get_by_role("button", name="Save", exact=True).click()
    desktop.wait_for_load_state()

    assert "Astana Hub already has a window 2026-12-07 09:00–13:00 that overlaps this one." in error
    assert "was added successfully" in desktop.locator(".messagelist").inner_text()
    assert HostWindow.objects.filter(program=program).count() == 2


def test_organiser_sees_a_certificate_read_only_in_russian(desktop, live_server, transactional_db, screenshot):
    from outcomes.services import Mark, attendance_merge, certificate_issue
    from programs.services import organiser_add
    from tests.factories import ParticipantFactory

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
    participant = ParticipantFactory(program=program, group=group)
    attendance_merge(visit=visit, marks=[Mark(participant_id=participant.pk, present=True)], marked_by="coordinator")
    certificate = certificate_issue(participant=participant)
    _user, password = organiser_add(program=program, username="aigerim")
    login(desktop, live_server, "aigerim", password)
    desktop.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])

    desktop.goto(f"{live_server.url}/admin/outcomes/certificate/{certificate.pk}/change/")
    screenshot(desktop, "admin-certificate-read-only-ru")

    assert certificate.code in desktop.locator(".field-code .readonly").inner_text()
    assert desktop.locator("input[name=code], select[name=participant]").count() == 0
    assert desktop.get_by_role("button", name="Сохранить", exact=True).count() == 0
    assert "Посещаемость, сертификаты и отчёты › Сертификаты" in desktop.locator(".breadcrumbs").inner_text()
