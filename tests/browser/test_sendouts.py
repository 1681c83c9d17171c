"""Send-outs in a real Chromium: tick one participant on the list, preview their schedule
e-mail as they will get it, send it to them alone and watch it go; exactly one message leaves,
to them, with the subject previewed. Also: a personal link copied, the host form's messages."""

from datetime import date

import pytest

from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create

from .test_organiser_board import SCREENSHOTS, login, make_organiser, serious_violations

DAY = date(2026, 12, 8)


@pytest.fixture
def delegation(transactional_db, celery_eager):
    program = ProgramFactory(title="Human capital", slug="human-capital")
    science = ProjectGroupFactory(program=program, name="Group 5: Science")
    hub = HostOrganisationFactory(name="Astana Hub", address="55/8 Mangilik El Ave")
    visit_create(
        program=program, groups=[science], host=hub, title="Astana Hub: startup ecosystem",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip
    people = [
        ParticipantFactory(program=program, group=science, first_name="Aigerim", last_name="Sultanova", language="kk"),
        ParticipantFactory(program=program, group=science, first_name="Boris", last_name="Ivanov", language="ru"),
        ParticipantFactory(program=program, group=science, first_name="Clare", last_name="Wood", language="en"),
    ]
    make_organiser(program)
    return program, people


@pytest.fixture
def audited(browser):
    """A desktop page that lets the test inject axe-core (our CSP rightly refuses inline scripts)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"organiser-{name}.png"), full_page=True)


def test_preview_then_send_to_one_participant_alone(desktop, live_server, delegation, mailoutbox):
    program, (_aigerim, boris, _clare) = delegation
    base = f"{live_server.url}/organiser/programs/{program.slug}"
    login(desktop, live_server)

    desktop.goto(f"{base}/participants/")
    desktop.get_by_label(f"Select {boris.full_name}").check()
    desktop.get_by_role("button", name="Send schedules to the selected…").click()

    summary = desktop.get_by_test_id("sendout-summary")
    assert summary.inner_text() == "Schedules to 1 participant."
    assert desktop.get_by_test_id("preview-to").inner_text() == f"{boris.full_name} <{boris.email}>"
    assert desktop.get_by_test_id("preview-language").inner_text() == "Russian"
    subject = desktop.get_by_test_id("preview-subject").inner_text()
    html = desktop.frame_locator("iframe.email-preview__html")
    html.get_by_text("Astana Hub: startup ecosystem").first.wait_for()
    assert boris.first_name in html.locator("body").inner_text()
    assert len(mailoutbox) == 0  # a preview sends nothing
    shoot(desktop, "sendout-confirm")

    desktop.get_by_role("button", name="Send 1 schedule now").click()
    desktop.wait_for_url(f"{base}/send/*/")
    desktop.get_by_text("1 of 1 sent, 0 waiting, 0 failed").first.wait_for()
    shoot(desktop, "sendout-progress")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [f"{boris.full_name} <{boris.email}>"]
    assert message.subject == subject
    assert desktop.get_by_role("heading", level=1).inner_text() == f"Schedules: {boris.full_name}"


def test_preview_as_another_recipient_in_their_language(audited, live_server, delegation, mailoutbox):
    desktop = audited
    program, (_aigerim, _boris, clare) = delegation
    base = f"{live_server.url}/organiser/programs/{program.slug}"
    login(desktop, live_server)

    desktop.goto(f"{base}/send/")
    shoot(desktop, "sendouts")
    desktop.get_by_label("Every participant").check()
    desktop.get_by_role("button", name="Preview and confirm").first.click()
    assert desktop.get_by_test_id("sendout-summary").inner_text() == "Schedules to 3 participants."
    desktop.get_by_label("Preview as").select_option(str(clare.pk))
    desktop.get_by_role("button", name="Show").click()

    assert desktop.get_by_test_id("preview-to").inner_text().startswith(clare.full_name)
    assert desktop.get_by_test_id("preview-language").inner_text() == "English"
    assert serious_violations(desktop) == []
    assert len(mailoutbox) == 0


def test_copy_the_personal_link(audited, live_server, delegation):
    program, (aigerim, _boris, _clare) = delegation
    page = audited
    login(page, live_server)
    page.goto(f"{live_server.url}/organiser/programs/{program.slug}/participants/{aigerim.pk}/")
    link = page.get_by_role("textbox", name="Personal link").input_value()
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Copied.").wait_for()
    shoot(page, "participant-link")

    assert link.endswith(f"/i/{aigerim.access_token}/")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert serious_violations(page) == []


def test_host_form_messages_and_page(audited, live_server, delegation):
    program, _people = delegation
    desktop = audited
    login(desktop, live_server)

    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/hosts/")
    desktop.get_by_role("link", name="Add host organisation").click()
    desktop.get_by_role("textbox", name="Name English").fill("Astana Hub")
    desktop.get_by_label("Latitude").fill("123")
    desktop.get_by_role("button", name="Save").click()

    assert desktop.get_by_text("A host organisation with this name already exists.").is_visible()
    assert desktop.get_by_text("Ensure this value is less than or equal to 90.").is_visible()
    shoot(desktop, "host-form")
    assert serious_violations(desktop) == []


def test_sendout_page_follows_its_progress_while_it_runs(desktop, live_server, delegation):
    from unittest import mock

    from notices.services import schedule_send
    from notifications.enums import NotificationStatus
    from notifications.models import Notification

    program, _people = delegation
    with mock.patch("notifications.services.publish"):  # queued, not sent: the worker is busy
        sendout = schedule_send(program=program)
    login(desktop, live_server)

    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/send/{sendout.pk}/")
    desktop.get_by_text("0 of 3 sent, 3 waiting, 0 failed").wait_for()
    first = Notification.objects.filter(sendout=sendout).order_by("pk").first()
    Notification.objects.filter(pk=first.pk).update(status=NotificationStatus.SENT)
    desktop.get_by_text("1 of 3 sent, 2 waiting, 0 failed").wait_for()
    Notification.objects.filter(sendout=sendout).update(status=NotificationStatus.SENT)

    # Done: the page reloads once and shows every message as sent.
    desktop.get_by_text("3 of 3 sent, 0 waiting, 0 failed").wait_for()
    desktop.locator("tbody tr", has_text="Sent").nth(2).wait_for()
    assert desktop.locator("tbody tr", has_text="Sent").count() == 3
    assert desktop.locator('[data-progress="running"]').count() == 0


def test_rotate_the_personal_link_after_confirming(desktop, live_server, delegation):
    program, (aigerim, _boris, _clare) = delegation
    old = aigerim.access_token
    login(desktop, live_server)
    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/participants/{aigerim.pk}/")

    desktop.once("dialog", lambda dialog: dialog.dismiss())
    desktop.get_by_role("button", name="Make a new link (the old one stops working)").click()
    aigerim.refresh_from_db()
    assert aigerim.access_token == old  # dismissed: nothing changed

    desktop.once("dialog", lambda dialog: dialog.accept())
    desktop.get_by_role("button", name="Make a new link (the old one stops working)").click()
    desktop.get_by_text("has a new personal link").wait_for()
    aigerim.refresh_from_db()
    assert aigerim.access_token != old
    assert desktop.get_by_role("textbox", name="Personal link").input_value().endswith(f"/i/{aigerim.access_token}/")
    assert desktop.request.get(f"{live_server.url}/i/{old}/").status == 404
