"""Certificates: the PDF's text in the participant's language, the threshold, verification."""

import io
import re

import pytest
from pypdf import PdfReader

from outcomes.models import Certificate
from outcomes.services import CertificateRefused, Mark, attendance_merge, certificate_issue

pytestmark = pytest.mark.django_db


def attend(held, person, *visits):
    for visit in visits:
        attendance_merge(visit=visit, marks=[Mark(person.pk, True)], marked_by="Айгерим")


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_certificate_pdf_holds_the_cyrillic_name_hours_theme_and_verification_address(held, client, settings):
    person = held.members[1]  # Андрей Викторович Антонов, in Russian
    attend(held, person, held.visits[0], held.visits[1])  # 2 h + 3 h 30

    response = client.get(f"/i/{person.access_token}/certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    certificate = Certificate.objects.get(participant=person)
    assert "Андрей Викторович Антонов" in text
    assert "Сертификат об окончании программы" in text
    assert "Развитие человеческого капитала" in text
    assert "5,5" in text  # hours, as Russian writes them
    assert "Цифровая трансформация" in text
    assert certificate.code in text
    assert f"{settings.SITE_URL}/verify/{certificate.code}/" in text.replace(" ", "").replace("verify", "verify")


def test_kazakh_certificate_keeps_the_kazakh_letters(held):
    from outcomes.certificates import certificate_pdf

    person = held.coordinator  # Айгерим Серікқызы Әбілқасымова, in Kazakh
    attend(held, person, held.visits[0], held.visits[1])

    text = pdf_text(certificate_pdf(certificate=certificate_issue(participant=person)))

    assert "Әбілқасымова" in text
    assert "Серікқызы" in text
    assert re.search(r"\b5[,.]5\b", text), text


def test_below_the_threshold_there_is_no_certificate_and_a_clear_page(held, client):
    person = held.members[2]
    attend(held, person, held.visits[0])  # 1 of 2 visits: 50 % < 80 %

    response = client.get(f"/i/{person.access_token}/certificate.pdf")

    assert response.status_code == 404
    assert "80%" in response.content.decode()
    assert "1 of 2 visits" in response.content.decode()
    with pytest.raises(CertificateRefused):
        certificate_issue(participant=person)
    assert not Certificate.objects.exists()


def test_the_threshold_is_the_programs_and_cancelled_visits_do_not_count(held, api):
    person = held.members[2]
    attend(held, person, held.visits[0])

    response = api.patch(f"/api/v1/programs/{held.program.slug}/", {"certificate_min_attendance": 50}, format="json")

    assert response.status_code == 200
    assert response.json()["certificate_min_attendance"] == 50
    person.program.refresh_from_db()
    assert certificate_issue(participant=person).participant == person


def test_threshold_out_of_range_is_refused(held, api):
    response = api.patch(f"/api/v1/programs/{held.program.slug}/", {"certificate_min_attendance": 101}, format="json")

    assert response.status_code == 400
    assert "certificate_min_attendance" in response.json()["errors"]


def test_verification_page_for_a_real_code_and_a_forged_one(held, client):
    person = held.members[1]
    attend(held, person, held.visits[0], held.visits[1])
    certificate = certificate_issue(participant=person)

    genuine = client.get(f"/verify/{certificate.code}/")
    lower_case = client.get(f"/verify/{certificate.code.lower()}/")
    forged = client.get("/verify/ABCD-EFGH-JKMN/")

    assert genuine.status_code == 200
    page = genuine.content.decode()
    assert "genuine" in page
    assert person.full_name in page
    assert held.program.title in page
    assert person.email not in page
    assert person.position not in page
    assert lower_case.status_code == 200
    assert forged.status_code == 404
    assert "No certificate has this code" in forged.content.decode()


def test_an_anonymised_participants_certificate_no_longer_verifies(held, client):
    from participants.privacy import participant_anonymise

    person = held.members[1]
    attend(held, person, held.visits[0], held.visits[1])
    code = certificate_issue(participant=person).code

    participant_anonymise(participant=person)

    assert client.get(f"/verify/{code}/").status_code == 404


def test_certificate_renders_to_an_image_for_a_person_to_look_at(held):
    """The PDF as a PNG in test-artifacts/ (docs/screenshots/ with SCREENSHOT_DIR, as `make screenshots`)."""
    import os
    import subprocess
    from pathlib import Path

    from outcomes.certificates import certificate_pdf

    person = held.members[1]
    attend(held, person, held.visits[0], held.visits[1])
    pdf = certificate_pdf(certificate=certificate_issue(participant=person))
    folder = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "certificate.pdf").write_bytes(pdf)

    subprocess.run(  # noqa: S603 - poppler's pdftoppm on our own file
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(folder / "certificate.pdf"), str(folder / "certificate")],  # noqa: S607
        check=True,
    )

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert (folder / "certificate.png").stat().st_size > 10_000
    (folder / "certificate.pdf").unlink()
