"""The demo's phone itinerary in Russian and in Kazakh (issue 14): every word a participant
reads is in their language, the content as well as the labels; screenshots to look at."""

import re

import pytest

from demo.data import load_demo
from participants.models import Participant

from .test_itinerary_phone import keep_screenshot

# Proper names written in Latin letters in every language (as the hosts write them), and the
# language switch, which names each language in itself (English, Русский, Қазақша).
LATIN_ALLOWED = {
    "English",
    "Astana", "Hub", "IT", "University", "EcoPack", "GovTech", "eGov", "mobile", "KPI", "EXPO", "C1",
    "ics", "QR", "PDF", "Internship", "Portal", "UTC", "GMT",
}  # fmt: skip


def _latin_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", text) if word not in LATIN_ALLOWED}


@pytest.fixture
def demo_participant(transactional_db):
    program, _ = load_demo()
    return Participant.objects.filter(program=program, language="ru").order_by("pk").first()


@pytest.mark.parametrize(("language", "opening"), [("ru", "Церемония открытия"), ("kk", "Ашылу салтанаты")])
def test_the_demo_itinerary_on_a_phone_is_all_in_the_participants_language(
    phone, live_server, demo_participant, language, opening
):
    Participant.objects.filter(pk=demo_participant.pk).update(language=language)

    phone.goto(f"{live_server.url}/i/{demo_participant.access_token}/")
    keep_screenshot(phone, f"itinerary-phone-{language}", full_page=False)
    phone.get_by_text(opening).first.scroll_into_view_if_needed()
    keep_screenshot(phone, f"itinerary-phone-{language}-first-day", full_page=False)

    text = phone.inner_text("body")
    assert opening in text
    assert phone.evaluate("document.documentElement.lang") == language
    # People's names, posts and addresses are theirs, as the delegation's list gives them.
    personal = set()
    for person in Participant.objects.filter(program=demo_participant.program):
        fields = (person.full_name, person.email, person.position, person.organisation, person.region, person.phone)
        personal |= {word for field in fields for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", field)}
    assert _latin_words(text) - personal == set()
