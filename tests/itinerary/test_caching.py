"""The cached itinerary representations: the personal page's schedule, the `.ics` feed and the
API's JSON and `.ics` come from the cache while nothing shown has changed, and show every change
at once (visit moved, host renamed or moved, program renamed, topics changed, group renamed,
participant's language or name changed, token rotated).

Each test first proves that the cache is really used: it replaces the cached entry with a
marker and sees the marker served. Then it changes one thing and sees the change, not the marker.
"""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache

from itinerary import caching
from itinerary import views as personal_views
from itinerary.caching import version_key
from participants.services import group_update, participant_rotate_token, participant_update
from programs.services import program_update
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.services import host_update, visit_create, visit_update

pytestmark = pytest.mark.django_db

MARKER = "<p>served from the cache</p>"


@pytest.fixture
def setup(program, group):
    """A participant whose group shares a joint visit with another group, and one more visit."""
    other = ProjectGroupFactory(program=program, name="Group 2: Demography")
    host = HostOrganisationFactory(name="Astana Hub", address="55/5 Mangilik El Ave", city="Astana")
    joint = visit_create(
        program=program, groups=[group, other], host=host, title="Astana Hub tour",
        starts_at=local(program, program.start_date, 10), ends_at=local(program, program.start_date, 12),
    )  # fmt: skip
    visit_create(
        program=program, groups=[group], host=HostOrganisationFactory(), title="Baiterek holding",
        starts_at=local(program, program.start_date, 14), ends_at=local(program, program.start_date, 16),
    )  # fmt: skip
    participant = ParticipantFactory(program=program, group=group, language="en", first_name="Andrey")
    return {"participant": participant, "host": host, "joint": joint, "other": other, "program": program}


@pytest.fixture
def clock(monkeypatch):
    def set_to(moment) -> None:
        monkeypatch.setattr(personal_views, "current_time", lambda: moment)

    return set_to


def fresh(participant):
    participant.refresh_from_db()
    return participant


# --- the personal page ------------------------------------------------------------------


def get_page(client, participant):
    response = client.get(f"/i/{participant.access_token}/")
    assert response.status_code == 200
    return response


def plant_page_marker(response) -> None:
    cache.set(response.context["schedule_version"], MARKER)


def test_page_schedule_is_served_from_the_cache_while_nothing_changes(client, setup):
    participant = setup["participant"]
    first = get_page(client, participant)
    assert "Astana Hub tour" in first.content.decode()
    plant_page_marker(first)

    again = get_page(client, participant)

    assert MARKER in again.content.decode()
    assert "itinerary/_visit.html" not in [template.name for template in again.templates]
    # What is outside the cached part is still rendered for this request.
    assert 'name="csrfmiddlewaretoken"' in again.content.decode()


def move_visit(setup):
    program = setup["program"]
    visit_update(
        visit=setup["joint"],
        starts_at=local(program, program.start_date, 8, 5),
        ends_at=local(program, program.start_date, 9, 5),
    )
    return "08:05"


def rename_host(setup):
    host_update(host=setup["host"], name="Astana Hub Innovation Cluster")
    return "Astana Hub Innovation Cluster"


def move_host(setup):
    host_update(host=setup["host"], latitude=Decimal("51.089000"), longitude=Decimal("71.416000"))
    return "mlat=51.089000"


def rename_other_group(setup):
    group_update(group=setup["other"], name="Group 2: Human capital")
    return "Group 2: Human capital"


def rename_other_group_in_the_admin(setup):
    """Saved as the admin saves it: the model alone, no service."""
    other = setup["other"]
    other.name = "Group 2: Digital state"
    other.save()
    return "Group 2: Digital state"


def change_language(setup):
    participant_update(participant=setup["participant"], language="ru")
    return "Добавить в календарь"


def rename_program(setup):
    program_update(program=setup["program"], title="Senior civil service internship, second wave")
    return "Senior civil service internship, second wave"


PAGE_CHANGES = {
    "visit moved": move_visit,
    "host renamed": rename_host,
    "host moved": move_host,
    "group renamed": rename_other_group,
    "group renamed in the admin": rename_other_group_in_the_admin,
    "language changed": change_language,
    "program renamed": rename_program,
}


def test_page_drops_a_deleted_group_at_once(client, setup):
    participant = setup["participant"]
    first = get_page(client, participant).content.decode()
    assert "Group 2: Demography" in first
    plant_page_marker(get_page(client, participant))

    setup["other"].delete()
    body = get_page(client, fresh(participant)).content.decode()

    assert MARKER not in body
    assert "Group 2: Demography" not in body
    assert "Astana Hub tour" in body


@pytest.mark.parametrize("change", list(PAGE_CHANGES))
def test_page_shows_a_change_at_once(client, setup, change):
    participant = setup["participant"]
    plant_page_marker(get_page(client, participant))
    assert MARKER in get_page(client, participant).content.decode()

    expected = PAGE_CHANGES[change](setup)
    body = get_page(client, fresh(participant)).content.decode()

    assert MARKER not in body
    assert expected in body


