"""Personal data: export on request, anonymise on request and after the retention period."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participants import privacy
from participants.models import Participant
from participants.privacy import participant_anonymise, participant_export, participants_anonymise_expired
from participants.selectors import groups_of_program, participant_by_token
from tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_export_holds_the_participants_fields_program_and_group(program, group):
    participant = ParticipantFactory(program=program, group=group, phone="+7 900 123 4567", notes="Vegetarian meals.")

    data = participant_export(participant=participant)

    assert data["participant"]["email"] == participant.email
    assert data["participant"]["phone"] == "+7 900 123 4567"
    assert data["participant"]["notes"] == "Vegetarian meals."
    assert data["program"]["slug"] == program.slug
    assert data["group"]["name"] == group.name
    json.dumps(data)  # JSON-ready


def test_export_includes_sections_registered_by_other_apps(program, monkeypatch):
    participant = ParticipantFactory(program=program)
    monkeypatch.setattr(privacy, "_exporters", {"surveys": lambda p: [{"answer": f"from {p.pk}"}]})

    data = participant_export(participant=participant)

    assert data["surveys"] == [{"answer": f"from {participant.pk}"}]


def test_anonymise_erases_personal_fields_and_keeps_statistics(program, group):
    user = get_user_model().objects.create_user("antonov", password="pw-for-tests-only")
    participant = ParticipantFactory(program=program, group=group, user=user, phone="+7 900 123 4567")
    ParticipantFactory(program=program, group=group)
    old_token = participant.access_token

    participant_anonymise(participant=participant)

    participant.refresh_from_db()
    assert participant.first_name == f"Participant {participant.pk}"
    assert (participant.last_name, participant.patronymic, participant.phone, participant.position) == ("", "", "", "")
    assert participant.email.endswith("@invalid.invalid")
    assert participant.user is None
    assert participant.anonymised_at is not None
    assert participant_by_token(token=old_token) is None
    # Group sizes, region and language stay for the program's statistics.
    assert {g.name: g.participant_count for g in groups_of_program(program=program)} == {group.name: 2}
    assert participant.region == "Tomsk Region"
    assert participant.language == "ru"


def test_anonymised_coordinator_no_longer_coordinates_the_group(program, group):
    coordinator = ParticipantFactory(program=program, group=group)
    group.coordinator = coordinator
    group.save()

    participant_anonymise(participant=coordinator)

    group.refresh_from_db()
    assert group.coordinator is None
    assert {g.name: g.participant_count for g in groups_of_program(program=program)} == {group.name: 1}


def test_anonymise_runs_registered_anonymisers(program, monkeypatch):
    participant = ParticipantFactory(program=program)
    seen = []
    monkeypatch.setattr(privacy, "_anonymisers", {"surveys": lambda p: seen.append(p.pk)})

    participant_anonymise(participant=participant)

    assert seen == [participant.pk]


def test_retention_anonymises_only_programs_past_the_period(settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    old = ProgramFactory(start_date=date(2025, 3, 1), end_date=date(2025, 3, 10))
    recent = ProgramFactory(start_date=date(2026, 3, 1), end_date=date(2026, 3, 10))
    expired = ParticipantFactory(program=old)
    kept = ParticipantFactory(program=recent)

    count = participants_anonymise_expired(today=date(2026, 11, 29))

    assert count == 1
    assert Participant.objects.get(pk=expired.pk).anonymised_at is not None
    assert Participant.objects.get(pk=kept.pk).email == kept.email
    assert participants_anonymise_expired(today=date(2026, 11, 29)) == 0


@pytest.mark.parametrize(
    ("today", "months", "cutoff"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 12, date(2025, 1, 15)),
        (date(2026, 1, 15), 2, date(2025, 11, 15)),
    ],
)
def test_retention_cutoff_month_arithmetic(today, months, cutoff):
    assert privacy.retention_cutoff(today=today, months=months) == cutoff


def test_export_participant_command_prints_json(program):
    participant = ParticipantFactory(program=program)
    out = StringIO()

    call_command("export_participant", str(participant.pk), stdout=out)

    assert json.loads(out.getvalue())["participant"]["email"] == participant.email


def test_admin_actions_export_and_anonymise(client, program):
    participant = ParticipantFactory(program=program)
    client.force_login(get_user_model().objects.create_superuser("root", "r@x.example", "pw-for-tests-only"))
    url = "/admin/participants/participant/"

    exported = client.post(url, {"action": "export_personal_data", "_selected_action": [participant.pk]})
    anonymised = client.post(url, {"action": "anonymise", "_selected_action": [participant.pk]})

    assert exported["Content-Type"].startswith("application/json")
    assert json.loads(exported.content)[0]["participant"]["email"] == participant.email
    assert anonymised.status_code == 302
    assert Participant.objects.get(pk=participant.pk).anonymised_at is not None


@pytest.fixture
def organiser_client(client, program):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("alia", password="pw-for-tests-only")
    user.groups.add(Group.objects.get_or_create(name="organisers")[0])
    program.organisers.add(user)
    client.force_login(user)
    return client


def test_organiser_page_exports_personal_data(organiser_client, program):
    participant = ParticipantFactory(program=program)
    base = f"/organiser/programs/{program.slug}/participants/{participant.pk}/"

    page = organiser_client.get(base)
    download = organiser_client.get(base + "personal-data.json")

    assert "personal-data.json" in page.content.decode()
    assert download.status_code == 200
    assert json.loads(download.content)["participant"]["email"] == participant.email


def test_organiser_page_anonymises_only_with_confirmation(organiser_client, program):
    participant = ParticipantFactory(program=program)
    url = f"/organiser/programs/{program.slug}/participants/{participant.pk}/anonymise/"

    unconfirmed = organiser_client.post(url)
    assert unconfirmed.status_code == 302
    assert Participant.objects.get(pk=participant.pk).anonymised_at is None

    organiser_client.post(url, {"confirm": "yes"})
    assert Participant.objects.get(pk=participant.pk).anonymised_at is not None


def test_organiser_of_another_program_cannot_export_or_anonymise(organiser_client):
    stranger = ParticipantFactory(program=ProgramFactory())
    base = f"/organiser/programs/{stranger.program.slug}/participants/{stranger.pk}/"

    assert organiser_client.get(base + "personal-data.json").status_code == 404
    assert organiser_client.post(base + "anonymise/", {"confirm": "yes"}).status_code == 404
    assert Participant.objects.get(pk=stranger.pk).anonymised_at is None


def test_retention_runs_daily_from_beat(settings):
    from internship_portal.celery import app

    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    app.loader.import_default_modules()  # what a worker does at start: autodiscover each app's tasks

    assert entries["participants.anonymise_expired"] == 86400.0
    assert "participants.anonymise_expired" in app.tasks


def test_export_participant_command_includes_surveys_messages_itinerary_and_history(
    program, group, host, celery_eager, django_capture_on_commit_callbacks
):
    from notices.services import schedule_send
    from participants.services import participant_update
    from surveys.enums import QuestionKind
    from surveys.services import survey_create, survey_send, survey_submit
    from tests.factories import local
    from visits.services import visit_create

    participant = ParticipantFactory(program=program, group=group, language="en", position="Deputy minister")
    visit = visit_create(
        program=program, groups=[group], host=host, title="Astana Hub",
        starts_at=local(program, program.start_date, 10), ends_at=local(program, program.start_date, 12),
    )  # fmt: skip
    survey = survey_create(
        program=program,
        title="How was the program?",
        opens_at=visit.starts_at - timedelta(days=30),
        closes_at=visit.ends_at + timedelta(days=30),
        questions=[{"kind": QuestionKind.RATING, "text": "Overall"}, {"kind": QuestionKind.TEXT, "text": "Remarks"}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule_send(program=program)
        survey_send(survey=survey)
    invitation = survey.invitations.get()
    overall, remarks = survey.questions.order_by("position")
    survey_submit(
        invitation=invitation, answers={str(overall.pk): "5", str(remarks.pk): "Very useful."}, now=visit.ends_at
    )
    participant_update(participant=participant, position="Minister")
    out = StringIO()

    call_command("export_participant", str(participant.pk), stdout=out)

    data = json.loads(out.getvalue())
    (answered,) = data["surveys"]
    assert answered["survey"] == "How was the program?"
    assert answered["sent_at"] is not None
    assert answered["responded_at"] is not None
    assert [(a["question"], a["answer"]) for a in answered["answers"]] == [("Overall", 5), ("Remarks", "Very useful.")]
    messages = {message["kind"]: message for message in data["messages"]}
    assert set(messages) == {"visits.schedule", "surveys.invitation"}
    assert messages["visits.schedule"]["subject"] == f"Your itinerary: {program.title}"
    assert messages["visits.schedule"]["status"] == "sent"
    assert messages["visits.schedule"]["recipient_email"] == participant.email
    assert messages["visits.schedule"]["sent_at"] is not None
    assert messages["surveys.invitation"]["subject"] == "How was the program?"
    itinerary = data["notified_itinerary"]
    assert itinerary["revision"] == 1
    # Each text in every language, as the change notices compare them.
    assert [entry["title"] for entry in itinerary["snapshot"].values()] == [{"en": "Astana Hub", "ru": "", "kk": ""}]
    assert [(record["type"], record["position"]) for record in data["history"]] == [
        ("created", "Deputy minister"),
        ("changed", "Minister"),
    ]
