"""Rules for groups and participants."""

import pytest
from django.core.exceptions import ValidationError

from participants.models import Participant
from participants.selectors import groups_of_program, participant_by_token
from participants.services import group_create, participant_create, participant_rotate_token, participant_update
from partners.models import WebhookDelivery
from partners.services import api_client_create, webhook_create
from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory

pytestmark = pytest.mark.django_db


def new_participant(program, **extra):
    fields = {"first_name": "Andrey", "last_name": "Antonov", "email": "antonov@tomsk.example", **extra}
    return participant_create(program=program, **fields)


def test_participant_create_gets_a_long_random_token(program, group):
    first = new_participant(program, group=group)
    second = new_participant(program, group=group, email="second@tomsk.example")

    assert len(first.access_token) >= 40
    assert first.access_token != second.access_token


def test_participant_create_group_of_another_program_is_refused(program):
    foreign = ProjectGroupFactory(program=ProgramFactory())

    with pytest.raises(ValidationError) as caught:
        new_participant(program, group=foreign)

    assert "group" in caught.value.message_dict
    assert Participant.objects.count() == 0


def test_participant_create_duplicate_email_in_program_is_refused(program):
    new_participant(program)

    with pytest.raises(ValidationError):
        new_participant(program)

    assert Participant.objects.count() == 1


def test_participant_same_email_in_two_programs_is_allowed(program):
    new_participant(program)
    new_participant(ProgramFactory())

    assert Participant.objects.count() == 2


def test_participant_unknown_home_timezone_names_the_field(program):
    with pytest.raises(ValidationError) as caught:
        new_participant(program, home_timezone="Siberia/Tomsk")

    assert "home_timezone" in caught.value.message_dict


def test_participant_update_moves_between_groups_of_the_program(program, group, other_group):
    participant = new_participant(program, group=group)

    participant_update(participant=participant, group=other_group)

    participant.refresh_from_db()
    assert participant.group == other_group


def test_participant_rotate_token_kills_the_old_link(program):
    participant = new_participant(program)
    old = participant.access_token

    participant_rotate_token(participant=participant)

    assert participant_by_token(token=old) is None
    assert participant_by_token(token=participant.access_token).pk == participant.pk


def test_participant_by_token_rejects_garbage(program):
    new_participant(program)

    assert participant_by_token(token="") is None
    assert participant_by_token(token="x" * 500) is None


def test_participant_writes_tell_partner_apps_only_what_changed(program):
    client, _token = api_client_create(name="HR system", scopes=["read"])
    webhook_create(
        client=client, url="https://hr.example.org/hooks", events=["participant.created", "participant.updated"]
    )

    participant = new_participant(program)
    participant_update(participant=participant, phone="+7 900 000 0000", first_name="Andrey")
    participant_update(participant=participant, phone="+7 900 000 0000")  # nothing changes: nothing to tell

    assert list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True)) == [
        "participant.created",
        "participant.updated",
    ]


def test_group_create_duplicate_name_is_refused(program):
    group_create(program=program, name="Group 1")

    with pytest.raises(ValidationError):
        group_create(program=program, name="Group 1")


def test_group_coordinator_from_another_program_is_refused(program):
    stranger = ParticipantFactory()

    with pytest.raises(ValidationError) as caught:
        group_create(program=program, name="Group 1", coordinator=stranger)

    assert "coordinator" in caught.value.message_dict


def test_groups_of_program_counts_participants(program, group, other_group):
    ParticipantFactory.create_batch(3, program=program, group=group)

    counts = {g.name: g.participant_count for g in groups_of_program(program=program)}

    assert counts == {group.name: 3, other_group.name: 0}
