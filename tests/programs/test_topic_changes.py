"""A program's `updated_at` covers its topics (programs.versions): whichever way a topic of the
program changes, the program counts as changed, so that every representation cached by the
program's version (the API's itinerary JSON shows the topics) is built again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Program, Topic
from programs.services import program_update
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    """Two programs sharing the topic "Digital state", one more with nothing in common, all last changed long ago."""
    first, second, other = ProgramFactory(), ProgramFactory(), ProgramFactory()
    program_update(program=first, topics=["Digital state", "Project management"])
    program_update(program=second, topics=["Digital state"])
    program_update(program=other, topics=["Urban planning"])
    Program.objects.update(updated_at=timezone.now() - timedelta(days=1))
    return first, second, other


def touched(*programs: Program) -> list[bool]:
    """For each program: was it changed in the last minute?"""
    recent = timezone.now() - timedelta(minutes=1)
    return [Program.objects.get(pk=program.pk).updated_at > recent for program in programs]


def test_renaming_a_topic_touches_every_program_it_belongs_to(programs):
    topic = Topic.objects.get(name="Digital state")
    topic.name = "Digital government"
    topic.save()

    assert touched(*programs) == [True, True, False]


def test_deleting_a_topic_touches_its_programs(programs):
    Topic.objects.get(name="Project management").delete()

    assert touched(*programs) == [True, False, False]
    assert [t.name for t in programs[0].topics.all()] == ["Digital state"]


def test_adding_or_removing_a_topic_on_a_program_touches_it(programs):
    first, second, other = programs
    second.topics.add(Topic.objects.get(name="Urban planning"))
    assert touched(*programs) == [False, True, False]

    Program.objects.update(updated_at=timezone.now() - timedelta(days=1))
    first.topics.remove(Topic.objects.get(name="Project management"))
    assert touched(*programs) == [True, False, False]

    Program.objects.update(updated_at=timezone.now() - timedelta(days=1))
    other.topics.clear()
    assert touched(*programs) == [False, False, True]


def test_changing_a_topics_programs_from_the_topic_side_touches_them(programs):
    first, _second, other = programs
    topic = Topic.objects.get(name="Digital state")
    topic.programs.remove(first)
    assert touched(*programs) == [True, False, False]

    Program.objects.update(updated_at=timezone.now() - timedelta(days=1))
    topic.programs.clear()
    assert touched(*programs) == [False, True, False]

    Program.objects.update(updated_at=timezone.now() - timedelta(days=1))
    topic.programs.add(other)
    assert touched(*programs) == [False, False, True]


def test_creating_a_topic_alone_touches_no_program(programs):
    Topic.objects.create(name="Healthcare", slug="healthcare")

    assert touched(*programs) == [False, False, False]
