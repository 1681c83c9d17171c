"""The access matrix: every role against every page and API operation.

Two programs, A and B. Each cell says what the role gets: the page or data
(200/201/202/302 to a result), or a refusal (302 to the login page, 401, 403,
404). A participant never sees another participant's data; a host contact sees only
their organisation's visits; an organiser of A never sees B; a token limited to
B never sees A; a revoked token sees nothing.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from participants.models import Participant
from participants.services import participant_update
from partners.services import api_client_create, api_client_revoke
from programs.selectors import ORGANISERS_GROUP
from surveys.services import survey_create
from tests.factories import (
    HostContactFactory,
    HostOrganisationFactory,
    ParticipantFactory,
    ProgramFactory,
    ProjectGroupFactory,
)
from visits.services import visit_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)
LOGIN = "login"  # a 302 to the login page


@dataclass
class World:
    ids: dict
    tokens: dict
    clients: dict


def organiser(username: str, *programs):
    user = get_user_model().objects.create_user(username, f"{username}@academy.example", "pw-for-tests-only")
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    for program in programs:
        program.organisers.add(user)
    return user


def program_with_people(slug: str):
    program = ProgramFactory(slug=slug, title=f"Program {slug}")
    group = ProjectGroupFactory(program=program, name=f"Group of {slug}")
    first = ParticipantFactory(program=program, group=group, email=f"first@{slug}.example")
    second = ParticipantFactory(program=program, group=group, email=f"second@{slug}.example", phone="+7 700 111 2233")
    group.coordinator = first
    group.save()
    tz = program.tzinfo
    visit = visit_create(
        program=program,
        groups=[group],
        host=HostOrganisationFactory(name=f"Host of {slug}"),
        title=f"Visit of {slug}",
        starts_at=datetime.combine(DAY, time(10), tzinfo=tz),
        ends_at=datetime.combine(DAY, time(12), tzinfo=tz),
    )
    survey = survey_create(
        program=program,
        title=f"Feedback {slug}",
        opens_at=datetime.combine(DAY, time(8), tzinfo=tz),
        closes_at=datetime.combine(DAY, time(22), tzinfo=tz),
        questions=[{"kind": "rating", "text": "How useful was the visit?"}],
    )
    return program, group, first, second, visit, survey


def host_contact_of(visit, slug: str):
    return HostContactFactory(host=visit.host, name=f"Contact of {slug}", email=f"desk@host-{slug}.example")


@pytest.fixture
def world() -> World:
    a, group_a, coordinator_a, member_a, visit_a, survey_a = program_with_people("a")
    b, group_b, _coord_b, member_b, visit_b, _survey_b = program_with_people("b")
    participant_login = get_user_model().objects.create_user("member", "m@a.example", "pw-for-tests-only")
    participant_update(participant=member_a, user=participant_login)
    users = {
        "participant login": participant_login,
        "organiser A": organiser("org-a", a),
        "organiser B": organiser("org-b", b),
        "superuser": get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only"),
    }
    tokens = {
        "client read": api_client_create(name="HR system", scopes=["read"])[1],
        "client write": api_client_create(name="LMS", scopes=["read", "write"])[1],
        "client limited to B": api_client_create(name="Travel agent", scopes=["read", "write"], programs=[b])[1],
    }
    revoked, revoked_token = api_client_create(name="Old partner", scopes=["read", "write"])
    api_client_revoke(client=revoked)
    tokens["client revoked"] = revoked_token
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    for role, token in tokens.items():
        clients[role] = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    clients["participant by link"] = Client()
    clients["coordinator by link"] = Client()
    clients["host contact by link"] = Client()
    host_a, host_b = host_contact_of(visit_a, "a"), host_contact_of(visit_b, "b")
    ids = {
        "a": a.slug,
        "b": b.slug,
        "group_a": group_a.pk,
        "visit_a": visit_a.pk,
        "visit_b": visit_b.pk,
        "member_a": member_a.pk,
        "member_b": member_b.pk,
        "survey_a": survey_a.pk,
        "token_member_a": member_a.access_token,
        "token_coordinator_a": coordinator_a.access_token,
        "token_member_b": member_b.access_token,
        "group_b": group_b.pk,
        "token_host_a": host_a.access_token,
        "token_host_b": host_b.access_token,
    }
    return World(ids=ids, tokens=tokens, clients=clients)


ROLES = [
    "anonymous",
    "participant by link",
    "coordinator by link",
    "host contact by link",
    "participant login",
    "organiser A",
    "organiser B",
    "superuser",
    "client read",
    "client write",
    "client limited to B",
    "client revoked",
]

# Organiser pages of program A: organisers of A and superusers only.
ORGANISER_PAGES_A = [
    "/organiser/programs/{a}/",
    "/organiser/programs/{a}/board/",
    "/organiser/programs/{a}/visits/new/",
    "/organiser/programs/{a}/visits/{visit_a}/",
    "/organiser/programs/{a}/visits/{visit_a}/visitors/",
    "/organiser/programs/{a}/visits/{visit_a}/visitors.csv",
    "/organiser/programs/{a}/hosts/",
    "/organiser/programs/{a}/hosts/new/",
    "/organiser/programs/{a}/send/",
    "/organiser/programs/{a}/send/schedules/?who=all",
    "/organiser/programs/{a}/send/schedules/?who=selected&participants={member_a}",
    "/organiser/programs/{a}/send/changes/",
    "/organiser/programs/{a}/print/groups/{group_a}/",
    "/organiser/programs/{a}/print/participants/{member_a}/",
    "/organiser/programs/{a}/participants/",
    "/organiser/programs/{a}/participants/new/",
    "/organiser/programs/{a}/participants/{member_a}/",
    "/organiser/programs/{a}/participants/{member_a}/personal-data.json",
    "/organiser/programs/{a}/participants/export.csv",
    "/organiser/programs/{a}/participants/import/",
    "/organiser/programs/{a}/feedback/",
    "/organiser/programs/{a}/surveys/",
    "/organiser/programs/{a}/surveys/new/",
    "/organiser/programs/{a}/surveys/{survey_a}/",
    "/organiser/programs/{a}/surveys/{survey_a}/invitations/",
    "/organiser/programs/{a}/surveys/{survey_a}/results/",
    "/organiser/programs/{a}/surveys/{survey_a}/results.csv",
    "/organiser/programs/{a}/surveys/{survey_a}/results.xlsx",
    "/organiser/programs/{a}/hosts/confirmations/",
    "/organiser/programs/{a}/hosts/visitor-details/",
]
ORGANISER_PAGE_EXPECTED = {
    "anonymous": LOGIN,
    "participant by link": LOGIN,
    "coordinator by link": LOGIN,
    "host contact by link": LOGIN,
    "participant login": 403,
    "organiser A": 200,
    "organiser B": 404,
    "superuser": 200,
    # A partner's token is not a browser session: the organiser pages ask for a login.
    "client read": LOGIN,
    "client write": LOGIN,
    "client limited to B": LOGIN,
    "client revoked": LOGIN,
}


def check(world: World, role: str, method: str, path: str, expected, data=None):
    client = world.clients[role]
    url = path.format(**world.ids)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.generic(
            method,
            url,
            data=json.dumps(data or {}),
            content_type="application/json",
        )
    if expected == LOGIN:
        assert response.status_code == 302, (role, method, url, response.status_code)
        assert "/login/" in response["Location"], (role, url, response["Location"])
    else:
        assert response.status_code == expected, (role, method, url, response.status_code, response.content[:300])
    return response


@pytest.mark.parametrize("role", ROLES)
def test_organiser_pages(world, role):
    for path in ORGANISER_PAGES_A:
        check(world, role, "GET", path, ORGANISER_PAGE_EXPECTED[role])


@pytest.mark.parametrize("role", ROLES)
def test_organiser_program_list_shows_only_own_programs(world, role):
    response = world.clients[role].get("/organiser/")
    if ORGANISER_PAGE_EXPECTED[role] in (LOGIN, 403):
        check(world, role, "GET", "/organiser/", ORGANISER_PAGE_EXPECTED[role])
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert ("Program a" in body, "Program b" in body) == {
        "organiser A": (True, False),
        "organiser B": (False, True),
        "superuser": (True, True),
    }[role]


@pytest.mark.parametrize("role", ROLES)
def test_organiser_writes_refused_to_everyone_else(world, role):
    """Writes on program A's pages: only organisers of A (and superusers) get past the door."""
    client = world.clients[role]
    url = "/organiser/programs/{a}/participants/{member_a}/anonymise/".format(**world.ids)
    response = client.post(url, {"confirm": "no"})  # unconfirmed: even when allowed, nothing is erased
    expected = ORGANISER_PAGE_EXPECTED[role]
    if expected == 200:
        assert response.status_code == 302
        assert "/login/" not in response["Location"]
    elif expected == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == expected


