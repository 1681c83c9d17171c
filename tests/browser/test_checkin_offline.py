"""The coordinator checks the group in at a visit with no signal (Chromium, 375 px phone):
the marks stay on the phone, and arrive once when it is back online."""

import pytest

from outcomes import views
from outcomes.models import Attendance
from tests.factories import ProgramFactory, local
from tests.outcomes.conftest import hold

from .test_itinerary_phone import keep_screenshot


@pytest.fixture
def at_the_visit(transactional_db, monkeypatch):
    held = hold(ProgramFactory(title="Развитие человеческого капитала"))
    monkeypatch.setattr(views, "current_time", lambda: local(held.program, held.program.start_date, 10, 15))
    return held


def open_kept_for_offline(phone, url: str) -> None:
    """Open the check-in page and wait until the service worker has kept it for use offline."""
    phone.goto(url)
    phone.wait_for_selector("[data-offline-ready=true]")
    phone.wait_for_function(
        "url => caches.open('itinerary-v1').then(cache => cache.match(url)).then(hit => Boolean(hit))", arg=url
    )


def test_marks_made_offline_arrive_once_when_back_online(phone, live_server, at_the_visit):
    held = at_the_visit
    visit, second, third = held.visits[0], held.members[1], held.members[2]
    url = f"{live_server.url}/i/{held.coordinator.access_token}/check-in/"
    open_kept_for_offline(phone, url)

    phone.context.set_offline(True)
    try:
        phone.reload()  # the copy kept by the service worker
        assert phone.locator(".itin").get_attribute("data-served-by") == "cache"
        sheet = phone.locator(f'[data-visit="{visit.pk}"]')
        sheet.locator(f'[data-participant="{second.pk}"] .checkin-present').click()
        sheet.locator(f'[data-participant="{third.pk}"] .checkin-present').click()
        sheet.locator(f'[data-participant="{third.pk}"] .checkin-absent').click()  # changed their mind
        assert phone.locator("[data-checkin-status]").inner_text().endswith("3.")
        assert sheet.locator(f'[data-participant="{third.pk}"]').get_attribute("data-state") == "absent"
        keep_screenshot(phone, "checkin-phone-offline", full_page=False)
        queued = phone.evaluate("Object.keys(localStorage).map(key => localStorage.getItem(key))")
        assert not Attendance.objects.exists()
    finally:
        phone.context.set_offline(False)

    phone.wait_for_selector("[data-sync=done]")
    marks = {row.participant_id: row.present for row in Attendance.objects.filter(visit=visit)}
    assert marks == {second.pk: True, third.pk: False}
    assert phone.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))") == []

    # The same marks sent again (a retry after a lost answer) change nothing.
    status = phone.evaluate(
        """([url, body]) => fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
             body: JSON.stringify({marks: JSON.parse(body)})}).then(r => r.status)""",
        [f"/i/{held.coordinator.access_token}/check-in/marks/", queued[0]],
    )
    assert status == 200
    assert Attendance.objects.filter(visit=visit).count() == 2
    assert Attendance.objects.get(visit=visit, participant=third).present is False

    phone.reload()
    assert phone.locator(f'[data-visit="{visit.pk}"] [data-participant="{third.pk}"]').get_attribute("data-state") == (
        "absent"
    )
