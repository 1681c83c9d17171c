"""The organiser's bulk certificates: a ZIP built by the worker, and an e-mail each (the outbox)."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from notifications.models import Notification
from notifications.services import notification_send
from outcomes.enums import ArchiveStatus
from outcomes.models import CertificateArchive
from outcomes.services import Mark, attendance_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_attended(held):
    """The coordinator and the second member attended both visits; the third only one."""
    for visit in held.visits[:2]:
        attendance_merge(visit=visit, marks=[Mark(p.pk, True) for p in held.members[:2]], marked_by="x")
    attendance_merge(visit=held.visits[0], marks=[Mark(held.members[2].pk, True)], marked_by="x")
    return held


def test_zip_of_the_certificates_is_built_and_downloaded(
    two_attended, organiser_client, settings, tmp_path, celery_eager, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    base = f"/organiser/programs/{two_attended.program.slug}/outcomes/"

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(base + "certificates/zip/")
    archive = CertificateArchive.objects.get()
    download = organiser_client.get(f"{base}certificates/zip/{archive.pk}/")

    assert (archive.status, archive.count) == (ArchiveStatus.READY, 2)
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = bundle.namelist()
    assert len(names) == 2
    assert all(name.endswith(".pdf") for name in names)
    text = PdfReader(io.BytesIO(bundle.read(next(n for n in names if "антонов" in n)))).pages[0].extract_text()
    assert "Андрей Викторович Антонов" in " ".join(text.split())


def test_email_send_out_attaches_each_certificate_once(two_attended, organiser_client, mailoutbox):
    base = f"/organiser/programs/{two_attended.program.slug}/outcomes/"

    organiser_client.post(base + "certificates/email/")
    rows = list(Notification.objects.filter(kind="outcomes.certificate").order_by("recipient_email"))
    for row in rows:
        notification_send(notification_id=row.pk)
        notification_send(notification_id=row.pk)  # a retried task sends nothing twice

    assert {row.recipient_email for row in rows} == {p.email for p in two_attended.members[:2]}
    assert len(mailoutbox) == 2
    kazakh = next(m for m in mailoutbox if two_attended.coordinator.email in " ".join(m.to))
    assert "сертификат" in kazakh.subject.lower()
    (_name, content, mimetype) = kazakh.attachments[0]
    assert mimetype == "application/pdf"
    assert "Әбілқасымова" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
