"""Rules for groups and participants."""

import pytest
from django.core.exceptions import ValidationError

from participants.models import Participant, ProjectGroup
from participants.selectors import groups_of_program, participant_by_token
from participants.services import (
    group_create,
    group_delete,
    group_update,
    participant_create,
    participant_delete,
    participant_rotate_token,
    participant_update,
    participants_move,
)
from partners.models import WebhookDelivery
from partners.services import api_client_create, webhook_create
from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_cancel, visit_create

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


# --- rules checked from both sides ---------------------------------------------------


def _full_visit(program, group, capacity):

    return visit_create(
        program=program,
        groups=[group],
        title="Astana Hub",
        capacity=capacity,
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )


def test_participant_moved_into_a_group_whose_visit_is_full_is_refused_naming_the_visit(program, group, other_group):
    ParticipantFactory(program=program, group=group)
    _full_visit(program, group, capacity=1)
    newcomer = ParticipantFactory(program=program, group=other_group)

    with pytest.raises(ValidationError) as caught:
        participant_update(participant=newcomer, group=group)

    assert "Astana Hub" in caught.value.message_dict["group"][0]
    newcomer.refresh_from_db()
    assert newcomer.group == other_group


def test_participant_created_into_a_full_group_is_refused(program, group):
    ParticipantFactory(program=program, group=group)
    _full_visit(program, group, capacity=1)

    with pytest.raises(ValidationError) as caught:
        new_participant(program, group=group)

    assert "Astana Hub" in caught.value.message_dict["group"][0]


def test_participant_moved_into_a_group_whose_full_visit_is_cancelled_is_accepted(program, group, other_group):
    ParticipantFactory(program=program, group=group)
    visit_cancel(visit=_full_visit(program, group, capacity=1))
    newcomer = ParticipantFactory(program=program, group=other_group)

    participant_update(participant=newcomer, group=group)

    newcomer.refresh_from_db()
    assert newcomer.group == group


def test_participants_move_counts_everyone_moving(program, group, other_group):
    ParticipantFactory(program=program, group=group)
    _full_visit(program, group, capacity=2)
    movers = [ParticipantFactory(program=program, group=other_group) for _ in range(2)]

    with pytest.raises(ValidationError):
        participants_move(participants=movers, group=group)

    assert Participant.objects.filter(group=group).count() == 1


def test_group_coordinator_must_be_a_member_of_the_group(program, group, other_group):
    outsider = ParticipantFactory(program=program, group=other_group)

    with pytest.raises(ValidationError) as caught:
        group_update(group=group, coordinator=outsider)

    assert "coordinator" in caught.value.message_dict
    group.refresh_from_db()
    assert group.coordinator is None


def test_group_coordinator_cannot_leave_the_group_they_coordinate(program, group, other_group):
    coordinator = ParticipantFactory(program=program, group=group)
    group_update(group=group, coordinator=coordinator)

    with pytest.raises(ValidationError) as caught:
        participant_update(participant=coordinator, group=other_group)

    assert group.name in caught.value.message_dict["group"][0]


def test_participant_delete_removes_the_participant_and_leaves_the_group(program, group):
    coordinator = ParticipantFactory(program=program, group=group)
    group_update(group=group, coordinator=coordinator)

    participant_delete(participant=coordinator)

    assert not Participant.objects.filter(pk=coordinator.pk).exists()
    group.refresh_from_db()
    assert group.coordinator is None


def test_group_delete_with_visits_is_refused_naming_them(program, group):

    _full_visit(program, group, capacity=None)

    with pytest.raises(ValidationError) as caught:
        group_delete(group=group)

    assert "Astana Hub" in " ".join(caught.value.messages)
    assert ProjectGroup.objects.filter(pk=group.pk).exists()


def test_group_delete_without_visits_leaves_its_participants_without_a_group(program, group):
    member = ParticipantFactory(program=program, group=group)
    group_update(group=group, coordinator=member)
    versions = member.history.count()

    group_delete(group=group)

    assert not ProjectGroup.objects.filter(pk=group.pk).exists()
    member.refresh_from_db()
    assert member.group is None
    assert member.history.count() == versions + 1
