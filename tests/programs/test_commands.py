"""`add_organiser USERNAME SLUG [--email E]`: a working admin login for one program, no hand-editing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command, execute_from_command_line
from django.test import Client

from tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("add_organiser", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_add_organiser_creates_a_login_that_sees_its_program_in_the_admin():
    program = ProgramFactory(slug="human-capital")
    other = ProgramFactory(slug="other")
    mine = ParticipantFactory(program=program, last_name="Mine")
    ParticipantFactory(program=other, last_name="Theirs")

    lines = run("aigerim", "human-capital", "--email", "aigerim@academy.example")

    password = lines[-1]
    user = get_user_model().objects.get(username="aigerim")
    assert user.email == "aigerim@academy.example"
    assert not user.user_permissions.exists()
    client = Client()
    assert client.login(username="aigerim", password=password)
    listed = client.get("/admin/participants/participant/").context["cl"].result_list
    assert [participant.pk for participant in listed] == [mine.pk]


def test_add_organiser_for_an_existing_login_prints_no_password():
    ProgramFactory(slug="human-capital")
    user = get_user_model().objects.create_user("aigerim", password="their-own-password")

    lines = run("aigerim", "human-capital")

    assert "their-own-password" not in "\n".join(lines)
    assert all("password" not in line.lower() for line in lines)
    user.refresh_from_db()
    assert user.check_password("their-own-password")
    assert user.is_staff


def test_add_organiser_unknown_program_is_a_clear_error():
    with pytest.raises(CommandError, match="no-such-program"):
        run("aigerim", "no-such-program")

    assert not get_user_model().objects.filter(username="aigerim").exists()


def test_add_organiser_exits_non_zero_on_an_unknown_program(capsys):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "add_organiser", "aigerim", "no-such-program"])

    assert exited.value.code != 0
    assert "no-such-program" in capsys.readouterr().err


def test_add_organiser_bad_email_is_a_clear_error_and_creates_nothing():
    ProgramFactory(slug="human-capital")

    with pytest.raises(CommandError, match=r"e-?mail"):
        run("aigerim", "human-capital", "--email", "not-an-address")

    assert not get_user_model().objects.filter(username="aigerim").exists()