# --- participants' own pages ------------------------------------------------------------


def test_personal_links_open_only_their_own_itinerary(world):
    client = world.clients["participant by link"]
    own = client.get("/i/{token_member_a}/".format(**world.ids))
    feed = client.get("/i/{token_member_a}.ics".format(**world.ids))
    other = client.get("/i/{token_member_b}/".format(**world.ids))

    assert own.status_code == 200
    assert "Visit of a" in own.content.decode()
    assert "Visit of b" not in own.content.decode()
    assert feed.status_code == 200
    assert b"Visit of b" not in feed.content
    # Another participant's page opens only with that participant's own secret token.
    assert other.status_code == 200
    assert "Visit of b" in other.content.decode()


def test_host_links_open_only_their_own_organisations_visits(world):
    client = world.clients["host contact by link"]
    own = client.get("/h/{token_host_a}/".format(**world.ids))
    other_visit = "/h/{token_host_a}/visits/{visit_b}/".format(**world.ids)
    answer = client.post(other_visit + "answer/", {"answer": "confirmed"})
    visitors = client.get(other_visit + "visitors/")
    participant_page = client.get("/h/{token_member_a}/".format(**world.ids))  # a participant's token is no host's

    assert own.status_code == 200
    assert "Visit of a" in own.content.decode()
    assert "Visit of b" not in own.content.decode()
    assert "first@a.example" not in own.content.decode()
    assert (answer.status_code, visitors.status_code, participant_page.status_code) == (404, 404, 404)
    own_visitors = client.get("/h/{token_host_a}/visits/{visit_a}/visitors/".format(**world.ids))
    assert own_visitors.status_code == 200
    assert "second@a.example" not in own_visitors.content.decode()  # names and required fields only


