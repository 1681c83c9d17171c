"""The personal itinerary in a real Chromium on a 375 px phone: a participant opens their
link, sees the visit an organiser just scheduled, switches language, and reads it offline."""

import os
import re
from pathlib import Path

import pytest

from participants.models import Participant
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_cancel, visit_create

ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` refreshes the README's pictures in docs/screenshots/;
# an ordinary test run leaves them in test-artifacts/.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def keep_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Screenshots that the README shows (see SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def scheduled(transactional_db):
    """An organiser's work through the scheduling service: two days of visits for one group."""
    program = ProgramFactory(title="Development of human capital", city="Astana")
    group = ProjectGroupFactory(program=program, name="Group 2: Digital state")
    other = ProjectGroupFactory(program=program, name="Group 5: Science")
    participant = ParticipantFactory(
        program=program,
        group=group,
        first_name="Andrey",
        patronymic="Viktorovich",
        last_name="Antonov",
        language="en",
        home_timezone="Asia/Tomsk",
    )
    academy = HostOrganisationFactory(
        name="Academy of Public Administration",
        address="33a Abay Ave, Astana",
        latitude="51.160523",
        longitude="71.431580",
    )
    hub = HostOrganisationFactory(name="Astana Hub", address="55/5 Mangilik El Ave, Astana")
    day = program.start_date
    visit_create(
        program=program,
        groups=[group, other],
        host=academy,
        title="Opening ceremony",
        kind="ceremony",
        starts_at=local(program, day, 10),
        ends_at=local(program, day, 11, 30),
        meeting_point="Main entrance of the Academy",
        agenda="Welcome by the Rector; introductions.",
    )
    visit = visit_create(
        program=program,
        groups=[group],
        host=hub,
        title="Astana Hub: the IT startup ecosystem of Kazakhstan",
        starts_at=local(program, day, 14),
        ends_at=local(program, day, 16),
        meeting_point="Hotel lobby, 13:30",
        agenda="Tour of the technopark.\nMeeting with resident start-ups and the accelerator team.",
    )
    dropped = visit_create(
        program=program,
        groups=[group],
        host=academy,
        title="Lecture: Strategy 2050",
        kind="lecture",
        starts_at=local(program, day.replace(day=day.day + 1), 9),
        ends_at=local(program, day.replace(day=day.day + 1), 10, 30),
    )
    visit_cancel(visit=dropped)
    return participant, visit


def test_participant_sees_the_new_visit_on_a_375px_phone(phone, live_server, scheduled):
    participant, visit = scheduled

    phone.goto(f"{live_server.url}/i/{participant.access_token}/")

    assert phone.get_by_role("heading", name="Andrey Viktorovich Antonov").is_visible()
    card = phone.locator(f"#visit-{visit.pk}")
    assert card.get_by_text("Astana Hub: the IT startup ecosystem of Kazakhstan").is_visible()
    assert "14:00–16:00" in card.inner_text()
    assert "16:00–18:00 Tomsk" in card.inner_text()  # home time beside, UTC+7
    assert "Hotel lobby, 13:30" in card.inner_text()
    cancelled = phone.locator(".visit.is-cancelled").first
    assert "cancelled" in cancelled.inner_text().lower()
    assert cancelled.locator("del").first.is_visible()
    # Nothing sticks out sideways at 375 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.evaluate("window.innerWidth") == 375
    keep_screenshot(phone, "itinerary-phone-en")


def test_participant_switches_language_and_it_is_remembered(phone, live_server, scheduled):
    participant, _visit = scheduled
    url = f"{live_server.url}/i/{participant.access_token}/"
    phone.goto(url)
    assert phone.get_by_role("heading", name="Add to your calendar").is_visible()

    phone.get_by_role("button", name="Русский").click()
    phone.wait_for_url(url)

    assert phone.get_by_role("heading", name="Добавить в календарь").is_visible()
    assert phone.locator("html").get_attribute("lang") == "ru"
    assert phone.get_by_role("button", name="Русский").get_attribute("aria-pressed") == "true"
    assert "отменено" in phone.locator(".visit.is-cancelled").first.inner_text().lower()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    keep_screenshot(phone, "itinerary-phone-ru")

    phone.get_by_role("button", name="Қазақша").click()
    phone.wait_for_url(url)

    assert phone.get_by_role("heading", name="Күнтізбеге қосу").is_visible()
    assert Participant.objects.get(pk=participant.pk).language == "kk"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    keep_screenshot(phone, "itinerary-phone-kk")


def test_service_worker_keeps_the_page_for_offline_reading(phone, live_server, scheduled):
    participant, visit = scheduled
    url = f"{live_server.url}/i/{participant.access_token}/"
    phone.goto(url)

    phone.wait_for_selector("[data-offline-ready=true]")
    phone.wait_for_function(
        "url => caches.open('itinerary-v1').then(cache => cache.match(url)).then(hit => Boolean(hit))", arg=url
    )
    assert phone.evaluate("navigator.serviceWorker.controller !== null")
    assert phone.locator(".itin-offline-note").is_hidden()

    phone.context.set_offline(True)
    try:
        phone.reload()

        assert phone.locator(f"#visit-{visit.pk}").get_by_text("Astana Hub").first.is_visible()
        assert phone.locator(".itin").get_attribute("data-served-by") == "cache"
        assert phone.locator(".itin-offline-note").is_visible()
        assert phone.locator(".itin-generated").is_visible()  # "last updated <time>"
        # The stylesheet came from the cache too: the cards keep their layout.
        assert phone.evaluate("getComputedStyle(document.querySelector('.visit')).borderLeftStyle") == "solid"
        keep_screenshot(phone, "itinerary-phone-offline", full_page=False)
    finally:
        phone.context.set_offline(False)


def test_unknown_link_shows_a_clear_404_page(phone, live_server, transactional_db):
    response = phone.goto(f"{live_server.url}/i/no-such-token/")

    assert response.status == 404
    # No participant, so no preference: the phone's own language (ru-RU) decides.
    assert phone.get_by_role("heading", name="Эта ссылка не открывает расписание").is_visible()


def test_printed_itinerary_has_one_page_per_day(browser, live_server, scheduled):
    participant, _visit = scheduled
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/i/{participant.access_token}/")
        page.emulate_media(media="print")

        assert page.locator(".itin-calendar").is_hidden()
        assert page.locator(".itin-lang").is_hidden()
        pdf = page.pdf(format="A4")
    finally:
        context.close()

    # Two days of visits: two pages, the second starting with its day.
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == 2


@pytest.fixture
def audited_phone(browser):
    """A 375 px phone whose pages axe-core can be injected into (the site's CSP forbids inline scripts)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="ru-RU", bypass_csp=True
    )
    yield context.new_page()
    context.close()


def serious_accessibility_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (scripts/ensure-axe.sh installs axe-core with npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_itinerary_has_no_serious_accessibility_violations(audited_phone, live_server, scheduled, language):
    participant, _visit = scheduled

    audited_phone.goto(f"{live_server.url}/i/{participant.access_token}/?lang={language}")

    assert audited_phone.locator("html").get_attribute("lang") == language
    assert serious_accessibility_violations(audited_phone) == []


def test_not_found_page_has_no_serious_accessibility_violations(audited_phone, live_server, transactional_db):
    audited_phone.goto(f"{live_server.url}/i/no-such-token/")

    assert serious_accessibility_violations(audited_phone) == []
