"""A host contact answers from their link in a real Chromium on a 375 px phone: confirms one
visit, declines another with a reason, proposes another time for a third; a participant gives
the ID details the host requires."""

from datetime import timedelta

import pytest

from participants.models import VisitorDetails
from tests.factories import (
    HostContactFactory,
    HostOrganisationFactory,
    ParticipantFactory,
    ProgramFactory,
    ProjectGroupFactory,
    local,
)
from visits.models import SiteVisit
from visits.services import host_update, visit_create

from .test_itinerary_phone import keep_screenshot


@pytest.fixture
def host_visits(transactional_db):
    program = ProgramFactory(title="Development of human capital", city="Astana")
    group = ProjectGroupFactory(program=program, name="Group 2: Digital state")
    other = ProjectGroupFactory(program=program, name="Group 5: Science")
    for last_name in ("Antonov", "Belova", "Chernov"):
        ParticipantFactory(program=program, group=group, last_name=last_name)
    ParticipantFactory(program=program, group=other, last_name="Dmitriev")
    ministry = HostOrganisationFactory(name="Ministry of Digital Development", address="8 Mangilik El Ave, Astana")
    host_update(host=ministry, required_visitor_fields=["passport_name", "citizenship", "document_number"])
    contact = HostContactFactory(host=ministry, name="Aigerim Sadykova", role="Protocol", language="ru")
    day = program.start_date + timedelta(days=1)
    visits = [
        visit_create(
            program=program,
            groups=groups,
            host=ministry,
            title=title,
            agenda=agenda,
            starts_at=local(program, day + timedelta(days=offset), 10),
            ends_at=local(program, day + timedelta(days=offset), 12),
        )
        for offset, (title, groups, agenda) in enumerate(
            [
                ("Digital government services", [group], "eGov platform, the data-driven state."),
                ("Cybersecurity centre", [other], "The national coordination centre."),
                ("GovTech lab", [group, other], "Prototypes with the ministry's analysts."),
            ]
        )
    ]
    return contact, visits


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_host_contact_confirms_declines_and_proposes_on_a_375px_phone(phone, live_server, host_visits):
    contact, (first, second, third) = host_visits
    url = f"{live_server.url}/h/{contact.access_token}/"
    phone.goto(url)

    assert phone.get_by_role("heading", name="Визиты: Ministry of Digital Development").is_visible()
    card = phone.locator(f"#visit-{first.pk}")
    assert "10:00–12:00" in card.inner_text()
    assert "3 человека" in card.inner_text()
    assert fits_the_phone(phone)
    keep_screenshot(phone, "host-phone-ru")

    card.get_by_role("button", name="Подтвердить").click()
    phone.wait_for_selector(f"#visit-{first.pk} [data-host-status=confirmed]")

    card = phone.locator(f"#visit-{second.pk}")
    card.get_by_text("Не можете принять делегацию?").click()
    card.get_by_label("Причина").fill("The minister is abroad that week")
    card.get_by_role("button", name="Отказаться").click()
    phone.wait_for_selector(f"#visit-{second.pk} [data-host-status=declined]")

    card = phone.locator(f"#visit-{third.pk}")
    card.get_by_text("Вам удобнее другое время?").click()
    card.get_by_label("С", exact=True).fill("15:00")
    card.get_by_label("До", exact=True).fill("16:30")
    card.get_by_role("button", name="Предложить другое время").click()
    phone.wait_for_selector(f"#visit-{third.pk} [data-host-status=proposed]")

    assert "Спасибо" in phone.locator(".messages").inner_text()
    assert fits_the_phone(phone)
    keep_screenshot(phone, "host-phone-answered-ru")
    answers = {visit.pk: visit for visit in SiteVisit.objects.filter(pk__in=[first.pk, second.pk, third.pk])}
    assert answers[first.pk].host_status == "confirmed"
    assert (answers[second.pk].host_status, answers[second.pk].host_note) == (
        "declined",
        "The minister is abroad that week",
    )
    assert answers[third.pk].host_status == "proposed"
    tz = third.program.tzinfo
    assert answers[third.pk].host_proposed_starts_at.astimezone(tz).strftime("%H:%M") == "15:00"
    assert answers[third.pk].host_proposed_ends_at.astimezone(tz).strftime("%H:%M") == "16:30"


def test_host_contact_reads_the_visitor_list_and_switches_to_english(phone, live_server, host_visits):
    contact, (first, _second, _third) = host_visits
    phone.goto(f"{live_server.url}/h/{contact.access_token}/?lang=en")
    assert phone.get_by_role("button", name="Confirm").first.is_visible()
    keep_screenshot(phone, "host-phone-en")

    phone.locator(f"#visit-{first.pk}").get_by_role("link", name="Visitor list").click()

    table = phone.locator("[data-visitor-list]")
    assert "Antonov" in table.inner_text()
    assert "Dmitriev" not in table.inner_text()
    assert fits_the_phone(phone)
    keep_screenshot(phone, "host-visitors-phone")


def test_participant_gives_the_details_the_host_requires_on_a_phone(phone, live_server, host_visits):
    _contact, (first, _second, _third) = host_visits
    participant = first.program.participants.get(last_name="Antonov")
    phone.goto(f"{live_server.url}/i/{participant.access_token}/")

    phone.get_by_role("link", name="Заполнить").click()
    phone.get_by_label("ФИО как в паспорте").fill("ANTONOV ANDREY")
    phone.get_by_label("Гражданство").fill("Российская Федерация")
    phone.get_by_label("Номер паспорта или удостоверения личности").fill("75 1234567")
    assert fits_the_phone(phone)
    keep_screenshot(phone, "visitor-details-phone-ru")
    phone.get_by_role("button", name="Сохранить").click()
    phone.wait_for_selector(".message--success")

    assert VisitorDetails.objects.get(participant=participant).document_number == "75 1234567"


@pytest.fixture
def audited_desktop(browser):
    """A desktop page that may inject axe-core (the CSP forbids inline scripts, rightly)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_organiser_sends_visits_for_confirmation_and_accepts_a_proposal(audited_desktop, live_server, host_visits):
    desktop = audited_desktop
    from hosting.services import host_answer

    from .test_organiser_board import login, make_organiser, serious_violations

    contact, (first, _second, third) = host_visits
    make_organiser(first.program)
    start = local(first.program, first.program.start_date + timedelta(days=6), 15)
    host_answer(
        contact=contact, visit=third, answer="proposed", note="Our analysts are free in the afternoon",
        proposed_starts_at=start, proposed_ends_at=start + timedelta(hours=2),
    )  # fmt: skip
    login(desktop, live_server)
    desktop.goto(f"{live_server.url}/organiser/programs/{first.program.slug}/hosts/confirmations/")

    desktop.locator(f"#visit-{first.pk}").get_by_role("button", name="Send for confirmation").click()
    desktop.wait_for_selector(f"tr#visit-{first.pk}[data-host-status=requested]")
    desktop.locator(f"#visit-{third.pk}").get_by_role("button", name="Accept the proposed time").click()
    desktop.wait_for_selector(f"tr#visit-{third.pk}[data-host-status=confirmed]")

    assert "moved to the time its host proposed" in desktop.locator(".messages").inner_text()
    assert not serious_violations(desktop)
    keep_screenshot(desktop, "organiser-host-confirmations")
    desktop.goto(f"{live_server.url}/organiser/programs/{first.program.slug}/hosts/visitor-details/")
    assert "Antonov" in desktop.locator(f"#host-{contact.host_id}").inner_text()
    keep_screenshot(desktop, "organiser-visitor-details")
