"""The admin scoped per program: an organiser of A opens every admin page of B's objects and gets
nothing. Every registered ModelAdmin is walked (admin.site._registry), so a new model is covered
as soon as it is registered: it must decide by program or be for superusers only."""

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from audit.services import VISITOR_LIST, data_access_record
from participants.services import participant_delete
from partners.services import api_client_create, webhook_create
from programs.admin_access import ProgramScopedAdmin, SuperuserOnlyAdmin
from programs.models import Topic
from programs.services import organiser_add, topics_get_or_create
from visits.models import HostOrganisation
from visits.services import visit_update

from .conftest import ALL_EVENTS, add_planning_and_outcomes

pytestmark = pytest.mark.django_db

# Shared by every program: an organiser sees them all (the world checks what they may change).
SHARED = {HostOrganisation, Topic}
NOT_FOUND = {302, 404}
# What names program B's objects on a page (tests/admin/conftest.py: build_side).
NAMES_OF_B = ["Program B", "Group of B", "Visit of B", "Feedback B", "Host of B", "@b.example"]


@pytest.fixture
def world(side_a, side_b, organiser_a):
    """B also has its organiser, a partner app limited to it with a webhook and a delivery, a topic."""
    organiser_add(program=side_b.program, username="org-b")
    client, _token = api_client_create(name="Travel agent", scopes=["read", "write"], programs=[side_b.program])
    webhook_create(client=client, url="https://travel.example/hooks", events=ALL_EVENTS)
    visit_update(visit=side_b.visit, meeting_point="Main entrance")  # one delivery
    side_b.program.topics.set(topics_get_or_create(names=["Digital state"]))
    # A mistyped password: the login records (django-axes) have rows too.
    Client().post("/admin/login/", {"username": "org-b", "password": "wrong"})
    AccessFailureLog.objects.create(username="org-b", ip_address="127.0.0.1", user_agent="test", locked_out=False)
    # B's organiser has an authenticator app and recovery codes (django-otp).
    org_b = get_user_model().objects.get(username="org-b")
    TOTPDevice.objects.create(user=org_b, name="Phone", confirmed=True)
    StaticDevice.objects.create(user=org_b, name="Recovery codes", confirmed=True)
    # Somebody read B's visitor list (the audit trail of personal data reads).
    data_access_record(what=VISITOR_LIST, object_id=side_b.visit.pk, program_id=side_b.program.pk, actor="user org-b")
    # The proposer's inputs and runs, attendance and certificates of both programs.
    add_planning_and_outcomes(side_a)
    add_planning_and_outcomes(side_b)
    return side_a, side_b


def objects_of(model_admin, program):
    """The objects of `program` that `model_admin` shows (superuser-only admins: all of them)."""
    model = model_admin.model
    if isinstance(model_admin, SuperuserOnlyAdmin):
        return model._default_manager.exclude(**({"username": "org-a"} if model is get_user_model() else {}))
    path = model_admin.program_path or "pk"
    return model._default_manager.filter(**{path: program.pk if path == "pk" else program})


def admin_url(model, suffix=""):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