def test_page_after_token_rotation_shows_the_new_links_only(client, setup):
    participant = setup["participant"]
    old_token = participant.access_token
    plant_page_marker(get_page(client, participant))

    participant_rotate_token(participant=participant)
    body = get_page(client, fresh(participant)).content.decode()

    assert client.get(f"/i/{old_token}/").status_code == 404
    assert MARKER not in body
    assert f"/i/{participant.access_token}.ics" in body
    assert old_token not in body


def test_page_next_visit_moves_on_with_the_clock(client, setup, clock):
    participant = setup["participant"]
    program = setup["program"]
    clock(local(program, program.start_date, 9))
    before = top_section(get_page(client, participant))
    assert "Astana Hub tour" in before
    assert "Baiterek holding" in before  # in today's agenda, not as the next visit

    clock(local(program, program.start_date, 13))  # the joint visit is over
    after = top_section(get_page(client, participant))

    next_visit = after[: after.index('class="itin-agenda')]
    assert "Baiterek holding" in next_visit
    assert "Astana Hub tour" not in next_visit


def top_section(response) -> str:
    html = response.content.decode()
    start = html.index('class="itin-top')
    return html[start : html.index("</section>", start)]


# --- the calendar feed -------------------------------------------------------------------


def get_feed(client, participant):
    response = client.get(f"/i/{participant.access_token}.ics")
    assert response.status_code == 200
    return response


def plant_feed_marker(response, participant) -> None:
    etag = response["ETag"].strip('"')
    key = version_key("ics", etag, f"http://testserver/i/{participant.access_token}/", participant.language)
    cache.set(key, MARKER.encode())


def test_feed_is_served_from_the_cache_while_nothing_changes(client, setup, monkeypatch):
    participant = setup["participant"]
    built = []
    real = caching.itinerary_to_ical
    monkeypatch.setattr(caching, "itinerary_to_ical", lambda **kwargs: built.append(1) or real(**kwargs))

    first = get_feed(client, participant)
    second = get_feed(client, participant)

    assert len(built) == 1
    assert second.content == first.content
    assert b"SUMMARY:Astana Hub tour" in second.content


FEED_CHANGES = {
    "visit moved": (move_visit, b"T080500"),
    "host renamed": (rename_host, b"Astana Hub Innovation Cluster"),
    "host moved": (move_host, b"GEO:51.089;71.416"),
    "program renamed": (rename_program, b"Senior civil service internship"),
    "participant renamed": (
        lambda setup: participant_update(participant=setup["participant"], first_name="Andrei"),
        b"Andrei",
    ),
}


@pytest.mark.parametrize("change", list(FEED_CHANGES))
def test_feed_shows_a_change_at_once(client, setup, change):
    participant = setup["participant"]
    first = get_feed(client, participant)
    plant_feed_marker(first, participant)
    assert get_feed(client, participant).content == MARKER.encode()

    apply, expected = FEED_CHANGES[change]
    apply(setup)
    body = get_feed(client, fresh(participant)).content

    assert body != MARKER.encode()
    assert expected in body.replace(b"\r\n ", b"")  # unfold long lines


def test_feed_after_token_rotation_links_the_new_page(client, setup):
    participant = setup["participant"]
    old_token = participant.access_token
    plant_feed_marker(get_feed(client, participant), participant)

    participant_rotate_token(participant=participant)
    body = get_feed(client, fresh(participant)).content.replace(b"\r\n ", b"")

    assert client.get(f"/i/{old_token}.ics").status_code == 404
    assert f"/i/{participant.access_token}/".encode() in body
    assert old_token.encode() not in body


# --- the API -----------------------------------------------------------------------------


@pytest.fixture
def api(db):
    from rest_framework.test import APIClient

    from partners.services import api_client_create

    _client, token = api_client_create(name="Ministry HR system", scopes=("read",), programs=())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def api_url(setup) -> str:
    return f"/api/v1/programs/{setup['program'].slug}/participants/{setup['participant'].pk}/itinerary/"


def get_json(api, setup):
    response = api.get(api_url(setup))
    assert response.status_code == 200
    return response


def plant_json_marker(response) -> None:
    cache.set(version_key("json", response["ETag"]), json.dumps({"marker": MARKER}).encode())


def test_api_json_is_served_from_the_cache_while_nothing_changes(api, setup):
    first = get_json(api, setup)
    assert first.json()["days"][0]["items"][0]["title"] == "Astana Hub tour"
    plant_json_marker(first)

    again = get_json(api, setup)

    assert again.json() == {"marker": MARKER}
    assert again["ETag"] == first["ETag"]


def change_topics(setup):
    program_update(program=setup["program"], topics=["Digital state", "Project management"])
    return "Project management"


def first_item(body: dict) -> dict:
    return body["days"][0]["items"][0]


