"""The admin's program form keeps the program service's rules on dates."""

import pytest
from django.contrib.auth import get_user_model

from programs.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only")
    client.force_login(user)
    return client


def form_data(program, **extra):
    return {
        "slug": program.slug,
        "title": program.title,
        "description": "",
        "host_institution": program.host_institution,
        "city": program.city,
        "timezone": program.timezone,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "status": program.status,
        "certificate_min_attendance": program.certificate_min_attendance,
        **extra,
    }


def test_admin_refuses_a_program_dated_in_year_one(admin_client):
    program = ProgramFactory()

    response = admin_client.post(
        f"/admin/programs/program/{program.pk}/change/", form_data(program, start_date="0001-01-01")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "2000" in errors["start_date"][0]
    assert Program.objects.get(pk=program.pk).start_date == program.start_date


def test_admin_refuses_a_program_longer_than_366_days(admin_client):
    program = ProgramFactory()

    response = admin_client.post(
        f"/admin/programs/program/{program.pk}/change/", form_data(program, end_date="2099-01-01")
    )

    assert response.status_code == 200
    assert "366 days" in response.context["adminform"].form.errors["end_date"][0]
    assert Program.objects.get(pk=program.pk).end_date == program.end_date
