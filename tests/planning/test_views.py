"""The Propose page through Django's test client: forms, import errors, apply, and its languages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from planning.models import HostWindow, Proposal
from programs.selectors import ORGANISERS_GROUP
from visits.models import SiteVisit


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
