"""The organiser's schedule board in a real Chromium: log in, create a visit from an
empty slot, see it placed; a clash names the visit and group and saves nothing;
axe-core finds no serious accessibility problem on the main organiser pages."""

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programs.selectors import ORGANISERS_GROUP
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit, VisitGroup
from visits.services import visit_create

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# `make screenshots` refreshes the README's pictures in docs/screenshots/;
# an ordinary test run leaves them in test-artifacts/.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts"))
ARTIFACTS_DIR = ROOT / "test-artifacts"
PASSWORD = "correct-horse-battery"
DAY = date(2026, 12, 8)


def make_organiser(*programs):
    user = get_user_model().objects.create_user("aigerim", "aigerim@academy.example", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    for program in programs:
        program.organisers.add(user)
    return user


def login(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("aigerim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/organiser/")


def serious_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (scripts/ensure-axe.sh installs axe-core with npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def scheduled(transactional_db):
    program = ProgramFactory(title="Human capital", slug="human-capital")
    science = ProjectGroupFactory(program=program, name="Group 5: Science")
    ProjectGroupFactory(program=program, name="Group 6: Green economy")
    ParticipantFactory.create_batch(3, program=program, group=science)
    university = HostOrganisationFactory(name="Nazarbayev University")
    HostOrganisationFactory(name="Astana Hub")
    existing = visit_create(
        program=program, groups=[science], host=university, title="Nazarbayev University: innovation cluster",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip
    make_organiser(program)
    return program, science, existing


def test_organiser_creates_a_visit_from_an_empty_slot_and_sees_it_placed(desktop, live_server, scheduled):
    program, science, _existing = scheduled
    login(desktop, live_server)

    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/board/?day={DAY.isoformat()}")
    desktop.get_by_role("link", name="New visit for Group 5: Science at 14:00").click()
    assert desktop.get_by_label("Starts at").input_value() == "2026-12-08T14:00"
    assert desktop.get_by_label("Group 5: Science").is_checked()
    desktop.get_by_label("Title", exact=True).fill("Astana Hub: startup ecosystem")
    desktop.get_by_label("Host organisation").fill("Astana Hub")
    desktop.get_by_label("Ends at").fill("2026-12-08T15:30")
    desktop.get_by_role("button", name="Create visit").click()

    desktop.wait_for_url("**/board/?day=2026-12-08#visit-*")
    visit = SiteVisit.objects.get(title="Astana Hub: startup ecosystem")
    block = desktop.locator(f"#visit-{visit.pk}")
    assert block.get_attribute("data-groups") == str(science.pk)
    assert "14:00–15:30" in block.inner_text()
    # 14:00 in a 08:00–20:00 window is halfway down the column; 90 minutes is 12.5% of it.
    assert "top: 50.000%" in block.get_attribute("style")
    # The page brings the new block into view and focuses it; focus enlarges a
    # block to show all its text, so measure it unfocused.
    assert desktop.evaluate("document.activeElement.id") == f"visit-{visit.pk}"
    desktop.evaluate("document.activeElement.blur()")
    desktop.mouse.move(0, 0)
    cell = desktop.locator(f'.board__cell[data-group="{science.pk}"]').bounding_box()
    box = block.bounding_box()
    assert abs((box["y"] - cell["y"]) / cell["height"] - 0.5) < 0.01
    assert abs(box["height"] / cell["height"] - 0.125) < 0.01


def test_organiser_clash_names_the_visit_and_group_and_saves_nothing(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    login(desktop, live_server)

    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/board/?day={DAY.isoformat()}")
    desktop.get_by_role("link", name="New visit for Group 5: Science at 09:00").click()
    desktop.get_by_label("Title", exact=True).fill("Clashing workshop")
    desktop.get_by_label("Ends at").fill("2026-12-08T11:00")
    desktop.get_by_role("button", name="Create visit").click()

    error = desktop.locator("#groups-fieldset .error")
    assert "Group “Group 5: Science” is already booked into “Nazarbayev University: innovation cluster”" in (
        error.first.inner_text()
    )
    assert "nothing was saved" in desktop.locator(".form-errors").inner_text()
    assert desktop.get_by_label("Title", exact=True).input_value() == "Clashing workshop"
    assert SiteVisit.objects.count() == 1
    assert VisitGroup.objects.get().visit_id == existing.pk


def test_organiser_board_is_keyboard_usable(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    login(desktop, live_server)
    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/board/?day={DAY.isoformat()}")

    block = desktop.locator(f"#visit-{existing.pk}")
    block.focus()
    desktop.keyboard.press("Enter")

    desktop.wait_for_url(f"**/visits/{existing.pk}/")
    assert desktop.get_by_label("Title", exact=True).input_value() == existing.title


@pytest.fixture
def audited_desktop(browser):
    """A desktop page that lets the test inject axe-core: our own CSP rightly
    refuses inline scripts, so only this test context bypasses it."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_organiser_pages_have_no_serious_accessibility_violations_at_demo_scale(
    audited_desktop, live_server, transactional_db
):
    from django.core.management import call_command

    desktop = audited_desktop
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's report is not needed
    program = __import__("programs.models", fromlist=["Program"]).Program.objects.get()
    user = get_user_model().objects.get(username="organiser")
    user.set_password(PASSWORD)
    user.username = "aigerim"
    user.save()
    program.organisers.add(user)
    login(desktop, live_server)
    base = f"{live_server.url}/organiser/programs/{program.slug}/"
    visit = program.visits.order_by("starts_at").first()

    found = {}
    for name, path in [
        ("dashboard", ""),
        ("board", "board/?day=2026-12-08"),
        ("board-program", "board/?view=all"),
        ("visit-form", f"visits/{visit.pk}/"),
        ("participants", "participants/"),
        ("hosts", "hosts/"),
    ]:
        desktop.goto(base + path)
        if name in ("board", "visit-form"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            desktop.screenshot(path=str(SCREENSHOTS / f"organiser-{name}.png"), full_page=name != "board")
        if name == "board":
            # The board with a block being moved from the keyboard, not yet saved.
            desktop.set_viewport_size({"width": 1366, "height": 1100})
            desktop.locator(".board__lane > .block:not(.block--part)").nth(3).focus()
            desktop.keyboard.press("ArrowDown")
            desktop.keyboard.press("ArrowDown")
            desktop.evaluate("window.scrollTo(0, 0)")
            desktop.screenshot(path=str(SCREENSHOTS / "board.png"))
            desktop.keyboard.press("Escape")
            desktop.set_viewport_size({"width": 1366, "height": 900})
        violations = serious_violations(desktop)
        if violations:
            found[name] = violations

    assert not found, json.dumps(found, indent=1)


def test_axe_check_itself_catches_an_unlabelled_input(audited_desktop):
    audited_desktop.set_content("<!doctype html><html lang=en><title>t</title><main><input type=text></main></html>")

    assert [v["id"] for v in serious_violations(audited_desktop)] == ["label"]


# --- the board you drag ------------------------------------------------------------------------

WINDOW_MINUTES = 12 * 60  # the day view's 08:00–20:00


def board_page(desktop, live_server, program):
    login(desktop, live_server)
    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/board/?day={DAY.isoformat()}")


def drag(page, locator, *, minutes=0, columns=0, handle=False):
    """Drag a block (or its bottom edge) by so many minutes down and so many group columns right."""
    lane = locator.locator("xpath=..").bounding_box()
    box = (locator.locator(".block__resize") if handle else locator).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + (box["height"] - 2 if handle else min(12, box["height"] / 2))
    column = lane["width"] / int(page.locator(".board").get_attribute("style").split("--groups: ")[1].split(";")[0])
    page.mouse.move(x, y)
    page.mouse.down()
    steps = 8
    for step in range(1, steps + 1):
        page.mouse.move(
            x + columns * column * step / steps, y + minutes * lane["height"] / WINDOW_MINUTES * step / steps
        )
    page.mouse.up()


def api_visit(page, live_server, program, visit):
    from partners.services import api_client_create

    _client, token = api_client_create(name=f"Checker {visit.pk}", scopes=("read",), programs=())
    response = page.request.get(
        f"{live_server.url}/api/v1/programs/{program.slug}/visits/{visit.pk}/",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.ok, response.text()
    return response.json()


def test_drag_a_block_to_a_free_slot_saves_it_for_the_api_and_the_phone(desktop, phone, live_server, scheduled):
    program, science, existing = scheduled
    board_page(desktop, live_server, program)

    drag(desktop, desktop.locator(f"#visit-{existing.pk}"), minutes=4 * 60)

    status = desktop.locator("#board-status")
    status.get_by_text("saved: 14:00–16:00").wait_for()
    assert "Nazarbayev University: innovation cluster" in status.inner_text()
    saved = api_visit(desktop, live_server, program, existing)
    assert (saved["starts_at"], saved["ends_at"]) == ("2026-12-08T14:00:00+05:00", "2026-12-08T16:00:00+05:00")
    # The grid is read again: the block sits at 14:00 (half way down), and Undo is offered.
    desktop.get_by_role("button", name="Undo the move of “Nazarbayev University: innovation cluster”").wait_for()
    assert "top: 50.000%" in desktop.locator(f"#visit-{existing.pk}").get_attribute("style")
    participant = science.participants.first()
    phone.goto(f"{live_server.url}/i/{participant.access_token}/")
    assert "14:00" in phone.locator("main").inner_text()
    assert "10:00" not in phone.locator("main").inner_text()
    desktop.screenshot(path=str(ARTIFACTS_DIR / "board-after-drag.png"))


def test_drag_onto_a_clash_is_refused_and_the_block_goes_back(desktop, live_server, scheduled):
    program, science, existing = scheduled
    hub = visit_create(
        program=program, groups=[science], title="Astana Hub: startups",
        starts_at=local(program, DAY, 14), ends_at=local(program, DAY, 15),
    )  # fmt: skip
    board_page(desktop, live_server, program)
    block = desktop.locator(f"#visit-{existing.pk}")
    style_before = block.get_attribute("style")

    drag(desktop, block, minutes=3 * 60)

    status = desktop.locator("#board-status.is-error")
    status.wait_for()
    assert "Astana Hub: startups" in status.inner_text()
    assert "Group 5: Science" in status.inner_text()
    desktop.wait_for_function(f"!document.getElementById('visit-{existing.pk}').classList.contains('is-saving')")
    assert block.get_attribute("style") == style_before
    assert "10:00–12:00" in block.inner_text()
    desktop.screenshot(path=str(ARTIFACTS_DIR / "board-refused.png"))
    existing.refresh_from_db()
    assert existing.starts_at == local(program, DAY, 10)
    assert existing.sequence == 0
    assert hub.bookings.count() == 1


def test_drag_a_single_group_visit_into_another_groups_column(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    green = program.groups.get(name="Group 6: Green economy")
    board_page(desktop, live_server, program)

    drag(desktop, desktop.locator(f"#visit-{existing.pk}"), columns=1)

    desktop.locator("#board-status").get_by_text("saved: 10:00–12:00").wait_for()
    assert list(VisitGroup.objects.filter(visit=existing).values_list("group_id", flat=True)) == [green.pk]
    desktop.locator("#board-undo").wait_for()  # the grid is read again
    assert desktop.locator(f"#visit-{existing.pk}").get_attribute("data-groups") == str(green.pk)


def test_drag_the_bottom_edge_changes_the_end(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    board_page(desktop, live_server, program)

    drag(desktop, desktop.locator(f"#visit-{existing.pk}"), minutes=45, handle=True)

    desktop.locator("#board-status").get_by_text("saved: 10:00–12:45").wait_for()
    existing.refresh_from_db()
    assert existing.ends_at == local(program, DAY, 12, 45)


def test_keyboard_moves_a_block_and_announces_it(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    board_page(desktop, live_server, program)
    block = desktop.locator(f"#visit-{existing.pk}")
    block.focus()

    for _ in range(4):
        desktop.keyboard.press("ArrowDown")  # 4 × 15 minutes
    desktop.keyboard.press("Shift+ArrowUp")  # and end a quarter earlier
    status = desktop.locator("#board-status")
    assert status.get_attribute("aria-live") == "polite"
    assert "Not saved yet: 11:00–12:45" in status.inner_text()
    desktop.keyboard.press("Enter")

    # Saved, or refused with the reason on the status line: a failure then says which.
    desktop.locator(f"#visit-{existing.pk}:not(.is-saving):not(.is-pending)").wait_for()
    assert "saved: 11:00–12:45" in status.inner_text(), status.inner_text()
    existing.refresh_from_db()
    assert existing.starts_at == local(program, DAY, 11)
    assert desktop.evaluate("document.activeElement.id") == f"visit-{existing.pk}"


def test_keyboard_escape_leaves_the_block_where_it_was(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    board_page(desktop, live_server, program)
    block = desktop.locator(f"#visit-{existing.pk}")
    block.focus()

    desktop.keyboard.press("ArrowUp")
    desktop.keyboard.press("Escape")

    assert "10:00–12:00" in block.inner_text()
    assert "Move cancelled." in desktop.locator("#board-status").inner_text()
    existing.refresh_from_db()
    assert existing.sequence == 0


def test_shift_a_day_moves_all_and_undo_moves_them_back(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    green = program.groups.get(name="Group 6: Green economy")
    other = visit_create(
        program=program, groups=[green], title="Green hydrogen plant",
        starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 11),
    )  # fmt: skip
    board_page(desktop, live_server, program)

    desktop.locator("#board-shift summary").click()
    desktop.get_by_label("Minutes (negative: earlier)").fill("45")
    desktop.get_by_role("button", name="Shift", exact=True).click()

    assert "2 visits moved by +45 minutes." in desktop.locator(".messages").inner_text()
    existing.refresh_from_db()
    other.refresh_from_db()
    assert (existing.starts_at, other.starts_at) == (local(program, DAY, 10, 45), local(program, DAY, 9, 45))
    assert "10:45–12:45" in desktop.locator(f"#visit-{existing.pk}").inner_text()

    desktop.get_by_role("button", name="Undo the shift of 2 visits by +45 minutes").click()

    assert "Undone: the shift of 2 visits by +45 minutes." in desktop.locator(".messages").inner_text()
    existing.refresh_from_db()
    assert existing.starts_at == local(program, DAY, 10)


def test_shift_a_day_with_a_clash_moves_nothing_and_names_it(desktop, live_server, scheduled):
    program, science, existing = scheduled
    green = program.groups.get(name="Group 6: Green economy")
    other = visit_create(
        program=program, groups=[green], title="Green hydrogen plant",
        starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 11),
    )  # fmt: skip
    visit_create(
        program=program, groups=[science], title="Evening reception", starts_at=local(program, DAY, 23),
        ends_at=local(program, DAY + timedelta(days=1), 0, 30),
    )  # fmt: skip
    late = visit_create(
        program=program, groups=[science], title="Night train", starts_at=local(program, date(2026, 12, 9), 1),
        ends_at=local(program, date(2026, 12, 9), 3),
    )  # fmt: skip
    board_page(desktop, live_server, program)

    desktop.locator("#board-shift summary").click()
    desktop.get_by_label("Minutes (negative: earlier)").fill("60")
    desktop.get_by_role("button", name="Shift", exact=True).click()

    message = desktop.locator(".messages").inner_text()
    assert "Nothing was moved." in message
    assert "“Evening reception” would meet “Night train”" in message
    desktop.screenshot(path=str(ARTIFACTS_DIR / "board-shift-refused.png"), full_page=True)
    for visit in (existing, other, late):
        visit.refresh_from_db()
        assert visit.sequence == 0


def test_duplicate_from_the_board(desktop, live_server, scheduled):
    program, _science, existing = scheduled
    board_page(desktop, live_server, program)

    desktop.locator(f"#visit-{existing.pk}").focus()  # picks it in the Duplicate form
    desktop.locator("#board-duplicate summary").click()
    assert desktop.get_by_label("Visit", exact=True).input_value() == str(existing.pk)
    desktop.get_by_label("To day").select_option("2026-12-09")
    desktop.get_by_label("at", exact=True).fill("15:00")
    desktop.get_by_role("button", name="Duplicate", exact=True).click()

    desktop.wait_for_url("**/board/?day=2026-12-09#visit-*")
    copy = SiteVisit.objects.exclude(pk=existing.pk).get()
    assert copy.starts_at == local(program, date(2026, 12, 9), 15)
    assert "15:00–17:00" in desktop.locator(f"#visit-{copy.pk}").inner_text()


def test_after_a_drag_the_hosts_proposals_show_the_visits_new_time(desktop, live_server, scheduled):
    from hosting.services import host_answer
    from tests.factories import HostContactFactory

    program, _science, existing = scheduled
    contact = HostContactFactory(host=existing.host, name="Dana Serikova", language="en")
    proposed = local(program, DAY + timedelta(days=1), 15)
    host_answer(
        contact=contact, visit=existing, answer="proposed", note="The rector is free in the afternoon",
        proposed_starts_at=proposed, proposed_ends_at=proposed + timedelta(hours=2),
    )  # fmt: skip
    board_page(desktop, live_server, program)
    listed = desktop.locator(f"#proposal-{existing.pk} .board-proposals__from")
    assert "10:00–12:00" in listed.inner_text()

    drag(desktop, desktop.locator(f"#visit-{existing.pk}"), minutes=4 * 60)

    desktop.locator("#board-status").get_by_text("saved: 14:00–16:00").wait_for()
    desktop.locator(f"#proposal-{existing.pk} .board-proposals__from").get_by_text("14:00–16:00").wait_for()
