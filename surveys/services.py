"""Writes to surveys: creating them, inviting participants, storing answers, beat's sending and nudging.

Invitations are e-mailed through the outbox (`notifications`), rendered at
send time by `render_invitation` in the participant's language.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from internship_portal.links import survey_link
from internship_portal.translated import with_translations
from notices.services import render_email
from notifications.registry import PermanentFailure, RenderedMessage
from notifications.selectors import notifications_by_payload
from notifications.services import (
    OutgoingMessage,
    notification_enqueue,
    notifications_erase_recipient,
    sendout_create,
)
from participants.models import Participant
from participants.selectors import participants_of_program
from programs.models import Program
from visits.selectors import visit_visitors

from .enums import MAX_NUDGES, RATING_MAX, RATING_MIN, TEXT_MAX_LENGTH, QuestionKind
from .exceptions import SurveyClosed
from .models import Answer, Invitation, Question, Survey, new_invitation_token

INVITATION_KIND = "surveys.invitation"
# The texts also in each language (`title_ru`, ...: internship_portal.translated).
SURVEY_FIELDS = with_translations(
    ("title", "intro", "opens_at", "closes_at", "visit", "send_after_hours"), ("title", "intro")
)
QUESTION_FIELDS = with_translations(("kind", "text", "choices", "required", "position"), ("text", "choices"))


def _check_fields(fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})


SURVEY_EARLIEST_BEFORE_START = timedelta(days=366)


def _validate_survey(survey: Survey) -> None:
    errors: dict[str, str] = {}
    if survey.visit is not None and survey.visit.program_id != survey.program_id:
        errors["visit"] = _("The visit belongs to another program.")
    if survey.send_after_hours is not None and survey.visit is None:
        errors["send_after_hours"] = _("Only a survey about a visit can be sent after it.")
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    # Feedback is asked about the program, so not long before it starts (a date
    # in another century is a typing error, and far-past local times carry
    # pre-standard offsets that ISO 8601 cannot even write).
    earliest = survey.program.starts_at() - SURVEY_EARLIEST_BEFORE_START
    for name in ("opens_at", "closes_at"):
        value = getattr(survey, name)
        if value and value < earliest and name not in errors:
            errors[name] = _("Choose a time after %(earliest)s, at most a year before the program starts.") % {
                "earliest": f"{earliest:%Y-%m-%d}"
            }
    if errors:
        raise ValidationError(errors)
    survey.full_clean(exclude=["program", "visit"])


def _validate_question(question: Question) -> None:
    if question.kind == QuestionKind.CHOICE:
        choices = question.choices
        if (
            not isinstance(choices, list)
            or len(choices) < 2
            or not all(isinstance(c, str) and c.strip() and len(c) <= 200 for c in choices)
            or len(set(choices)) != len(choices)
        ):
            raise ValidationError({"choices": _("A single-choice question needs at least two different choices.")})
    else:
        question.choices = []
    question.full_clean(exclude=["survey"])


def question_check(*, kind: str, text: str, choices: Any = (), required: bool = True, position: int = 0) -> None:
    """Validate a question without writing it (a form checks its rows before the survey exists).
    Fails like question_create."""
    _validate_question(Question(kind=kind, text=text, choices=choices, required=required, position=position))


@transaction.atomic
def survey_create(*, program: Program, questions: Iterable[Mapping[str, Any]] = (), **fields: Any) -> Survey:
    """Create a survey with its questions. Fails with ValidationError naming the field."""
    _check_fields(fields, SURVEY_FIELDS)
    survey = Survey(program=program, **fields)
    _validate_survey(survey)
    survey.save()
    for position, data in enumerate(questions):
        question_create(survey=survey, **{"position": position, **data})
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, **fields: Any) -> Survey:
    _check_fields(fields, SURVEY_FIELDS)
    for name, value in fields.items():
        setattr(survey, name, value)
    _validate_survey(survey)
    survey.save()
    return survey


@transaction.atomic
def question_create(*, survey: Survey, **fields: Any) -> Question:
    _check_fields(fields, QUESTION_FIELDS)
    if "position" not in fields:  # a new question goes last
        last = survey.questions.aggregate(last=Max("position"))["last"]
        fields["position"] = 0 if last is None else last + 1
    question = Question(survey=survey, **fields)
    _validate_question(question)
    question.save()
    return question


@transaction.atomic
def question_update(*, question: Question, **fields: Any) -> Question:
    _check_fields(fields, QUESTION_FIELDS)
    for name, value in fields.items():
        setattr(question, name, value)
    _validate_question(question)
    question.save()
    return question


@transaction.atomic
def survey_delete(*, survey: Survey) -> None:
    """Delete a survey with its questions, invitations and answers."""
    survey.delete()


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Remove a question and the answers given to it."""
    question.delete()