@pytest.mark.parametrize("token", ["", "x", "not-a-real-token-" + "z" * 30, "../etc/passwd"])
def test_host_link_with_a_wrong_token_is_404(world, token):
    response = world.clients["anonymous"].get(f"/h/{token}/")

    assert response.status_code == 404


@pytest.mark.parametrize("token", ["", "x", "not-a-real-token-" + "z" * 30, "../etc/passwd"])
def test_personal_link_with_a_wrong_token_is_404(world, token):
    response = world.clients["anonymous"].get(f"/i/{token}/")

    assert response.status_code == 404


def test_member_page_hides_other_members_contacts_coordinator_page_shows_them(world):
    member = world.clients["participant by link"].get("/i/{token_member_a}/".format(**world.ids)).content.decode()
    coordinator = world.clients["coordinator by link"].get("/i/{token_coordinator_a}/".format(**world.ids))

    assert "+7 700 111 2233" not in member
    assert coordinator.status_code == 200
    assert "+7 700 111 2233" in coordinator.content.decode()
    assert "second@a.example" in coordinator.content.decode()


def test_coordinator_page_hides_members_accessibility_and_dietary_notes(world):
    """A coordinator needs names and contacts; the notes are for the organisers."""
    member = Participant.objects.get(pk=world.ids["member_a"])
    participant_update(participant=member, notes="Wheelchair user; halal meals")

    page = world.clients["coordinator by link"].get("/i/{token_coordinator_a}/".format(**world.ids)).content.decode()

    assert member.full_name in page
    assert "second@a.example" in page
    assert "Wheelchair" not in page
    assert "halal" not in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("participant login", 200),
        ("organiser A", 404),
        ("superuser", 404),
        ("client read", LOGIN),
    ],
)
def test_me_page_is_the_logged_in_participants_own(world, role, expected):
    response = check(world, role, "GET", "/me/", expected)
    if expected == 200:
        body = response.content.decode()
        assert "Visit of a" in body
        assert "Visit of b" not in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("participant login", LOGIN),
        ("organiser A", LOGIN),
        ("superuser", 200),
        ("client write", LOGIN),
    ],
)
def test_admin_is_for_staff(world, role, expected):
    # Organisers reach the admin only when an administrator makes them staff.
    response = world.clients[role].get("/admin/")
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    else:
        assert response.status_code == expected


# --- the API ---------------------------------------------------------------------------

