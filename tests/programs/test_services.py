"""Rules for programs: dates that hold their visits, organisers added through one service."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from programs.models import Program
from programs.selectors import programs_for_organiser, user_is_organiser
from programs.services import organiser_add, program_update
from tests.factories import ProgramFactory, local
from visits.services import visit_create

pytestmark = pytest.mark.django_db


def test_program_update_shortening_past_a_visit_is_refused_naming_it(program):
    visit_create(
        program=program,
        title="Closing ceremony",
        starts_at=local(program, program.end_date, 10),
        ends_at=local(program, program.end_date, 12),
    )

    with pytest.raises(ValidationError) as caught:
        program_update(program=program, end_date=date(2026, 12, 15))

    assert "Closing ceremony" in caught.value.message_dict["end_date"][0]
    assert Program.objects.get(pk=program.pk).end_date == date(2026, 12, 16)


def test_program_update_starting_after_a_visit_is_refused_naming_it(program):
    visit_create(
        program=program,
        title="Welcome lecture",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )

    with pytest.raises(ValidationError) as caught:
        program_update(program=program, start_date=date(2026, 12, 8))

    assert "Welcome lecture" in caught.value.message_dict["start_date"][0]


def test_program_update_dates_still_holding_every_visit_are_accepted(program):
    visit_create(
        program=program,
        title="Welcome lecture",
        starts_at=local(program, date(2026, 12, 8), 10),
        ends_at=local(program, date(2026, 12, 8), 12),
    )

    program_update(program=program, start_date=date(2026, 12, 8), end_date=date(2026, 12, 9))

    assert Program.objects.get(pk=program.pk).end_date == date(2026, 12, 9)


def test_organiser_add_creates_a_staff_login_organising_the_program(program):
    user, password = organiser_add(program=program, username="aigerim", email="aigerim@academy.example")

    assert password
    assert user.check_password(password)
    assert user.is_staff
    assert not user.is_superuser
    assert user_is_organiser(user=get_user_model().objects.get(pk=user.pk))
    assert list(programs_for_organiser(user=user)) == [program]


def test_organiser_add_an_existing_login_keeps_its_password_and_adds_the_program(program):
    other = ProgramFactory()
    user, _ = organiser_add(program=program, username="aigerim")
    user.set_password("their-own-password")
    user.save()

    again, password = organiser_add(program=other, username="aigerim")

    assert password is None
    assert again.pk == user.pk
    assert again.check_password("their-own-password")
    assert set(programs_for_organiser(user=again)) == {program, other}
