"""Surveys in a real Chromium: an organiser builds a survey with one question of each kind,
sends it, three participants answer it on a 375 px phone through their e-mailed links, and
the results page draws bars whose lengths are proportional to the counts."""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from programs.selectors import ORGANISERS_GROUP
from surveys.models import Answer, Survey
from surveys.services import survey_create, survey_send, survey_submit
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create

ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` refreshes the README's pictures in docs/screenshots/;
# an ordinary test run leaves them in test-artifacts/.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def program_with_people(transactional_db, celery_eager):
    """A program of three participants and two visits already rated; e-mails sent in-process
    (also when a real broker is configured), so the test reads the links from them."""
    program = ProgramFactory(title="Human capital", slug="human-capital")
    group = ProjectGroupFactory(program=program, name="Group 5: Science")
    people = [
        ParticipantFactory(program=program, group=group, language="en", email=f"person{n}@gov.example")
        for n in range(3)
    ]
    # Two visits already rated in surveys of their own: the results compare them.
    for day, title, host, ratings in [
        (0, "Astana Hub: startup ecosystem", "Astana Hub", ["5", "4", "4"]),
        (1, "Ministry of Digital Development", "Ministry of Digital Development", ["3", "4", "2"]),
    ]:
        visit = visit_create(
            program=program,
            groups=[group],
            host=HostOrganisationFactory(name=host),
            title=title,
            starts_at=local(program, program.start_date + timedelta(days=day), 10),
            ends_at=local(program, program.start_date + timedelta(days=day), 12),
        )
        rated = survey_create(
            program=program,
            visit=visit,
            title=f"About {title}",
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=30),
            questions=[{"kind": "rating", "text": "How useful was the visit?"}],
        )
        survey_send(survey=rated)
        question = rated.questions.get()
        for invitation, rating in zip(rated.invitations.order_by("id"), ratings, strict=True):
            survey_submit(invitation=invitation, answers={str(question.pk): rating})
    mail.outbox.clear()
    user = get_user_model().objects.create_user("aigerim", "aigerim@academy.example", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    program.organisers.add(user)
    return program, people


@pytest.fixture
def audited(browser):
    """Desktop pages into which the test may inject axe-core (our CSP refuses inline scripts)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True)
    yield context.new_page()
    context.close()


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def keep_screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def add_question(page, kind: str, text: str, choices: str = "", *, required: bool = True) -> None:
    form = page.locator("#new-question")
    form.get_by_label("Kind").select_option(label=kind)
    form.get_by_label("Question").fill(text)
    if choices:
        form.get_by_label("Choices").fill(choices)
    if not required:
        form.get_by_label("An answer is required").uncheck()
    form.get_by_role("button", name="Add question").click()
    page.wait_for_url("**/surveys/*/#question-*")


def drag(page, *, source: int, target: int, upper_half: bool) -> None:
    """Drag question card `source` by its handle over card `target` and drop it: the drag and drop
    events a browser sends, dispatched in order (Playwright's mouse-driven drag did not start from
    the handle on this long page, though it does on a short one)."""
    cards = page.locator(".question-card")
    data = page.evaluate_handle("new DataTransfer()")
    box = cards.nth(target).bounding_box()
    y = box["y"] + (box["height"] * (0.25 if upper_half else 0.75))
    cards.nth(source).locator(".drag-handle").dispatch_event("dragstart", {"dataTransfer": data})
    cards.nth(target).dispatch_event("dragover", {"dataTransfer": data, "clientY": y})
    cards.nth(source).locator(".drag-handle").dispatch_event("dragend", {"dataTransfer": data})
    # The drop saves the order and reloads the page, so it comes last here (a browser ends the
    # drag on the old page before the new one loads).
    cards.nth(source).dispatch_event("drop", {"dataTransfer": data, "clientY": y})


def bar_lengths(page, chart_id: str) -> list[tuple[str, float, float]]:
    """Each bar of a chart as drawn on the screen: its label, its value, its rendered width in px."""
    return page.evaluate(
        """(id) => [...document.querySelectorAll(`#${id} .chart__row`)].map(row => [
            row.dataset.label, Number(row.dataset.value),
            row.querySelector('.chart__bar').getBoundingClientRect().width])""",
        chart_id,
    )


def assert_proportional(bars: list[tuple[str, float, float]]) -> None:
    top_value = max(value for _label, value, _width in bars)
    top_width = max(width for _label, _value, width in bars)
    assert top_width > 100  # a real bar, not a hairline
    for label, value, width in bars:
        assert abs(width - top_width * value / top_value) < 1, (label, value, width, top_width)


def test_organiser_builds_sends_and_reads_a_survey_answered_on_phones(audited, phone, live_server, program_with_people):
    program, people = program_with_people
    desktop = audited
    tz = program.tzinfo
    now = timezone.now().astimezone(tz)

    desktop.goto(f"{live_server.url}/login/")
    desktop.get_by_label("Username").fill("aigerim")
    desktop.get_by_label("Password").fill(PASSWORD)
    desktop.get_by_role("button", name="Log in").click()
    desktop.wait_for_url(f"{live_server.url}/organiser/")
    desktop.goto(f"{live_server.url}/organiser/programs/{program.slug}/")
    desktop.get_by_role("navigation", name="Organiser").get_by_role("link", name="Surveys").click()
    desktop.get_by_role("link", name="New survey").click()

    # The survey: a refused date first (closes before it opens), then a good one.
    desktop.get_by_label("Title").fill("Two weeks in Astana")
    desktop.get_by_label("Opens at").fill(f"{now - timedelta(days=1):%Y-%m-%dT%H:%M}")
    desktop.get_by_label("Closes at").fill(f"{now - timedelta(days=2):%Y-%m-%dT%H:%M}")
    desktop.get_by_role("button", name="Create survey").click()
    assert "The survey must close after it opens." in desktop.locator("#id_closes_at_error").inner_text()
    assert not Survey.objects.filter(visit=None).exists()
    desktop.get_by_label("Closes at").fill(f"{now + timedelta(days=30):%Y-%m-%dT%H:%M}")
    desktop.get_by_role("button", name="Create survey").click()
    desktop.wait_for_url("**/surveys/*/")

    # One question of each kind; a choice question without choices is refused on the form.
    desktop.locator("#new-question").get_by_label("Kind").select_option(label="Single choice")
    desktop.locator("#new-question").get_by_label("Question").fill("Which week was more useful?")
    desktop.locator("#new-question").get_by_role("button", name="Add question").click()
    assert "at least two different choices" in desktop.locator("#new-question").inner_text()
    add_question(desktop, "Rating 1–5", "How useful was the program overall?")
    add_question(desktop, "Single choice", "Which week was more useful?", "The first week\nThe second week\nBoth")
    add_question(desktop, "Multiple choice", "Which topics would you like more of?", "AI in government\nRoads\nSchools")
    add_question(desktop, "Free text", "Anything else?", required=False)
    # Ordering: the free-text question up one place and back down, by its buttons.
    # The address already ends in #question-… before each move: wait for the reloaded order itself.
    desktop.get_by_role("button", name="Move up: Anything else?").click()
    expect(desktop.locator(".question-card h3").nth(2)).to_contain_text("3. Anything else?")
    desktop.get_by_role("button", name="Move down: Anything else?").click()
    expect(desktop.locator(".question-card h3").nth(3)).to_contain_text("4. Anything else?")
    desktop.wait_for_load_state()
    survey = Survey.objects.get(visit=None)
    assert list(survey.questions.values_list("kind", flat=True)) == ["rating", "choice", "multiple", "text"]
    # Or drag a card by its handle: the free-text question onto the first, then back to the end.
    drag(desktop, source=3, target=0, upper_half=True)
    desktop.wait_for_function("document.querySelector('.question-card h3').innerText.includes('1. Anything else?')")
    assert list(survey.questions.values_list("kind", flat=True)) == ["text", "rating", "choice", "multiple"]
    drag(desktop, source=0, target=3, upper_half=False)
    desktop.wait_for_function("document.querySelector('.question-card h3').innerText.includes('1. How useful')")
    assert list(survey.questions.values_list("kind", flat=True)) == ["rating", "choice", "multiple", "text"]
    assert list(survey.questions.values_list("kind", flat=True)) == ["rating", "choice", "multiple", "text"]
    assert serious_violations(desktop) == []
    desktop.evaluate("window.scrollTo(0, 0)")
    keep_screenshot(desktop, "survey-builder")

    # Send it.
    desktop.get_by_role("link", name="Next: send the invitations").click()
    desktop.get_by_role("button", name="Send the invitation to 3 people").click()
    assert "Survey invitation: Two weeks in Astana: 3 invitations queued." in desktop.locator(".messages").inner_text()
    links = {m.to[0]: re.search(r"http://\S+/s/[\w-]+/", m.body).group(0) for m in mail.outbox}
    assert len(links) == 3

    # Three participants answer on a 375 px phone through the link in their e-mail.
    answers = [("5", "The first week", ["AI in government", "Roads"]), ("4", "Both", ["AI in government"])]
    answers.append(("4", "The first week", ["AI in government", "Schools"]))
    for person, (rating, week, topics) in zip(people, answers, strict=True):
        address = next(to for to in links if person.email in to)
        path = links[address].split("/s/", 1)[1]
        phone.goto(f"{live_server.url}/s/{path}")
        wide = phone.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 375)
                .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
        )
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, wide  # no sideways scrolling
        phone.get_by_role("radio", name=rating, exact=True).check()
        phone.get_by_role("radio", name=week).check()
        for topic in topics:
            phone.get_by_role("checkbox", name=topic).check()
        if person == people[0]:
            phone.get_by_role("textbox").fill("More time at the ministries, please.")
            keep_screenshot(phone, "survey-phone")
        phone.get_by_role("button", name="Send my answers").click()
        phone.wait_for_url("**/?saved=1")
        assert "your answers are saved" in phone.locator(".message--success").inner_text()
    assert survey.invitations.filter(responded_at__isnull=False).count() == 3
    assert Answer.objects.get(question__kind="multiple", invitation__participant=people[0]).selected == [
        "AI in government",
        "Roads",
    ]

    # Who answered, then the results: bar lengths on the screen proportional to the counts.
    desktop.reload()
    assert desktop.locator("[data-answered]").inner_text() == "3"
    desktop.screenshot(path=str(ROOT / "test-artifacts" / "survey-invitations.png"), full_page=True)
    desktop.get_by_role("link", name="All surveys").click()
    assert desktop.locator(f"#survey-{survey.pk} [data-answered]").inner_text() == "3"
    desktop.screenshot(path=str(ROOT / "test-artifacts" / "survey-list.png"), full_page=True)
    desktop.go_back()
    desktop.get_by_role("navigation", name="Survey").get_by_role("link", name="Results").click()
    questions = {q.kind: q for q in survey.questions.all()}
    rating_bars = bar_lengths(desktop, f"chart-{questions['rating'].pk}")
    week_bars = bar_lengths(desktop, f"chart-{questions['choice'].pk}")
    topic_bars = bar_lengths(desktop, f"chart-{questions['multiple'].pk}")
    assert [(label, value) for label, value, _w in rating_bars] == [("1", 0), ("2", 0), ("3", 0), ("4", 2), ("5", 1)]
    assert [(label, value) for label, value, _w in week_bars] == [
        ("The first week", 2),
        ("The second week", 0),
        ("Both", 1),
    ]
    assert [(label, value) for label, value, _w in topic_bars] == [
        ("AI in government", 3),
        ("Roads", 1),
        ("Schools", 1),
    ]
    for bars in (rating_bars, week_bars, topic_bars):
        assert_proportional(bars)
    rating_chart = desktop.locator(f"#chart-{questions['rating'].pk}")
    assert rating_chart.get_attribute("role") == "img"
    assert desktop.locator(f"#chart-{questions['rating'].pk}-desc").text_content() == "1: 0; 2: 0; 3: 0; 4: 2; 5: 1"
    assert desktop.locator("[data-average]").inner_text() == "4.33"
    assert "More time at the ministries, please." in desktop.locator(f"#question-{questions['text'].pk}").inner_text()
    visit_bars = bar_lengths(desktop, "chart-visits")
    assert [(label.split(" · ", 1)[1], value) for label, value, _w in visit_bars] == [
        ("Astana Hub: startup ecosystem", 4.33),
        ("Ministry of Digital Development", 3.0),
    ]
    scale = desktop.evaluate("document.querySelector('#chart-visits .chart__track').getBoundingClientRect().width")
    for _label, value, width in visit_bars:  # out of 5, not of the best visit
        assert abs(width - scale * value / 5) < 1
    violations = serious_violations(desktop)
    assert not violations, json.dumps(violations, indent=1)
    keep_screenshot(desktop, "survey-results")
    # In print: the charts stay, with their bars; menus, buttons and forms go.
    desktop.emulate_media(media="print")
    assert desktop.locator(f"#chart-{questions['choice'].pk}").is_visible()
    assert_proportional(bar_lengths(desktop, f"chart-{questions['choice'].pk}"))
    assert not desktop.get_by_role("link", name="Export XLSX").is_visible()
    assert not desktop.get_by_role("navigation", name="Survey").is_visible()
