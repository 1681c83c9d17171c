"""Counts on the program dashboard with the noun in the form the number asks for:
Russian "1 группа, 3 группы, 8 групп", Kazakh "8 топ"."""

import pytest

from tests.factories import ParticipantFactory, ProjectGroupFactory

from .conftest import url

pytestmark = pytest.mark.django_db


def stat(number, noun):
    return f'<span class="stats__number">{number}</span> {noun}</li>'


@pytest.mark.parametrize(
    ("group_count", "russian"),
    [(1, "группа"), (3, "группы"), (8, "групп"), (11, "групп"), (21, "группа"), (22, "группы")],
)
def test_dashboard_group_count_in_russian(client, program, group_count, russian):
    ProjectGroupFactory.create_batch(group_count, program=program)

    body = client.get(url(program), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert stat(group_count, russian) in body


def test_dashboard_participant_and_visit_counts_in_russian(client, program, group):
    ParticipantFactory.create_batch(98, program=program, group=group)

    body = client.get(url(program), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert stat(98, "участников") in body
    assert stat(1, "группа") in body
    assert '<span class="stats__number">0</span> визитов' in body
    assert stat(0, "открытых предупреждений") in body


def test_dashboard_counts_in_english_and_kazakh(client, program, group):
    ProjectGroupFactory.create_batch(7, program=program)
    ParticipantFactory(program=program, group=group)

    english = client.get(url(program), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    kazakh = client.get(url(program), HTTP_ACCEPT_LANGUAGE="kk").content.decode()

    assert stat(8, "groups") in english
    assert stat(1, "participant") in english
    assert stat(8, "топ") in kazakh
    assert stat(1, "қатысушы") in kazakh