API_READS_A = [
    "/api/v1/programs/{a}/",
    "/api/v1/programs/{a}/groups/",
    "/api/v1/programs/{a}/groups/{group_a}/",
    "/api/v1/programs/{a}/participants/",
    "/api/v1/programs/{a}/participants/{member_a}/",
    "/api/v1/programs/{a}/participants/{member_a}/itinerary/",
    "/api/v1/programs/{a}/participants/{member_a}/itinerary.ics",
    "/api/v1/programs/{a}/visits/",
    "/api/v1/programs/{a}/visits/{visit_a}/",
    "/api/v1/programs/{a}/surveys/",
    "/api/v1/programs/{a}/surveys/{survey_a}/",
    "/api/v1/programs/{a}/surveys/{survey_a}/results/",
]
API_READ_EXPECTED = {
    "anonymous": 401,
    "participant by link": 401,
    "coordinator by link": 401,
    "host contact by link": 401,
    "participant login": 403,
    "organiser A": 200,
    "organiser B": 404,
    "superuser": 200,
    "client read": 200,
    "client write": 200,
    "client limited to B": 404,
    "client revoked": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_of_program_a(world, role):
    for path in API_READS_A:
        check(world, role, "GET", path, API_READ_EXPECTED[role])


@pytest.mark.parametrize("role", ROLES)
def test_api_program_list_shows_only_visible_programs(world, role):
    response = world.clients[role].get("/api/v1/programs/")
    expected = API_READ_EXPECTED[role]
    if expected in (401, 403):
        assert response.status_code == expected
        return
    assert response.status_code == 200
    slugs = sorted(program["slug"] for program in response.json()["results"])
    assert (
        slugs
        == {
            "organiser A": ["a"],
            "organiser B": ["b"],
            "superuser": ["a", "b"],
            "client read": ["a", "b"],
            "client write": ["a", "b"],
            "client limited to B": ["b"],
        }[role]
    )


def write_operations(world: World):
    """(method, path, body, status when allowed): one of each kind of write on program A."""
    return [
        ("PATCH", "/api/v1/programs/{a}/", {"description": "Changed"}, 200),
        ("POST", "/api/v1/programs/{a}/groups/", {"name": "New group", "theme": "Digital"}, 201),
        ("PATCH", "/api/v1/programs/{a}/groups/{group_a}/", {"theme": "Changed"}, 200),
        (
            "POST",
            "/api/v1/programs/{a}/participants/",
            {"first_name": "Olga", "last_name": "Ivanova", "email": "olga@a.example", "group": world.ids["group_a"]},
            201,
        ),
        ("PATCH", "/api/v1/programs/{a}/participants/{member_a}/", {"phone": "+7 700 000 0000"}, 200),
        ("POST", "/api/v1/programs/{a}/participants/{member_a}/rotate-link/", {}, 200),
        (
            "POST",
            "/api/v1/programs/{a}/visits/",
            {
                "title": "Astana Hub",
                "kind": "site_visit",
                "starts_at": "2026-12-09T10:00:00+05:00",
                "ends_at": "2026-12-09T12:00:00+05:00",
                "groups": [world.ids["group_a"]],
            },
            201,
        ),
        ("PATCH", "/api/v1/programs/{a}/visits/{visit_a}/", {"meeting_point": "Hotel lobby"}, 200),
        ("POST", "/api/v1/programs/{a}/visits/{visit_a}/request-confirmation/", None, 202),
        ("POST", "/api/v1/programs/{a}/send-itineraries/", {"participants": [world.ids["member_a"]]}, 202),
        ("POST", "/api/v1/programs/{a}/notify-changes/", {}, 202),
        ("DELETE", "/api/v1/programs/{a}/visits/{visit_a}/", None, 200),
    ]


API_WRITE_EXPECTED = {
    "anonymous": 401,
    "participant by link": 401,
    "coordinator by link": 401,
    "host contact by link": 401,
    "participant login": 403,
    "organiser B": 404,
    "client read": 403,
    "client limited to B": 404,
    "client revoked": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_api_writes_on_program_a(world, role, django_capture_on_commit_callbacks):
    for method, path, body, allowed in write_operations(world):
        expected = API_WRITE_EXPECTED.get(role, allowed)
        # A browser session writes with its CSRF token; Django's test client skips that check.
        with django_capture_on_commit_callbacks(execute=False):
            check(world, role, method, path, expected, data=body)


@pytest.mark.parametrize("role", ROLES)
def test_api_participant_import_on_program_a(world, role, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("people.csv", b"given_name,family_name,email\nOlga,Ivanova,olga@a.example\n")
    url = "/api/v1/programs/{a}/participants/import/".format(**world.ids)

    with django_capture_on_commit_callbacks(execute=False):
        response = world.clients[role].post(url, {"file": upload, "mode": "valid"})

    expected = API_WRITE_EXPECTED.get(role, 200)
    assert response.status_code == expected, (role, response.content[:300])
    assert Participant.objects.filter(email="olga@a.example").exists() == (expected == 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant login", 403),
        ("organiser A", 403),
        ("client read", 200),
        ("client write", 200),
        ("client limited to B", 200),
        ("client revoked", 401),
    ],
)
def test_api_webhooks_are_for_partner_apps_only(world, role, expected):
    check(world, role, "GET", "/api/v1/webhooks/", expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("client read", 200), ("client revoked", 401), ("participant login", 403)],
)
def test_api_hosts_are_shared_but_not_public(world, role, expected):
    check(world, role, "GET", "/api/v1/hosts/", expected)


def test_organiser_b_cannot_reach_a_visit_of_a_through_b(world):
    """Ids from another program answer 404 even under a program the caller may see."""
    check(world, "organiser B", "GET", "/api/v1/programs/{b}/visits/{visit_a}/", 404)
    check(world, "organiser B", "GET", "/organiser/programs/{b}/visits/{visit_a}/", 404)
    check(world, "client limited to B", "GET", "/api/v1/programs/{b}/participants/{member_a}/itinerary/", 404)