def survey_is_open(*, survey: Survey, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return survey.opens_at <= now < survey.closes_at


def _invitation_message(invitation: Invitation, participant: Participant, nudge: int) -> OutgoingMessage:
    return OutgoingMessage(
        kind=INVITATION_KIND,
        recipient_email=participant.email,
        recipient_name=participant.full_name,
        language=participant.language,
        payload={"invitation_id": invitation.pk, "nudge": nudge},
        idempotency_key=f"survey-invitation:{invitation.pk}:{nudge}",
    )


def _recipients(survey: Survey) -> list[Participant]:
    if survey.visit_id is not None:
        return list(visit_visitors(visit=survey.visit))
    return list(participants_of_program(program=survey.program))


@transaction.atomic
def survey_send(*, survey: Survey, actor: Any = None, now: datetime | None = None) -> int:
    """Invite everyone the survey is for (the visit's visitors, or the whole program) who has
    not been invited yet: one invitation and one e-mail each. Returns how many were queued.
    Fails with SurveyClosed once the survey has closed."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update(of=("self",)).select_related("visit", "program").get(pk=survey.pk)
    if now >= survey.closes_at:
        raise SurveyClosed(_("The survey closed on %(date)s.") % {"date": f"{survey.closes_at:%Y-%m-%d %H:%M}"})
    participants = _recipients(survey)
    invited = set(survey.invitations.values_list("participant_id", flat=True))
    Invitation.objects.bulk_create(
        [
            Invitation(survey=survey, participant=p, token=new_invitation_token())
            for p in participants
            if p.pk not in invited
        ],
        batch_size=500,
    )
    unsent = list(
        survey.invitations.filter(sent_at__isnull=True, participant__anonymised_at__isnull=True).select_related(
            "participant"
        )
    )
    sendout = sendout_create(kind=INVITATION_KIND, program_id=survey.program_id, created_by=actor)
    ids = notification_enqueue(
        messages=[_invitation_message(invitation, invitation.participant, 0) for invitation in unsent], sendout=sendout
    )
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in unsent]).update(sent_at=now)
    survey.sent_at = survey.sent_at or now
    survey.save(update_fields=["sent_at"])
    return len(ids)


def _clean_answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """The answer's stored fields, None for a skipped optional question; ValidationError if malformed."""
    value = "" if raw is None else str(raw).strip()
    if not value:
        if question.required:
            raise ValidationError(_("Please answer this question."))
        return None
    if question.kind == QuestionKind.RATING:
        try:
            rating = int(value)
        except ValueError:
            rating = None
        if rating is None or not RATING_MIN <= rating <= RATING_MAX:
            raise ValidationError(_("Choose a rating from 1 to 5."))
        return {"rating": rating}
    if question.kind == QuestionKind.CHOICE:
        stored = question.stored_choice(value)
        if stored is None:
            raise ValidationError(_("Choose one of the offered answers."))
        return {"choice": stored}
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Please keep the answer under %(limit)d characters (it has %(length)d).")
            % {"limit": TEXT_MAX_LENGTH, "length": len(value)}
        )
    return {"text": value}