# Every registered admin but the shared ones (their own tests below say what organisers may do there).
REGISTERED = sorted(
    ((model, model_admin) for model, model_admin in admin.site._registry.items() if model not in SHARED),
    key=lambda item: item[0]._meta.label,
)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED])
def test_organiser_of_a_gets_nothing_of_b(world, organiser_client, model, model_admin):
    side_a, side_b = world
    assert isinstance(model_admin, ProgramScopedAdmin | SuperuserOnlyAdmin), (
        f"{model._meta.label}'s admin must decide by program (ProgramScopedAdmin) or be for superusers"
    )
    of_b = list(objects_of(model_admin, side_b.program))
    assert of_b, f"the world has no {model._meta.verbose_name} of program B: add one to the fixture"

    changelist = organiser_client.get(admin_url(model))

    if isinstance(model_admin, SuperuserOnlyAdmin):
        assert changelist.status_code == 403
    else:
        assert changelist.status_code == 200
        listed = {obj.pk for obj in changelist.context["cl"].result_list}
        assert listed.isdisjoint({obj.pk for obj in of_b})
        of_a = {obj.pk for obj in objects_of(model_admin, side_a.program)}
        assert of_a, f"the world has no {model._meta.verbose_name} of program A"
        assert of_a <= listed
        page = changelist.content.decode()
        assert not [name for name in NAMES_OF_B if name in page], "B is named on the page (a filter?)"
    # Superuser-only admins refuse every page outright; the others behave as if B did not exist.
    refusal = {403} | NOT_FOUND if isinstance(model_admin, SuperuserOnlyAdmin) else NOT_FOUND
    for obj in of_b:
        pages = [
            admin_url(model, f"{obj.pk}/change/"),
            admin_url(model, f"{obj.pk}/delete/"),
            admin_url(model, f"{obj.pk}/history/"),
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = obj.history.first()
            if version is not None:
                pages.append(admin_url(model, f"{obj.pk}/history/{version.history_id}/"))
        for page in pages:
            response = organiser_client.get(page)
            assert response.status_code in refusal, f"{page}: {response.status_code}"
            if response.status_code == 302:
                assert response["Location"] == "/admin/", page
        refused = organiser_client.post(admin_url(model, f"{obj.pk}/change/"), {})
        # An admin that changes nothing (outbox, invitations) refuses every POST alike.
        read_only = isinstance(model_admin, ProgramScopedAdmin) and not model_admin.allow_change
        assert refused.status_code in (refusal | {403} if read_only else refusal)


def test_organiser_of_a_cannot_change_b_participant_by_posting(world, organiser_client):
    _side_a, side_b = world
    member = side_b.member

    response = organiser_client.post(
        admin_url(type(member), f"{member.pk}/change/"),
        {"first_name": "Changed", "last_name": "By A", "email": "a@a.example", "language": "ru"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.first_name == "Andrey"


def test_superuser_sees_both_programs(world, superuser_client):
    side_a, side_b = world

    response = superuser_client.get(admin_url(type(side_a.member)))

    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert {side_a.member.pk, side_b.member.pk} <= listed
    assert superuser_client.get(admin_url(type(side_b.member), f"{side_b.member.pk}/change/")).status_code == 200


def test_shared_hosts_are_seen_but_changed_only_when_not_used_elsewhere(world, organiser_client):
    side_a, side_b = world
    unused = HostOrganisation.objects.create(name="Astana Hub")

    listed = {obj.pk for obj in organiser_client.get(admin_url(HostOrganisation)).context["cl"].result_list}
    b_page = organiser_client.get(admin_url(HostOrganisation, f"{side_b.host.pk}/change/"))
    b_post = organiser_client.post(admin_url(HostOrganisation, f"{side_b.host.pk}/change/"), {"name": "Renamed"})
    b_delete = organiser_client.post(admin_url(HostOrganisation, f"{side_b.host.pk}/delete/"), {"post": "yes"})
    own_page = organiser_client.get(admin_url(HostOrganisation, f"{side_a.host.pk}/change/"))

    assert {side_a.host.pk, side_b.host.pk, unused.pk} <= listed
    assert b_page.status_code == 200
    assert not b_page.context["has_change_permission"]
    assert (b_post.status_code, b_delete.status_code) == (403, 403)
    assert HostOrganisation.objects.get(pk=side_b.host.pk).name == "Host of B"
    assert own_page.context["has_change_permission"]


def test_topics_are_seen_by_organisers_and_changed_by_superusers(world, organiser_client, superuser_client):
    topic = Topic.objects.get(name="Digital state")

    seen = organiser_client.get(admin_url(Topic, f"{topic.pk}/change/"))
    refused = organiser_client.post(admin_url(Topic, f"{topic.pk}/change/"), {"name": "X", "slug": "x"})

    assert seen.status_code == 200
    assert not seen.context["has_change_permission"]
    assert refused.status_code == 403
    assert superuser_client.get(admin_url(Topic, f"{topic.pk}/change/")).context["has_change_permission"]


def test_organiser_forms_offer_only_their_programs_and_groups(world, organiser_client):
    side_a, _side_b = world

    form = organiser_client.get("/admin/participants/participant/add/").context["adminform"].form

    assert list(form.fields["program"].queryset) == [side_a.program]
    assert list(form.fields["group"].queryset) == [side_a.group]
    assert "user" not in form.fields


def test_organiser_cannot_add_a_participant_to_b(world, organiser_client):
    _side_a, side_b = world

    response = organiser_client.post(
        "/admin/participants/participant/add/",
        {"program": side_b.program.pk, "first_name": "Aigerim", "last_name": "Bekova", "email": "ab@x.example"},
    )

    assert response.status_code == 200
    assert "program" in response.context["adminform"].form.errors
    assert not side_b.program.participants.filter(last_name="Bekova").exists()


def test_organiser_without_model_permissions_sees_the_admin_index_of_their_apps(world, organiser_client):
    response = organiser_client.get("/admin/")

    apps = {app["app_label"]: {m["object_name"] for m in app["models"]} for app in response.context["app_list"]}
    assert {"Participant", "ProjectGroup"} <= apps["participants"]
    assert "partners" not in apps
    assert "auth" not in apps


def test_staff_who_organise_nothing_see_no_program_data(world):
    staff = get_user_model().objects.create_user("clerk", "c@academy.example", "pw-for-tests-only", is_staff=True)
    staff.groups.add(Group.objects.get(name="organisers"))
    client = Client()
    client.force_login(staff)

    response = client.get("/admin/participants/participant/")

    assert list(response.context["cl"].result_list) == []


def test_changelist_filters_name_only_the_organisers_programs_and_groups(world, organiser_client):
    side_a, side_b = world

    page = organiser_client.get("/admin/participants/participant/").content.decode()

    assert side_a.program.title in page
    assert side_a.group.name in page
    assert side_b.program.title not in page
    assert side_b.group.name not in page


def test_autocomplete_offers_only_the_organisers_participants(world, organiser_client):
    side_a, _side_b = world

    response = organiser_client.get(
        "/admin/autocomplete/",
        {"app_label": "participants", "model_name": "projectgroup", "field_name": "coordinator", "term": ""},
    )

    offered = {int(row["id"]) for row in response.json()["results"]}
    assert offered == {side_a.coordinator.pk, side_a.member.pk}


def test_history_of_a_deleted_participant_is_shown_to_its_programs_organisers_only(world, organiser_client):
    side_a, side_b = world
    ids = side_a.member.pk, side_b.member.pk
    participant_delete(participant=side_a.member)
    participant_delete(participant=side_b.member)

    own = organiser_client.get(f"/admin/participants/participant/{ids[0]}/history/")
    other = organiser_client.get(f"/admin/participants/participant/{ids[1]}/history/")

    assert own.status_code == 200
    assert other.status_code == 404


@pytest.mark.parametrize("suffix", ["change/", "delete/", "history/"])
def test_a_malformed_id_is_not_found(world, organiser_client, suffix):
    response = organiser_client.get(f"/admin/participants/participant/not-a-number/{suffix}")

    assert response.status_code in NOT_FOUND
