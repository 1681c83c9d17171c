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
from django.utils.translation import ngettext

from internship_portal.links import survey_link
from internship_portal.text import refuse_null_characters
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

from .enums import (
    CHOICE_KINDS,
    CHOICE_MAX_LENGTH,
    MAX_CHOICES,
    MAX_NUDGES,
    RATING_MAX,
    RATING_MIN,
    TEXT_MAX_LENGTH,
    QuestionKind,
)
from .exceptions import SurveyClosed
from .models import Answer, Invitation, Question, Survey, new_invitation_token

INVITATION_KIND = "surveys.invitation"
NUDGE_SENDOUT_KIND = "surveys.reminder"
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


def _validate_choices(choices: Any) -> None:
    if not isinstance(choices, list) or not all(isinstance(choice, str) for choice in choices):
        raise ValidationError({"choices": _("Give the choices as a list of texts.")})
    if len(choices) > MAX_CHOICES:
        raise ValidationError({"choices": _("At most %(limit)d choices.") % {"limit": MAX_CHOICES}})
    if any(len(choice) > CHOICE_MAX_LENGTH for choice in choices):
        raise ValidationError(
            {"choices": _("Keep each choice under %(limit)d characters.") % {"limit": CHOICE_MAX_LENGTH}}
        )
    if len(choices) < 2 or not all(choice.strip() for choice in choices) or len(set(choices)) != len(choices):
        raise ValidationError({"choices": _("A choice question needs at least two different choices.")})


def _validate_question(question: Question) -> None:
    if question.kind in CHOICE_KINDS:
        _validate_choices(question.choices)
    else:
        question.choices = []
    question.full_clean(exclude=["survey"])


def _protect_answers(question: Question, *, kind: str, choices: list[str]) -> None:
    """A question that has answers keeps its kind and every choice someone picked: otherwise the
    stored answers would count under another meaning (a rating read as a choice, a renamed
    choice losing its votes). Its text, required flag and order may change, choices may be
    added, and choices nobody picked may be reworded or removed."""
    answered = question.answers.count()
    if not answered:
        return
    if question.kind != kind:
        raise ValidationError(
            {
                "kind": ngettext(
                    "This question has %(count)d answer: its kind cannot change. Add a new question instead.",
                    "This question has %(count)d answers: its kind cannot change. Add a new question instead.",
                    answered,
                )
                % {"count": answered}
            }
        )
    if kind not in CHOICE_KINDS or not isinstance(choices, list):
        return  # a malformed list is refused by _validate_question
    picked: set[str] = set()
    for choice, selected in question.answers.values_list("choice", "selected"):
        picked.update([choice] if choice else selected or [])
    missing = [choice for choice in question.choices if choice in picked and choice not in choices]
    if missing:
        raise ValidationError(
            {
                "choices": _("Answers already picked these choices, so they must stay: %(missing)s.")
                % {"missing": ", ".join(f"“{choice}”" for choice in missing)}
            }
        )


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
    """Change the survey's fields. Fails with ValidationError naming the field; also when the
    visit it is about would change after invitations went out (they went to that visit's visitors,
    and its answers count for that visit and host)."""
    _check_fields(fields, SURVEY_FIELDS)
    if "visit" in fields:
        new_visit_id = fields["visit"].pk if fields["visit"] is not None else None
        if new_visit_id != survey.visit_id and survey.invitations.exists():
            raise ValidationError(
                {"visit": _("Invitations were sent for this survey: what it is about can no longer change.")}
            )
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
    """Change a question. Fails with ValidationError naming the field, also when the change would
    corrupt the answers already given (see `_protect_answers`)."""
    _check_fields(fields, QUESTION_FIELDS)
    stored = Question.objects.select_for_update().get(pk=question.pk)
    _protect_answers(
        stored,
        kind=fields.get("kind", stored.kind),
        choices=fields.get("choices", stored.choices),
    )
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
    """Remove a question and the answers given to it (the organiser's page asks first when
    there are any); the other questions close up their positions."""
    survey = question.survey
    question.delete()
    _renumber(list(survey.questions.order_by("position", "id")))


def _renumber(questions: list[Question]) -> None:
    for position, question in enumerate(questions):
        question.position = position
    Question.objects.bulk_update(questions, ["position"])


