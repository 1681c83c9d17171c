"""Texts read across a relation (`.values("host__name")`) are in the reader's language too.

django-modeltranslation rewrites `.values("title")` of a model's own translated field to the
active language and its fallbacks, but not a lookup that spans a relation: `host__name` reads
the bare column, whatever the reader's language. The code reads those through
`localized(...)` and `row_text(...)` (internship_portal.translated); the scan below fails on
any new read that does not, and the tests after it show the messages built from such reads."""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from modeltranslation.translator import translator

from surveys.enums import QuestionKind
from surveys.selectors import feedback_by_visit_and_host
from surveys.services import survey_create, survey_send, survey_submit
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.selectors import visits_of_program, visits_warnings
from visits.services import group_delete_check, visit_create

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts", "audit", "demo", "hosting", "internship_portal", "itinerary", "notices", "notifications",
    "outcomes", "participants", "partners", "planning", "programs", "surveys", "visits",
)  # fmt: skip
DAY = date(2026, 12, 8)
DIGITAL_STATE_RU = "Группа 1: Цифровое государство"


def _translated_names() -> set[str]:
    models = translator.get_registered_models()
    return {name for model in models for name in translator.get_options_for_model(model).fields}


def _bare_reads_in(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, lookup) of each `.values(...)`/`.values_list(...)` argument that ends in a translated field
    across a relation."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ("values", "values_list"):
            continue
        constants = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
        for lookup in (value for value in constants if isinstance(value, str)):
            if "__" in lookup and lookup.rsplit("__", 1)[1] in names:
                found.append((node.lineno, lookup))
    return found


def test_no_read_across_a_relation_takes_the_bare_column_of_a_translated_field():
    names = _translated_names()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {lookup}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, lookup in _bare_reads_in(path.read_text(), names)
    ]
    assert found == [], (
        "read these with *localized(lookup) and row_text(row, lookup) (internship_portal.translated): "
        "the bare column is one language whatever the reader's"
    )


def test_the_scan_finds_a_bare_read_and_passes_the_localized_ones():
    source = (
        'VisitGroup.objects.values_list("visit_id", "group__name")\n'
        'VisitGroup.objects.values("visit_id", *localized("group__name"))\n'
        'SiteVisit.objects.values("title", "host_id")\n'
    )
    assert _bare_reads_in(source, _translated_names()) == [(1, "group__name")]


def _two_hosts(program, group):
    aifc = HostOrganisationFactory(name_en="Astana International Financial Centre", name_ru="МФЦА")
    fund = HostOrganisationFactory(name_en="Baiterek holding", name_ru="Холдинг «Байтерек»")
    first = visit_create(
        program=program, groups=[group], host=aifc, title_en="Financial centre", title_ru="Финансовый центр",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip
    visit_create(
        program=program, groups=[group], host=fund, title_en="Development fund", title_ru="Фонд развития",
        starts_at=local(program, DAY, 12, 20), ends_at=local(program, DAY, 14),
    )  # fmt: skip
    return first


def test_a_tight_connection_names_the_other_host_and_the_group_in_russian(program):
    group = ProjectGroupFactory(program=program, name_en="Group 1: Digital state", name_ru=DIGITAL_STATE_RU)
    first = _two_hosts(program, group)

    with translation.override("ru"):
        warnings = visits_warnings(visits=list(visits_of_program(program=program)))[first.pk]

    [message] = [warning.message for warning in warnings if warning.code == "tight_connection"]
    assert "Холдинг «Байтерек»" in message
    assert DIGITAL_STATE_RU in message
    assert "Baiterek" not in message
    assert "Digital state" not in message


def test_a_group_still_booked_names_its_visits_in_the_readers_language(program):
    group = ProjectGroupFactory(program=program, name_en="Group 1: Digital state", name_ru=DIGITAL_STATE_RU)
    _two_hosts(program, group)

    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        group_delete_check(group=group)

    assert "Финансовый центр" in str(refused.value)
    assert "Financial centre" not in str(refused.value)


@pytest.mark.usefixtures("celery_eager")
def test_feedback_per_visit_and_host_is_in_the_readers_language(program, django_capture_on_commit_callbacks):
    group = ProjectGroupFactory(program=program)
    first = _two_hosts(program, group)
    ParticipantFactory(program=program, group=group)
    survey = survey_create(
        program=program, visit=first, title="After the visit",
        opens_at=local(program, program.start_date, 12) - timedelta(days=30),
        closes_at=local(program, program.end_date, 20) + timedelta(days=30),
        questions=[{"kind": QuestionKind.RATING, "text": "How useful was it?"}],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        survey_send(survey=survey)
    invitation = survey.invitations.get()
    survey_submit(invitation=invitation, answers={str(survey.questions.get().pk): "5"})

    with translation.override("ru"):
        feedback = feedback_by_visit_and_host(program=program)

    assert [visit["title"] for visit in feedback["visits"]] == ["Финансовый центр"]
    assert [host["name"] for host in feedback["hosts"]] == ["МФЦА"]
