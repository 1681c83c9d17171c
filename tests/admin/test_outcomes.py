"""Attendance and certificates in the admin, written through outcomes.services: a correction is
one more mark merged by `attendance_merge` (partner apps hear of it), a certificate is issued by
`certificate_issue` or refused, and neither is edited by hand."""

import pytest

from outcomes.models import Attendance, Certificate, CertificateArchive
from outcomes.services import Mark, attendance_merge
from partners.models import WebhookDelivery
from partners.services import api_client_create, webhook_create
from tests.factories import ParticipantFactory
from visits.services import visit_cancel

from .conftest import add_planning_and_outcomes
from .pages import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(side_a, side_b):
    add_planning_and_outcomes(side_a)
    add_planning_and_outcomes(side_b)
    client, _token = api_client_create(name="Ministry HR system", scopes=["read"])
    webhook_create(client=client, url="https://hr.example/attendance", events=["attendance.updated"])
    return side_a, side_b


def test_admin_attendance_correction_is_merged_by_the_service(marked, organiser_client):
    side_a, _side_b = marked
    mark = Attendance.objects.get(visit=side_a.visit, participant=side_a.member)
    url = f"/admin/outcomes/attendance/{mark.pk}/change/"
    data = form_values(organiser_client.get(url))
    data.pop("present")  # unticked: absent

    response = organiser_client.post(url, {**data, "marked_by": "someone else"})

    assert response.status_code == 302
    mark.refresh_from_db()
    assert (mark.present, mark.marked_by) == (False, "org-a")
    deliveries = WebhookDelivery.objects.filter(event="attendance.updated")
    assert deliveries.count() == 1
    assert deliveries.get().payload["attendance"][0]["present"] is False


def test_admin_attendance_add_marks_a_member(marked, organiser_client):
    side_a, _side_b = marked
    url = "/admin/outcomes/attendance/add/"
    data = form_values(
        organiser_client.get(url), visit=str(side_a.visit.pk), participant=str(side_a.coordinator.pk), present="on"
    )

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    assert Attendance.objects.get(visit=side_a.visit, participant=side_a.coordinator).present is True
    assert WebhookDelivery.objects.filter(event="attendance.updated").count() == 1


def test_admin_attendance_of_a_stranger_is_a_form_error(marked, organiser_client):
    side_a, _side_b = marked
    stranger = ParticipantFactory(program=side_a.program, group=None, email="stranger@a.example")
    url = "/admin/outcomes/attendance/add/"
    data = form_values(organiser_client.get(url), visit=str(side_a.visit.pk), participant=str(stranger.pk))

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["participant"] == [
        f"Not a member of this visit's groups: {stranger.pk}."
    ]
    assert not Attendance.objects.filter(participant=stranger).exists()


def test_admin_attendance_at_a_cancelled_visit_is_a_form_error(marked, organiser_client):
    side_a, _side_b = marked
    mark = Attendance.objects.get(visit=side_a.visit, participant=side_a.member)
    visit_cancel(visit=side_a.visit)
    url = f"/admin/outcomes/attendance/{mark.pk}/change/"
    data = form_values(organiser_client.get(url))
    data.pop("present")

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["visit"] == [
        "The visit “Visit of A” was cancelled: nobody can be marked at it."
    ]
    assert Attendance.objects.get(pk=mark.pk).present is True


def test_admin_attendance_of_another_program_is_not_offered_nor_found(marked, organiser_client):
    _side_a, side_b = marked
    of_b = Attendance.objects.get(visit=side_b.visit)
    url = "/admin/outcomes/attendance/add/"
    data = form_values(organiser_client.get(url), visit=str(side_b.visit.pk), participant=str(side_b.member.pk))

    refused = organiser_client.post(url, data)
    change = organiser_client.get(f"/admin/outcomes/attendance/{of_b.pk}/change/")

    assert {"visit", "participant"} <= set(refused.context["adminform"].form.errors)
    assert change.status_code == 302
    assert Attendance.objects.filter(visit=side_b.visit).count() == 1


def test_admin_attendance_cannot_be_deleted(marked, organiser_client):
    side_a, _side_b = marked
    mark = Attendance.objects.get(visit=side_a.visit, participant=side_a.member)

    response = organiser_client.post(f"/admin/outcomes/attendance/{mark.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Attendance.objects.filter(pk=mark.pk).exists()


def test_admin_certificate_is_issued_by_the_service_or_refused(marked, organiser_client):
    side_a, _side_b = marked
    url = "/admin/outcomes/certificate/add/"
    page = organiser_client.get(url)

    refused = organiser_client.post(url, form_values(page, participant=str(side_a.coordinator.pk)))
    Attendance.objects.filter(participant=side_a.coordinator).delete()
    attendance_merge(visit=side_a.visit, marks=[Mark(side_a.coordinator.pk, True)], marked_by="coordinator")
    issued = organiser_client.post(url, form_values(page, participant=str(side_a.coordinator.pk)))

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["participant"] == [
        f"{side_a.coordinator} attended 0% of their visits; the program's certificate asks for "
        f"{side_a.program.certificate_min_attendance}%."
    ]
    assert issued.status_code == 302
    assert Certificate.objects.filter(participant=side_a.coordinator).count() == 1


def test_admin_certificate_is_read_only(marked, organiser_client, superuser_client):
    side_a, _side_b = marked
    certificate = Certificate.objects.get(participant=side_a.member)
    url = f"/admin/outcomes/certificate/{certificate.pk}/change/"

    for client in (organiser_client, superuser_client):
        page = client.get(url)
        post = client.post(url, {"participant": str(side_a.coordinator.pk), "code": "AAAA-BBBB-CCCC"})
        delete = client.post(f"/admin/outcomes/certificate/{certificate.pk}/delete/", {"post": "yes"})

        assert certificate.code in page.content.decode()
        assert not page.context["has_change_permission"]
        assert (post.status_code, delete.status_code) == (403, 403)
    assert Certificate.objects.get(pk=certificate.pk).code == certificate.code


def test_admin_certificate_archive_is_requested_through_the_service(
    marked, organiser_client, organiser_a, django_capture_on_commit_callbacks
):
    side_a, _side_b = marked
    url = "/admin/outcomes/certificatearchive/add/"
    data = form_values(organiser_client.get(url), program=str(side_a.program.pk))

    with django_capture_on_commit_callbacks() as callbacks:
        response = organiser_client.post(url, data)

    assert response.status_code == 302
    archive = CertificateArchive.objects.filter(program=side_a.program).first()
    assert (archive.status, archive.requested_by) == ("pending", organiser_a)
    assert len(callbacks) == 1  # the worker that builds the ZIP is asked once
