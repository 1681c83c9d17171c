"""The admin writes visits through the scheduling service: clashes are form errors."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit, VisitGroup
from visits.services import visit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only")
    client.force_login(user)
    return client


def form_data(program, group, start_hour, end_hour, **extra):
    day = program.start_date.isoformat()
    data = {
        "program": program.pk,
        "title": "Astana Hub",
        "kind": "site_visit",
        "starts_at_0": day,
        "starts_at_1": f"{start_hour:02d}:00:00",
        "ends_at_0": day,
        "ends_at_1": f"{end_hour:02d}:00:00",
        "status": "planned",
        "groups": [group.pk],
    }
    data.update(extra)
    return data


def test_admin_add_visit_books_groups_through_the_service(admin_client):
    program = ProgramFactory()
    group = ProjectGroupFactory(program=program)

    response = admin_client.post("/admin/visits/sitevisit/add/", form_data(program, group, 10, 12))

    assert response.status_code == 302
    visit = SiteVisit.objects.get(title="Astana Hub")
    assert list(VisitGroup.objects.filter(visit=visit).values_list("group_id", flat=True)) == [group.pk]
    assert visit.starts_at == local(program, program.start_date, 10)


def test_admin_clash_is_a_form_error_naming_visit_and_group(admin_client):
    program = ProgramFactory()
    group = ProjectGroupFactory(program=program, name="Group 5: Science")
    visit_create(
        program=program,
        groups=[group],
        host=HostOrganisationFactory(),
        title="Nazarbayev University",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )

    response = admin_client.post("/admin/visits/sitevisit/add/", form_data(program, group, 11, 13))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["groups"]
    assert "Group 5: Science" in errors[0]
    assert "Nazarbayev University" in errors[0]
    assert SiteVisit.objects.count() == 1


def test_admin_end_before_start_is_a_field_error(admin_client):
    program = ProgramFactory()
    group = ProjectGroupFactory(program=program)

    response = admin_client.post("/admin/visits/sitevisit/add/", form_data(program, group, 12, 10))

    assert response.status_code == 200
    assert "ends_at" in response.context["adminform"].form.errors
    assert SiteVisit.objects.count() == 0


def test_admin_change_visit_moves_bookings(admin_client):
    program = ProgramFactory()
    group = ProjectGroupFactory(program=program)
    visit = visit_create(
        program=program,
        groups=[group],
        title="Astana Hub",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )

    response = admin_client.post(f"/admin/visits/sitevisit/{visit.pk}/change/", form_data(program, group, 14, 16))

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.starts_at == local(program, program.start_date, 14)
    assert VisitGroup.objects.get(visit=visit).starts_at == visit.starts_at
    assert visit.sequence == 1


@pytest.mark.parametrize(
    "path",
    [
        "/admin/programs/program/",
        "/admin/participants/participant/",
        "/admin/participants/projectgroup/",
        "/admin/visits/hostorganisation/",
        "/admin/visits/sitevisit/",
        "/admin/programs/topic/",
    ],
)
def test_admin_changelists_render(admin_client, path):
    program = ProgramFactory()
    ProjectGroupFactory(program=program)

    response = admin_client.get(path)

    assert response.status_code == 200