JSON_CHANGES = {
    "visit moved": (move_visit, lambda body: first_item(body)["starts_at"].startswith("2026-12-07T08:05:00")),
    "host renamed": (rename_host, lambda body: body["days"][0]["items"][0]["host"]["name"] == rename_host.expected),
    "program renamed": (rename_program, lambda body: body["program"]["title"] == rename_program.expected),
    "topics changed": (
        change_topics,
        lambda body: body["program"]["topics"] == ["Digital state", "Project management"],
    ),
    "language changed": (
        lambda setup: participant_update(participant=setup["participant"], language="kk"),
        lambda body: body["participant"]["language"] == "kk",
    ),
}
rename_host.expected = "Astana Hub Innovation Cluster"
rename_program.expected = "Senior civil service internship, second wave"


@pytest.mark.parametrize("change", list(JSON_CHANGES))
def test_api_json_shows_a_change_at_once(api, setup, change):
    first = get_json(api, setup)
    plant_json_marker(first)
    assert get_json(api, setup).json() == {"marker": MARKER}

    apply, shows_it = JSON_CHANGES[change]
    apply(setup)
    changed = get_json(api, setup)

    assert changed["ETag"] != first["ETag"]
    assert "marker" not in changed.json()
    assert shows_it(changed.json())


def test_api_json_topic_renamed_elsewhere_changes_the_etag(api, setup):
    """A topic renamed in the admin touches the programs it belongs to (programs.versions)."""
    program_update(program=setup["program"], topics=["Digital state"])
    first = get_json(api, setup)
    plant_json_marker(first)

    topic = setup["program"].topics.get()
    topic.name = "Digital government"
    topic.save()
    changed = get_json(api, setup)

    assert changed["ETag"] != first["ETag"]
    assert changed.json()["program"]["topics"] == ["Digital government"]


def test_api_json_after_token_rotation_shows_the_new_links(api, setup):
    participant = setup["participant"]
    old_token = participant.access_token
    plant_json_marker(get_json(api, setup))

    participant_rotate_token(participant=participant)
    body = get_json(api, setup).json()

    assert body["participant"]["itinerary_url"].endswith(f"/i/{fresh(participant).access_token}/")
    assert old_token not in str(body)


def test_api_ics_shows_a_moved_visit_at_once(api, setup):
    url = api_url(setup).rstrip("/") + ".ics"
    first = api.get(url)
    assert first.status_code == 200

    move_visit(setup)
    changed = api.get(url)

    assert changed["ETag"] != first["ETag"]
    assert b"T080500" in changed.content


def test_without_a_cache_every_representation_is_built(client, api, setup, settings):
    """A cache that stores nothing (as the Redis cache behaves while Redis is down)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    participant = setup["participant"]

    for _ in range(2):
        assert "Astana Hub tour" in get_page(client, participant).content.decode()
        assert b"SUMMARY:Astana Hub tour" in get_feed(client, participant).content
        assert first_item(get_json(api, setup).json())["title"] == "Astana Hub tour"


# --- the rows behind the cached representations -------------------------------------------


def test_rows_give_the_same_version_and_itinerary_as_the_objects(setup, django_assert_num_queries):
    from itinerary.selectors import participant_itinerary, participant_itinerary_rows

    participant = setup["participant"]
    objects = participant_itinerary(participant=participant)
    rows = participant_itinerary_rows(participant=participant)

    with django_assert_num_queries(0):
        built = rows.to_itinerary()
        shown = [
            (
                item.visit.pk, item.visit.title, item.visit.get_kind_display(), item.visit.effective_location,
                item.visit.host.name if item.visit.host else None, item.visit.status, item.starts_at, item.ends_at,
            )
            for item in built.items
        ]  # fmt: skip

    assert rows.version() == objects.etag == built.etag
    assert [day.date for day in built.days] == [day.date for day in objects.days]
    assert shown == [
        (
            item.visit.pk, item.visit.title, item.visit.get_kind_display(), item.visit.effective_location,
            item.visit.host.name if item.visit.host else None, item.visit.status, item.starts_at, item.ends_at,
        )
        for item in objects.items
    ]  # fmt: skip
    assert shown[0][1] == "Astana Hub tour"


def test_calendar_built_from_the_rows_is_the_calendar_built_from_the_objects(setup, django_assert_num_queries):
    from itinerary.calendar import itinerary_to_ical
    from itinerary.selectors import participant_itinerary, participant_itinerary_rows

    participant = setup["participant"]
    rows = participant_itinerary_rows(participant=participant)

    with django_assert_num_queries(0):
        from_rows = itinerary_to_ical(
            itinerary=rows.to_itinerary(), personal_url="https://portal.example/i/x/", language="en"
        )
    from_objects = itinerary_to_ical(
        itinerary=participant_itinerary(participant=participant),
        personal_url="https://portal.example/i/x/",
        language="en",
    )

    assert from_rows == from_objects
    assert from_rows.count(b"BEGIN:VEVENT") == 2
    assert b"Astana Hub tour" in from_rows
