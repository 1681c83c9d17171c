"""Groups and participants in the admin: the same effects as the services (pending change
notices, webhook deliveries, the organiser named in the history), the same refusals."""

import pytest

from participants.models import Participant, ProjectGroup
from participants.services import participant_update
from partners.models import WebhookDelivery
from tests.factories import ParticipantFactory, mark_all_told, untold_program_ids
from visits.services import visit_update

from .pages import form_values

pytestmark = pytest.mark.django_db


def change(client, obj, **changes):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    return client.post(url, form_values(client.get(url), **changes))


def test_admin_group_move_marks_pending_changes_sends_webhook_and_names_the_organiser(
    side_a, partner, organiser_client
):
    other = ProjectGroup.objects.create(program=side_a.program, name="Group 2: Demography")
    mark_all_told()

    response = change(organiser_client, side_a.member, group=str(other.pk))

    assert response.status_code == 302
    member = Participant.objects.get(pk=side_a.member.pk)
    assert member.group == other
    assert side_a.program.pk in untold_program_ids()
    assert WebhookDelivery.objects.filter(event="participant.updated").count() == 1
    assert member.history.first().history_actor == "user org-a"


def test_admin_move_into_a_group_whose_visit_is_full_names_the_visit(side_a, organiser_client):
    visit_update(visit=side_a.visit, capacity=2)
    newcomer = ParticipantFactory(program=side_a.program, group=None, email="new@a.example")

    response = change(organiser_client, newcomer, group=str(side_a.group.pk))

    assert response.status_code == 200
    assert "Visit of A" in response.context["adminform"].form.errors["group"][0]
    assert Participant.objects.get(pk=newcomer.pk).group is None


def test_admin_group_coordinator_must_be_a_member(side_a, organiser_client):
    outsider = ParticipantFactory(program=side_a.program, group=None, email="outsider@a.example")

    response = change(organiser_client, side_a.group, coordinator=str(outsider.pk))

    assert response.status_code == 200
    assert "coordinator" in response.context["adminform"].form.errors
    assert ProjectGroup.objects.get(pk=side_a.group.pk).coordinator == side_a.coordinator


def test_admin_group_coordinator_of_another_program_is_not_a_choice(side_a, side_b, organiser_client):
    response = change(organiser_client, side_a.group, coordinator=str(side_b.coordinator.pk))

    assert response.status_code == 200
    assert "coordinator" in response.context["adminform"].form.errors


def test_admin_coordinator_moved_out_of_their_group_is_refused(side_a, organiser_client):
    other = ProjectGroup.objects.create(program=side_a.program, name="Group 2: Demography")

    response = change(organiser_client, side_a.coordinator, group=str(other.pk))

    assert response.status_code == 200
    assert "Group of A" in response.context["adminform"].form.errors["group"][0]


def test_admin_add_participant_writes_through_the_service(side_a, partner, organiser_client):
    page = organiser_client.get("/admin/participants/participant/add/")
    data = form_values(
        page,
        program=str(side_a.program.pk),
        group=str(side_a.group.pk),
        first_name="Aigerim",
        last_name="Bekova",
        email="bekova@a.example",
        language="kk",
    )

    response = organiser_client.post("/admin/participants/participant/add/", data)

    assert response.status_code == 302
    created = Participant.objects.get(email="bekova@a.example")
    assert created.group == side_a.group
    assert WebhookDelivery.objects.filter(event="participant.created").count() == 1
    assert created.history.first().history_actor == "user org-a"


def test_admin_delete_participant_goes_through_the_service(side_a, organiser_client):
    url = f"/admin/participants/participant/{side_a.member.pk}/delete/"

    response = organiser_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Participant.objects.filter(pk=side_a.member.pk).exists()
    assert Participant.history.filter(id=side_a.member.pk).first().history_actor == "user org-a"


def test_admin_delete_group_with_visits_is_refused_naming_them(side_a, organiser_client):
    url = f"/admin/participants/projectgroup/{side_a.group.pk}/delete/"

    response = organiser_client.post(url, {"post": "yes"}, follow=True)

    assert ProjectGroup.objects.filter(pk=side_a.group.pk).exists()
    assert any("Visit of A" in str(message) for message in response.context["messages"])


def test_admin_delete_selected_groups_is_all_or_nothing(side_a, organiser_client):
    empty = ProjectGroup.objects.create(program=side_a.program, name="Group 9: Empty")

    response = organiser_client.post(
        "/admin/participants/projectgroup/",
        {"action": "delete_selected", "_selected_action": [empty.pk, side_a.group.pk], "post": "yes"},
        follow=True,
    )

    assert ProjectGroup.objects.filter(pk__in=[empty.pk, side_a.group.pk]).count() == 2
    assert any("Visit of A" in str(message) for message in response.context["messages"])


def test_admin_rotate_links_action_touches_only_the_organisers_participants(side_a, side_b, organiser_client):
    before = {p.pk: p.access_token for p in (side_a.member, side_b.member)}

    organiser_client.post(
        "/admin/participants/participant/",
        {"action": "rotate_tokens", "_selected_action": [side_a.member.pk, side_b.member.pk]},
    )

    assert Participant.objects.get(pk=side_a.member.pk).access_token != before[side_a.member.pk]
    assert Participant.objects.get(pk=side_b.member.pk).access_token == before[side_b.member.pk]


def test_admin_full_group_message_is_in_the_organisers_language(side_a, organiser_client):
    visit_update(visit=side_a.visit, capacity=2)
    newcomer = ParticipantFactory(program=side_a.program, group=None, email="new@a.example")
    url = f"/admin/participants/participant/{newcomer.pk}/change/"
    data = form_values(organiser_client.get(url), group=str(side_a.group.pk))

    response = organiser_client.post(url, data, headers={"accept-language": "ru"})

    assert response.context["adminform"].form.errors["group"] == [
        "«Visit of A» 07.12.2026 заполнен (вместимость 2): в «Group of A» нет мест."
    ]


def test_admin_revert_to_an_earlier_version_goes_through_the_service(side_a, partner, organiser_client):
    other = ProjectGroup.objects.create(program=side_a.program, name="Group 2: Demography")
    earlier = side_a.member.history.first()
    participant_update(participant=side_a.member, group=other)
    mark_all_told()
    url = f"/admin/participants/participant/{side_a.member.pk}/history/{earlier.history_id}/"

    response = organiser_client.post(url, form_values(organiser_client.get(url)))

    assert response.status_code == 302
    member = Participant.objects.get(pk=side_a.member.pk)
    assert member.group == side_a.group
    assert side_a.program.pk in untold_program_ids()
    assert member.history.first().history_actor == "user org-a"
