"""The Propose page through Django's test client: forms, import errors, apply, and its languages."""

from datetime import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from planning.models import HostWindow, Proposal, VisitRequest
from programs.selectors import ORGANISERS_GROUP
from tests.factories import ProgramFactory, local
from visits.models import SiteVisit

from .conftest import DEC


@pytest.fixture
def organiser(client, plan):
    user = get_user_model().objects.create_user("aigerim", "aigerim@academy.example", "x")
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    plan.program.organisers.add(user)
    client.force_login(user)
    return client


def page(plan, tail=""):
    return f"/organiser/programs/{plan.program.slug}/propose/{tail}"


def test_propose_apply_and_the_board(organiser, plan, celery_eager, django_capture_on_commit_callbacks):
    plan.window("A", 8, (9, 0), (18, 0))
    plan.ask("A", [plan.groups[0]], title="AIFC")
    plan.ask("C", [plan.groups[1]])

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(page(plan), {"time_limit_seconds": 2})

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    shown = organiser.get(response["Location"]).content.decode()
    assert "1 of 2 musts placed" in shown
    assert "Damu has no window in this program." in shown
    assert 'data-change="added"' in shown
    applied = organiser.post(page(plan, f"proposals/{proposal.pk}/apply/"))
    assert applied.status_code == 302
    assert SiteVisit.objects.get().title == "AIFC"


