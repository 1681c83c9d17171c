"""The personal page in the participant's language, and the switch that remembers a new one."""

import pytest
from django.test import Client

from participants.models import Participant

from .conftest import schedule

pytestmark = pytest.mark.django_db


def test_page_opens_in_the_participants_language(client, program, group, participant):
    participant.language = "ru"
    participant.save()
    cancelled = schedule(program, [group], 0, 10, 12, title="Baiterek")
    from visits.services import visit_cancel

    visit_cancel(visit=cancelled)

    response = client.get(f"/i/{participant.access_token}/", headers={"accept-language": "en"})

    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert response["Content-Language"] == "ru"
    assert "Добавить в календарь" in html
    assert "Отменено" in html
    assert "декабря" in html  # the date, in Russian
    assert "Add to your calendar" not in html


def test_page_in_kazakh(client, program, group, participant):
    participant.language = "kk"
    participant.save()
    schedule(program, [group], 0, 10, 12)

    html = client.get(f"/i/{participant.access_token}/").content.decode()

    assert '<html lang="kk">' in html
    assert "Күнтізбеге қосу" in html
    assert "Add to your calendar" not in html


def test_lang_parameter_shows_another_language_without_remembering_it(client, participant):
    html = client.get(f"/i/{participant.access_token}/", {"lang": "ru"}).content.decode()

    assert "Добавить в календарь" in html
    participant.refresh_from_db()
    assert participant.language == "en"


def test_unknown_lang_parameter_falls_back_to_the_preference(client, participant):
    html = client.get(f"/i/{participant.access_token}/", {"lang": "xx"}).content.decode()

    assert "Add to your calendar" in html


def test_switch_remembers_the_language_for_the_participant(client, participant):
    response = client.post(f"/i/{participant.access_token}/language/", {"language": "kk"})

    assert response.status_code == 303
    assert response["Location"] == f"/i/{participant.access_token}/"
    participant.refresh_from_db()
    assert participant.language == "kk"
    # A fresh browser (no cookie, English Accept-Language) still gets Kazakh.
    html = Client().get(f"/i/{participant.access_token}/", headers={"accept-language": "en"}).content.decode()
    assert "Күнтізбеге қосу" in html


def test_switch_refuses_an_unknown_language_and_changes_nothing(client, participant):
    response = client.post(f"/i/{participant.access_token}/language/", {"language": "de"})

    assert response.status_code == 400
    assert "Unknown language" in response.content.decode()
    assert Participant.objects.get(pk=participant.pk).language == "en"


def test_switch_needs_the_csrf_token(participant):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/i/{participant.access_token}/language/", {"language": "ru"})

    assert response.status_code == 403
    assert Participant.objects.get(pk=participant.pk).language == "en"


def test_switch_with_the_pages_csrf_token_works(participant):
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/i/{participant.access_token}/")
    token = page.context["csrf_token"]

    response = client.post(
        f"/i/{participant.access_token}/language/", {"language": "ru", "csrfmiddlewaretoken": str(token)}
    )

    assert response.status_code == 303
    assert Participant.objects.get(pk=participant.pk).language == "ru"


def test_switch_does_not_redirect_off_site(client, participant):
    response = client.post(
        f"/i/{participant.access_token}/language/", {"language": "ru", "next": "https://evil.example/"}
    )

    assert response["Location"] == f"/i/{participant.access_token}/"


def test_switch_refuses_get(client, participant):
    assert client.get(f"/i/{participant.access_token}/language/").status_code == 405