@transaction.atomic
def question_move(*, question: Question, offset: int) -> Question:
    """Move the question `offset` places up (negative) or down (positive) in its survey, stopping
    at the first or last place; positions become 0, 1, 2, ... Fails with ValidationError on an
    offset that is not a small whole number."""
    if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > 1000:
        raise ValidationError({"offset": _("Move by a whole number of places.")})
    questions = list(
        Question.objects.select_for_update().filter(survey_id=question.survey_id).order_by("position", "id")
    )
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    moved = questions.pop(index)
    questions.insert(max(0, min(len(questions), index + offset)), moved)
    _renumber(questions)
    question.position = moved.position
    return moved


@transaction.atomic
def questions_reorder(*, survey: Survey, order: list[int]) -> list[Question]:
    """Put the survey's questions in this order (a list of every question id, once each).
    Fails with ValidationError when the list is not exactly the survey's questions."""
    questions = {q.pk: q for q in Question.objects.select_for_update().filter(survey=survey)}
    if (
        not isinstance(order, list)
        or not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in order)
        or sorted(order) != sorted(questions)
    ):
        raise ValidationError({"order": _("Give every question of the survey once.")})
    ordered = [questions[pk] for pk in order]
    _renumber(ordered)
    return ordered


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
    sendout = sendout_create(kind=INVITATION_KIND, program_id=survey.program_id, created_by=actor, label=survey.title)
    ids = notification_enqueue(
        messages=[_invitation_message(invitation, invitation.participant, 0) for invitation in unsent], sendout=sendout
    )
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in unsent]).update(sent_at=now)
    survey.sent_at = survey.sent_at or now
    survey.save(update_fields=["sent_at"])
    return len(ids)


def survey_sendout_name(*, survey: Survey, nudge: bool = False) -> str:
    """What the organiser's pages call a send-out of this survey."""
    if nudge:
        return _("Survey reminder: %(title)s") % {"title": survey.title}
    return _("Survey invitation: %(title)s") % {"title": survey.title}


@transaction.atomic
def survey_nudge(*, survey: Survey, actor: Any = None, now: datetime | None = None) -> int:
    """Remind now, by e-mail, everyone invited who has not answered (one message each, counted
    in their `nudges`, so beat's own reminders stop at MAX_NUDGES in all). Returns how many were
    queued. Fails with SurveyClosed when the survey is not open."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if now < survey.opens_at:
        raise SurveyClosed(_("The survey opens on %(date)s.") % {"date": f"{survey.opens_at:%Y-%m-%d %H:%M}"})
    if now >= survey.closes_at:
        raise SurveyClosed(_("The survey closed on %(date)s.") % {"date": f"{survey.closes_at:%Y-%m-%d %H:%M}"})
    waiting = list(
        Invitation.objects.select_for_update(of=("self",))
        .filter(
            survey=survey, sent_at__isnull=False, responded_at__isnull=True, participant__anonymised_at__isnull=True
        )
        .select_related("participant")
    )
    if not waiting:
        return 0
    sendout = sendout_create(
        kind=NUDGE_SENDOUT_KIND, program_id=survey.program_id, created_by=actor, label=survey.title
    )
    ids = notification_enqueue(
        messages=[_invitation_message(inv, inv.participant, inv.nudges + 1) for inv in waiting], sendout=sendout
    )
    Invitation.objects.filter(pk__in=[inv.pk for inv in waiting]).update(nudges=F("nudges") + 1, last_nudged_at=now)
    return len(ids)


def _clean_answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """The answer's stored fields, None for a skipped optional question; ValidationError if malformed."""
    if question.kind == QuestionKind.MULTIPLE:
        return _clean_multiple(question, raw)
    value = "" if raw is None or isinstance(raw, list | tuple) else str(raw).strip()
    refuse_null_characters({"answer": value})  # the question's key is the caller's
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


def _clean_multiple(question: Question, raw: Any) -> dict[str, Any] | None:
    values = raw if isinstance(raw, list | tuple) else [] if raw is None else [raw]
    ticked = {str(value).strip() for value in values} - {""}
    if not ticked:
        if question.required:
            raise ValidationError(_("Please tick at least one answer."))
        return None
    if not ticked <= set(question.choices):
        raise ValidationError(_("Choose among the offered answers."))
    return {"selected": [choice for choice in question.choices if choice in ticked]}


@transaction.atomic
def survey_submit(*, invitation: Invitation, answers: Mapping[str, Any], now: datetime | None = None) -> Invitation:
    """Store the participant's response, replacing an earlier one (editable until the survey closes).

    `answers` maps question ids (as strings) to raw values (a list of the ticked choices for a
    multiple-choice question). Fails with
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
                    "answer": answer.value,
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