def test_propose_while_a_proposal_is_being_made_says_so_and_queues_nothing(organiser, plan):
    from planning.services import proposal_create

    waiting = proposal_create(program=plan.program, time_limit_seconds=5, enqueue=False)

    response = organiser.post(page(plan), {"time_limit_seconds": 2})

    assert response.status_code == 400
    assert f"Proposal {waiting.pk} for this program is still being made; wait for it to finish." in (
        response.content.decode()
    )
    assert list(Proposal.objects.all()) == [waiting]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ru", ["Предложить расписание", "У организации «Damu» нет окон приёма в этой программе."]),
        ("kk", ["Кесте ұсыну", "«Damu» ұйымының бұл бағдарламада қабылдау уақыты жоқ."]),
    ],
)
def test_the_page_and_the_reasons_in_russian_and_kazakh(organiser, plan, language, texts):
    plan.ask("C", [plan.groups[0]])
    proposal = plan.propose(seconds=1)

    html = organiser.get(page(plan, f"?proposal={proposal.pk}"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for text in texts:
        assert text in html


def test_a_window_form_error_names_the_field_and_saves_nothing(organiser, plan):
    response = organiser.post(
        page(plan, "windows/new/"),
        {"host": plan.hosts["A"].pk, "day": "2026-12-09", "start": "12:00", "end": "10:00", "capacity": 1},
    )

    assert response.status_code == 400
    assert "The window must end after it starts." in response.content.decode()
    assert not HostWindow.objects.exists()


def test_a_csv_import_with_errors_lists_row_and_column(organiser, plan):
    upload = SimpleUploadedFile("windows.csv", b"host,date,start,end\nNowhere,2026-12-08,10:00,12:00\n")

    response = organiser.post(page(plan, "windows/import/"), {"file": upload})

    html = response.content.decode()
    assert response.status_code == 400
    assert "No host organisation named “Nowhere”." in html
    assert "<td>2</td><td>host</td>" in html
    assert not HostWindow.objects.exists()


def test_another_organisers_program_is_not_found(client, plan):
    other = get_user_model().objects.create_user("stranger", "s@example.org", "x")
    other.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    client.force_login(other)

    assert client.get(page(plan)).status_code == 404


def test_a_host_window_is_added_from_the_page(organiser, plan):
    response = organiser.post(
        page(plan, "windows/new/"),
        {"host": plan.hosts["A"].pk, "day": "2026-12-09", "start": "10:00", "end": "12:30", "capacity": 2},
    )

    assert response.status_code == 302
    assert response["Location"] == page(plan, "#windows")
    window = HostWindow.objects.get()
    assert (window.host, window.capacity) == (plan.hosts["A"], 2)
    assert (window.starts_at, window.ends_at) == (local(plan.program, DEC[9], 10), local(plan.program, DEC[9], 12, 30))
    assert "The host window is saved." in organiser.get(page(plan)).content.decode()


def test_a_host_window_is_edited_in_the_programs_time(organiser, plan):
    window = plan.window("A", 8, (9, 30), (13, 0), capacity=2)

    shown = organiser.get(page(plan, f"windows/{window.pk}/"))
    refused = organiser.post(
        page(plan, f"windows/{window.pk}/"),
        {"host": plan.hosts["B"].pk, "day": "2026-12-08", "start": "12:00", "end": "10:00", "capacity": 1},
    )
    window.refresh_from_db()
    kept = (window.host, window.capacity)
    saved = organiser.post(
        page(plan, f"windows/{window.pk}/"),
        {"host": plan.hosts["B"].pk, "day": "2026-12-10", "start": "11:00", "end": "15:00", "capacity": 3},
    )

    assert shown.status_code == 200
    assert "planning/edit.html" in [template.name for template in shown.templates]
    form = shown.context["form"]
    assert form.initial == {"host": plan.hosts["A"], "day": DEC[8], "start": time(9, 30), "end": time(13, 0),
                            "capacity": 2}  # fmt: skip
    assert refused.status_code == 200  # the edit page again, with the service's message
    assert "planning/edit.html" in [template.name for template in refused.templates]
    assert "The window must end after it starts." in refused.content.decode()
    assert kept == (plan.hosts["A"], 2)
    assert saved.status_code == 302
    assert saved["Location"] == page(plan, "#windows")
    window.refresh_from_db()
    assert (window.host, window.capacity) == (plan.hosts["B"], 3)
    assert (window.starts_at, window.ends_at) == (local(plan.program, DEC[10], 11), local(plan.program, DEC[10], 15))


def test_a_visit_request_is_added_from_the_page_or_refused_naming_the_field(organiser, plan):
    g1, g2, _ = plan.groups
    fields = {"groups": [g1.pk, g2.pk], "host": plan.hosts["B"].pk, "priority": "should", "title": "Astana Hub"}

    refused = organiser.post(page(plan, "requests/new/"), {**fields, "duration_minutes": 600})
    assert refused.status_code == 400
    assert "planning/propose.html" in [template.name for template in refused.templates]
    assert refused.context["request_form"].errors["duration_minutes"]
    assert not VisitRequest.objects.exists()

    saved = organiser.post(page(plan, "requests/new/"), {**fields, "duration_minutes": 90, "not_before": "2026-12-09"})
    assert saved.status_code == 302
    assert saved["Location"] == page(plan, "#requests")
    visit_request = VisitRequest.objects.get()
    assert (visit_request.host, visit_request.duration_minutes) == (plan.hosts["B"], 90)
    assert visit_request.priority == "should"
    assert (visit_request.title, visit_request.not_before, visit_request.not_after) == ("Astana Hub", DEC[9], None)
    assert set(visit_request.groups.all()) == {g1, g2}
    assert "The visit request is saved." in organiser.get(page(plan)).content.decode()


def test_a_visit_request_is_edited_and_its_groups_replaced(organiser, plan):
    g1, g2, g3 = plan.groups
    visit_request = plan.ask("A", [g1, g2], minutes=90, priority="should", title="AIFC", day=9)
    fields = {"groups": [g3.pk], "host": plan.hosts["C"].pk, "priority": "must", "title": "Damu"}

    shown = organiser.get(page(plan, f"requests/{visit_request.pk}/"))
    refused = organiser.post(page(plan, f"requests/{visit_request.pk}/"), {**fields, "duration_minutes": 600})
    visit_request.refresh_from_db()
    kept = (visit_request.title, set(visit_request.groups.all()))
    saved = organiser.post(page(plan, f"requests/{visit_request.pk}/"), {**fields, "duration_minutes": 45})

    assert shown.status_code == 200
    assert "planning/edit.html" in [template.name for template in shown.templates]
    initial = shown.context["form"].initial
    assert set(initial.pop("groups")) == {g1, g2}
    assert initial == {"host": plan.hosts["A"], "duration_minutes": 90, "priority": "should", "title": "AIFC",
                       "not_before": DEC[9], "not_after": DEC[9]}  # fmt: skip
    assert refused.status_code == 200  # the edit page again, with the service's message
    assert "planning/edit.html" in [template.name for template in refused.templates]
    assert refused.context["form"].errors["duration_minutes"]
    assert kept == ("AIFC", {g1, g2})
    assert saved.status_code == 302
    assert saved["Location"] == page(plan, "#requests")
    visit_request.refresh_from_db()
    assert (visit_request.host, visit_request.duration_minutes, visit_request.title) == (plan.hosts["C"], 45, "Damu")
    assert list(visit_request.groups.all()) == [g3]


def test_windows_and_requests_are_removed_from_the_page(organiser, plan):
    window = plan.window("A", 8, (9, 0), (12, 0))
    visit_request = plan.ask("A", [plan.groups[0]])

    removed = organiser.post(page(plan, f"windows/{window.pk}/delete/"))
    withdrawn = organiser.post(page(plan, f"requests/{visit_request.pk}/delete/"))

    assert (removed["Location"], withdrawn["Location"]) == (page(plan, "#windows"), page(plan, "#requests"))
    assert not HostWindow.objects.exists()
    assert not VisitRequest.objects.exists()
    html = organiser.get(page(plan)).content.decode()
    assert "The host window is removed." in html
    assert "The visit request is withdrawn." in html


def test_the_form_pages_answer_only_their_methods_and_only_their_program(organiser, plan):
    window = plan.window("A", 8, (9, 0), (12, 0))
    visit_request = plan.ask("A", [plan.groups[0]])
    foreign = plan.window("B", 8, (9, 0), (12, 0))
    HostWindow.objects.filter(pk=foreign.pk).update(program=ProgramFactory())

    assert organiser.get(page(plan, "windows/new/")).status_code == 405
    assert organiser.get(page(plan, "requests/new/")).status_code == 405
    assert organiser.get(page(plan, f"windows/{foreign.pk}/")).status_code == 404
    assert organiser.get(page(plan, f"windows/{window.pk + visit_request.pk + 100}/")).status_code == 404
    assert organiser.get(page(plan, f"requests/{visit_request.pk + 100}/")).status_code == 404


@pytest.mark.parametrize("forged", ["²", "99999999999999999999999"])
def test_the_page_with_a_proposal_that_is_no_id_opens_without_one(organiser, plan, forged):
    response = organiser.get(page(plan, f"?proposal={forged}"))

    assert response.status_code == 200
    assert response.context["proposal"] is None


def test_a_visit_request_for_a_group_that_is_no_id_is_refused_naming_the_groups(organiser, plan):
    fields = {"groups": [plan.groups[0].pk, "99999999999999999999999"], "host": plan.hosts["B"].pk}

    response = organiser.post(page(plan, "requests/new/"), {**fields, "duration_minutes": 90, "priority": "must"})

    assert response.status_code == 400
    assert response.context["request_form"].errors["groups"]
    assert not VisitRequest.objects.exists()
