"""Freshness by construction: one version per program, raised by every write through every door
(service, API, admin, a bulk `QuerySet.update()`), and a release identifier in every key and ETag.

Each test looks at what the participant's phone and calendar see: the personal page, the
`.ics` feed and the API's JSON, with their ETags."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from internship_portal.release import release_digest
from participants.models import Participant, ProjectGroup
from partners.services import api_client_create
from programs.models import Program
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, local
from visits.models import HostOrganisation, SiteVisit, VisitGroup
from visits.services import visit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen(program, group, client):
    """A participant with one visit at a host; `look()` answers what their three views show."""
    host = HostOrganisationFactory(name="Astana Hub", address="55/5 Mangilik El Ave", city="Astana")
    visit = visit_create(
        program=program, groups=[group], host=host, title="Astana Hub tour",
        starts_at=local(program, program.start_date, 10), ends_at=local(program, program.start_date, 12),
    )  # fmt: skip
    participant = ParticipantFactory(program=program, group=group, language="en")
    _client, token = api_client_create(name="HR system", scopes=("read", "write"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    def look() -> dict:
        page = client.get(f"/i/{participant.access_token}/")
        feed = client.get(f"/i/{participant.access_token}.ics")
        data = api.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/")
        assert (page.status_code, feed.status_code, data.status_code) == (200, 200, 200)
        return {
            "page": page.content.decode(),
            "feed": feed.content.decode().replace("\r\n ", ""),
            "json": data.content.decode(),
            "etags": (feed["ETag"], data["ETag"]),
        }

    return {"look": look, "host": host, "visit": visit, "participant": participant, "api": api, "program": program}


def test_host_address_changed_through_the_api_is_seen_at_once_with_new_etags(seen):
    before = seen["look"]()
    assert "55/5 Mangilik El Ave" in before["page"]

    response = seen["api"].patch(f"/api/v1/hosts/{seen['host'].pk}/", {"address": "8 Kabanbay Batyr"}, format="json")
    after = seen["look"]()

    assert response.status_code == 200
    for view in ("page", "feed", "json"):
        assert "8 Kabanbay Batyr" in after[view], view
        assert "55/5 Mangilik El Ave" not in after[view], view
    assert after["etags"][0] != before["etags"][0]
    assert after["etags"][1] != before["etags"][1]


def test_group_renamed_in_the_admin_is_seen_at_once(seen, group, client):
    before = seen["look"]()
    User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    admin = type(client)()
    admin.login(username="root", password="pw-for-tests-only")

    response = admin.post(
        f"/admin/participants/projectgroup/{group.pk}/change/",
        {"program": group.program_id, "name": "Group 1: Digital government", "theme": group.theme, "coordinator": ""},
    )
    after = seen["look"]()

    assert response.status_code == 302, response.content[:500]
    assert ProjectGroup.objects.get(pk=group.pk).name == "Group 1: Digital government"
    assert "Group 1: Digital government" in after["page"]
    assert after["etags"] != before["etags"]


@pytest.mark.parametrize(
    ("queryset", "change", "shown"),
    [
        (lambda s: SiteVisit.objects.filter(pk=s["visit"].pk), {"title": "Hub tour, renamed"}, "Hub tour, renamed"),
        (
            lambda s: HostOrganisation.objects.filter(pk=s["host"].pk),
            {"name": "Astana Hub IT park"},
            "Astana Hub IT park",
        ),
        (lambda s: Program.objects.filter(pk=s["program"].pk), {"title": "Winter school 2026"}, "Winter school 2026"),
        (lambda s: Participant.objects.filter(pk=s["participant"].pk), {"first_name": "Bakhyt"}, "Bakhyt"),
    ],
    ids=["visit", "host", "program", "participant"],
)
def test_a_bulk_update_raises_the_version_so_every_view_shows_it(seen, queryset, change, shown):
    before = seen["look"]()
    version = Program.objects.get(pk=seen["program"].pk).version

    queryset(seen).update(**change)
    after = seen["look"]()

    assert Program.objects.get(pk=seen["program"].pk).version > version
    assert shown in after["page"]
    assert shown in after["json"]
    assert after["etags"] != before["etags"]


def test_bulk_writes_to_bookings_raise_the_version(seen):
    program = seen["program"]
    version = Program.objects.get(pk=program.pk).version

    VisitGroup.objects.filter(visit=seen["visit"]).update(is_cancelled=True)
    raised_once = Program.objects.get(pk=program.pk).version
    VisitGroup.objects.filter(visit=seen["visit"]).delete()

    assert version < raised_once < Program.objects.get(pk=program.pk).version
    assert "Astana Hub tour" not in seen["look"]()["page"]


def test_a_write_to_one_program_leaves_the_other_programs_version(seen):
    other_program = ProgramFactory()
    other_version = Program.objects.get(pk=other_program.pk).version

    SiteVisit.objects.filter(pk=seen["visit"].pk).update(title="Only here")

    assert Program.objects.get(pk=other_program.pk).version == other_version


def test_a_new_release_changes_every_etag(seen, settings):
    before = seen["look"]()

    settings.RELEASE_ID = "next-release"
    after = seen["look"]()

    assert after["etags"][0] != before["etags"][0]
    assert after["etags"][1] != before["etags"][1]


def test_the_release_digest_follows_templates_and_compiled_translations(tmp_path: Path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "locale" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    template = tmp_path / "templates" / "page.html"
    catalogue = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
    template.write_text("<p>{{ visit.title }}</p>")
    catalogue.write_bytes(b"\x00compiled")
    first = release_digest(tmp_path)

    template.write_text("<p>{{ visit.title }} — {{ visit.host }}</p>")
    second = release_digest(tmp_path)
    catalogue.write_bytes(b"\x00compiled again")
    third = release_digest(tmp_path)
    (tmp_path / "notes.md").write_text("not part of a release")

    assert len({first, second, third}) == 3
    assert release_digest(tmp_path) == third


def test_release_id_from_the_environment_wins(monkeypatch):
    from internship_portal.release import release_id

    monkeypatch.setenv("RELEASE_ID", "2026.12.1-build-7")

    assert release_id() == "2026.12.1-build-7"


def test_the_visits_list_is_cached_by_version_and_shows_a_bulk_update_at_once(seen):
    url = f"/api/v1/programs/{seen['program'].slug}/visits/"
    first = seen["api"].get(url).json()

    SiteVisit.objects.filter(pk=seen["visit"].pk).update(title="Hub tour, moved indoors")
    second = seen["api"].get(url).json()

    assert [visit["title"] for visit in first["results"]] == ["Astana Hub tour"]
    assert [visit["title"] for visit in second["results"]] == ["Hub tour, moved indoors"]


def test_the_board_shows_a_bulk_update_at_once(seen, client):
    from tests.web.conftest import make_organiser

    program = seen["program"]
    client.force_login(make_organiser("aigerim", program))
    url = f"/organiser/programs/{program.slug}/board/?day={program.start_date:%Y-%m-%d}"
    assert "Astana Hub tour" in client.get(url).content.decode()

    SiteVisit.objects.filter(pk=seen["visit"].pk).update(title="Hub tour, moved indoors")

    assert "Hub tour, moved indoors" in client.get(url).content.decode()


def test_the_scheduling_service_raises_the_version_once_for_a_visit_and_its_bookings(seen, group):
    program = seen["program"]
    version = Program.objects.get(pk=program.pk).version

    visit_create(
        program=program, groups=[group], title="Lecture",
        starts_at=local(program, program.start_date, 14), ends_at=local(program, program.start_date, 15),
    )  # fmt: skip

    assert Program.objects.get(pk=program.pk).version == version + 1


def test_bookings_written_outside_the_service_still_raise_the_version(seen):
    program = seen["program"]
    version = Program.objects.get(pk=program.pk).version

    VisitGroup.objects.filter(visit=seen["visit"]).update(is_cancelled=False)

    assert Program.objects.get(pk=program.pk).version == version + 1
