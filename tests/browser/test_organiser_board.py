"""The organiser's schedule board in a real Chromium: log in, create a visit from an
empty slot, see it placed; a clash names the visit and group and saves nothing;
axe-core finds no serious accessibility problem on the main organiser pages."""

import json
import os
from datetime import date
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
    block = desktop.locator(f"#visit-{visit.pk}-group-{science.pk}")
    assert "14:00–15:30" in block.inner_text()
    # 14:00 in a 08:00–20:00 window is halfway down the column; 90 minutes is 12.5% of it.
    assert "top: 50.000%" in block.get_attribute("style")
    # The page brings the new block into view and focuses it; focus enlarges a
    # block to show all its text, so measure it unfocused.
    assert desktop.evaluate("document.activeElement.id") == f"visit-{visit.pk}-group-{science.pk}"
    desktop.evaluate("document.activeElement.blur()")
    desktop.mouse.move(0, 0)
    cell = block.locator("xpath=..").bounding_box()
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
    program, science, existing = scheduled
    login(desktop, live_server)
    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/board/?day={DAY.isoformat()}")

    block = desktop.locator(f"#visit-{existing.pk}-group-{science.pk}")
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
        violations = serious_violations(desktop)
        if violations:
            found[name] = violations

    assert not found, json.dumps(found, indent=1)


def test_axe_check_itself_catches_an_unlabelled_input(audited_desktop):
    audited_desktop.set_content("<!doctype html><html lang=en><title>t</title><main><input type=text></main></html>")

    assert [v["id"] for v in serious_violations(audited_desktop)] == ["label"]