@transaction.atomic
def survey_submit(*, invitation: Invitation, answers: Mapping[str, Any], now: datetime | None = None) -> Invitation:
    """Store the participant's response, replacing an earlier one (editable until the survey closes).

    `answers` maps question ids (as strings) to raw values. Fails with
    SurveyClosed outside the survey's dates and with ValidationError keyed
    `q<id>` for every malformed answer; nothing is stored then."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    survey = invitation.survey
    if now < survey.opens_at:
        raise SurveyClosed(_("The survey opens on %(date)s.") % {"date": f"{survey.opens_at:%Y-%m-%d %H:%M}"})
    if now >= survey.closes_at:
        raise SurveyClosed(_("The survey closed on %(date)s.") % {"date": f"{survey.closes_at:%Y-%m-%d %H:%M}"})
    errors: dict[str, list[str]] = {}
    cleaned: list[Answer] = []
    for question in survey.questions.all():
        try:
            fields = _clean_answer(question, answers.get(str(question.pk)))
        except ValidationError as exc:
            errors[f"q{question.pk}"] = exc.messages
            continue
        if fields is not None:
            cleaned.append(Answer(invitation=invitation, question=question, **fields))
    if errors:
        raise ValidationError(errors)
    invitation.answers.all().delete()
    Answer.objects.bulk_create(cleaned)
    invitation.responded_at = now
    invitation.save(update_fields=["responded_at"])
    return invitation


@transaction.atomic
def invitation_rotate_token(*, invitation: Invitation) -> Invitation:
    """Give the invitation a new secret link; the old one stops working."""
    invitation.token = new_invitation_token()
    invitation.save(update_fields=["token"])
    return invitation


def surveys_send_due(*, now: datetime | None = None) -> dict[str, int]:
    """Beat: send visit surveys whose hours-after-the-visit have passed, and nudge (at most
    twice, `SURVEY_NUDGE_AFTER_HOURS` apart) those who have not answered an open survey."""
    now = now or timezone.now()
    sent = 0
    due = Survey.objects.filter(
        sent_at__isnull=True, send_after_hours__isnull=False, visit__isnull=False, closes_at__gt=now
    ).select_related("visit")
    for survey in due:
        if survey.visit.ends_at + timedelta(hours=survey.send_after_hours) <= now:
            sent += survey_send(survey=survey, now=now)
    gap = timedelta(hours=int(getattr(settings, "SURVEY_NUDGE_AFTER_HOURS", 48)))
    waiting = (
        Invitation.objects.filter(
            responded_at__isnull=True,
            participant__anonymised_at__isnull=True,
            sent_at__lte=now - gap,
            nudges__lt=MAX_NUDGES,
            survey__opens_at__lte=now,
            survey__closes_at__gt=now,
        )
        .filter(Q(last_nudged_at__isnull=True) | Q(last_nudged_at__lte=now - gap))
        .select_related("participant", "survey")
    )
    nudged = 0
    for invitation in waiting:
        with transaction.atomic():
            # Counted under the row's own condition, so two beats racing nudge once.
            updated = Invitation.objects.filter(
                pk=invitation.pk, nudges=invitation.nudges, responded_at__isnull=True
            ).update(nudges=F("nudges") + 1, last_nudged_at=now)
            if updated:
                nudged += len(
                    notification_enqueue(
                        messages=[_invitation_message(invitation, invitation.participant, invitation.nudges + 1)]
                    )
                )
    return {"sent": sent, "nudged": nudged}


def survey_url(invitation: Invitation) -> str:
    return survey_link(invitation.token)


def render_invitation(payload: dict, language: str) -> RenderedMessage:
    invitation = (
        Invitation.objects.select_related("survey", "survey__program", "survey__visit", "participant")
        .filter(pk=payload.get("invitation_id"))
        .first()
    )
    if invitation is None:
        raise PermanentFailure("the invitation no longer exists")
    if invitation.participant.anonymised_at is not None:
        raise PermanentFailure("the participant was anonymised")
    context = {
        "participant": invitation.participant,
        "survey": invitation.survey,
        "program": invitation.survey.program,
        "url": survey_url(invitation),
        "nudge": payload.get("nudge", 0),
    }
    subject, text, html = render_email("survey_invitation", language, context)
    return RenderedMessage(subject=subject, text=text, html=html)


def participant_invitations_erase(participant: Participant) -> None:
    """An anonymised participant: their invitation links stop working and the outbox forgets
    their address (nothing more goes out); their answers stay, unnamed, in the results."""
    invitations = list(Invitation.objects.filter(participant=participant))
    for invitation in invitations:
        invitation.token = new_invitation_token()
    Invitation.objects.bulk_update(invitations, ["token"])
    notifications_erase_recipient(key="invitation_id", values=[invitation.pk for invitation in invitations])


def participant_surveys_export(participant: Participant) -> list[dict[str, Any]]:
    """The participant's survey invitations and answers, for their personal data export."""
    invitations = (
        Invitation.objects.filter(participant=participant)
        .select_related("survey", "survey__visit")
        .prefetch_related("answers__question")
        .order_by("survey__opens_at", "id")
    )
    return [
        {
            "survey": invitation.survey.title,
            "visit": invitation.survey.visit.title if invitation.survey.visit_id else None,
            "sent_at": invitation.sent_at.isoformat() if invitation.sent_at else None,
            "nudges": invitation.nudges,
            "last_nudged_at": invitation.last_nudged_at.isoformat() if invitation.last_nudged_at else None,
            "responded_at": invitation.responded_at.isoformat() if invitation.responded_at else None,
            "answers": [
                {
                    "question": answer.question.text,
                    "answer": answer.rating if answer.rating is not None else (answer.choice or answer.text),
                }
                for answer in sorted(invitation.answers.all(), key=lambda a: (a.question.position, a.question.pk))
            ],
        }
        for invitation in invitations
    ]


def participant_invitation_messages_export(participant: Participant) -> list[dict[str, Any]]:
    """The survey invitations and nudges e-mailed to the participant."""
    ids = Invitation.objects.filter(participant=participant).values_list("pk", flat=True)
    return notifications_by_payload(key="invitation_id", values=ids)
