"""Shaped reads of surveys: the form behind a secret link, results, feedback per visit and host."""

import hmac
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from internship_portal.translated import localized, row_text
from participants.selectors import participants_of_program
from programs.models import Program
from visits.selectors import visit_visitors

from .enums import RATING_MAX, RATING_MIN, QuestionKind
from .models import Answer, Invitation, Question, Survey


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation behind a survey link, or None (unknown or rotated token)."""
    if not token or len(token) > 64:
        return None
    invitation = (
        Invitation.objects.select_related("survey", "survey__program", "survey__visit", "participant")
        .filter(token=token)
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token, token):
        return None
    return invitation


def surveys_of_program(*, program: Program) -> QuerySet[Survey]:
    """The program's surveys with their visit and host, how many were invited (`invited`) and
    answered (`responded`), and their number of questions (`question_count`). One query."""
    return (
        Survey.objects.filter(program=program)
        .select_related("visit", "visit__host")
        .annotate(
            invited=Count("invitations", distinct=True),
            responded=Count("invitations", filter=Q(invitations__responded_at__isnull=False), distinct=True),
            question_count=Count("questions", distinct=True),
        )
        .order_by("opens_at", "id")
    )


def survey_of_program(*, program: Program, survey_id: int) -> Survey | None:
    """One survey of the program with its visit and host, or None (another program's, or unknown)."""
    return (
        Survey.objects.select_related("visit", "visit__host", "program").filter(program=program, pk=survey_id).first()
    )


def survey_builder(*, survey: Survey) -> dict[str, Any]:
    """What the builder shows: the questions in order, each with its number of answers
    (`answer_count`), and whether invitations exist. Two queries."""
    questions = list(
        Question.objects.filter(survey=survey).annotate(answer_count=Count("answers")).order_by("position", "id")
    )
    return {"questions": questions, "invited": survey.invitations.exists()}


def survey_invitations(*, survey: Survey) -> dict[str, Any]:
    """Who was invited and what each did (invited, answered, nudged), and how many of the
    survey's audience are not invited yet. Three queries, whatever the number of people."""
    invitations = list(
        Invitation.objects.filter(survey=survey)
        .select_related("participant", "participant__group")
        .order_by("participant__last_name", "participant__first_name", "id")
    )
    invited_ids = {invitation.participant_id for invitation in invitations}
    audience = (
        visit_visitors(visit=survey.visit)
        if survey.visit_id is not None
        else participants_of_program(program=survey.program)
    )
    audience_ids = set(audience.values_list("pk", flat=True))
    return {
        "invitations": invitations,
        "answered": sum(1 for invitation in invitations if invitation.responded_at),
        "waiting": sum(
            1
            for invitation in invitations
            if invitation.sent_at and not invitation.responded_at and invitation.participant.anonymised_at is None
        ),
        "not_invited": len(audience_ids - invited_ids),
    }


def survey_results(*, survey: Survey) -> dict[str, Any]:
    """Invited, responded, and per question: average and distribution (rating), counts per choice
    (for multiple choice: how many ticked each), or the texts. Three queries whatever the number
    of answers."""
    counts = survey.invitations.aggregate(invited=Count("id"), responded=Count("responded_at"))
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    answers = Answer.objects.filter(question__survey=survey, invitation__responded_at__isnull=False).values_list(
        "question_id", "rating", "choice", "text", "selected"
    )
    by_question: dict[int, list[tuple]] = defaultdict(list)
    ticked: dict[int, Counter] = defaultdict(Counter)
    for question_id, rating, choice, text, selected in answers:
        by_question[question_id].append((rating, choice, text))
        ticked[question_id].update(selected or [])
    result = []
    for question in questions:
        rows = by_question[question.pk]
        item: dict[str, Any] = {"id": question.pk, "text": question.text, "kind": question.kind, "answered": len(rows)}
        if question.kind == QuestionKind.RATING:
            ratings = [rating for rating, _c, _t in rows if rating is not None]
            tally = Counter(ratings)
            item["average"] = round(sum(ratings) / len(ratings), 2) if ratings else None
            item["distribution"] = {str(value): tally.get(value, 0) for value in range(RATING_MIN, RATING_MAX + 1)}
        elif question.kind == QuestionKind.CHOICE:
            tally = Counter(choice for _r, choice, _t in rows if choice)
            # Counted by the stored choice, named in the reader's language.
            item["distribution"] = {
                question.shown_choice(choice): tally.get(choice, 0) for choice in question.stored_choices()
            }
        elif question.kind == QuestionKind.MULTIPLE:
            tally = ticked[question.pk]
            item["distribution"] = {
                question.shown_choice(choice): tally.get(choice, 0) for choice in question.stored_choices()
            }
        else:
            item["answers"] = [text for _r, _c, text in rows if text]
        result.append(item)
    return {"invited": counts["invited"], "responded": counts["responded"], "questions": result}


def feedback_by_visit_and_host(*, program: Program) -> dict[str, list[dict[str, Any]]]:
    """Average rating and number of rating answers per visit and per host organisation,
    over the program's surveys about visits. Two queries."""
    base = Answer.objects.filter(
        question__survey__program=program,
        question__kind=QuestionKind.RATING,
        question__survey__visit__isnull=False,
        rating__isnull=False,
    )
    per_visit = (
        base.values(
            "question__survey__visit_id",
            *localized("question__survey__visit__title"),
            "question__survey__visit__starts_at",
        )
        .annotate(average=Avg("rating"), answers=Count("id"), respondents=Count("invitation", distinct=True))
        .order_by("question__survey__visit__starts_at", "question__survey__visit_id")
    )
    per_host = (
        base.exclude(question__survey__visit__host__isnull=True)
        .values("question__survey__visit__host_id", *localized("question__survey__visit__host__name"))
        .annotate(average=Avg("rating"), answers=Count("id"), respondents=Count("invitation", distinct=True))
        .order_by("question__survey__visit__host_id")
    )
    return {
        "visits": [
            {
                "id": row["question__survey__visit_id"],
                "title": row_text(row, "question__survey__visit__title"),
                "starts_at": row["question__survey__visit__starts_at"],
                "average": round(row["average"], 2),
                "answers": row["answers"],
                "respondents": row["respondents"],
            }
            for row in per_visit
        ],
        # By name in the reader's language.
        "hosts": sorted(
            (
                {
                    "id": row["question__survey__visit__host_id"],
                    "name": row_text(row, "question__survey__visit__host__name"),
                    "average": round(row["average"], 2),
                    "answers": row["answers"],
                    "respondents": row["respondents"],
                }
                for row in per_host
            ),
            key=lambda host: (host["name"].casefold(), host["id"]),
        ),
    }


def survey_responses_rows(*, survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """One row per response for the CSV export: participant, responded at, one column per question."""
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    invitations = (
        Invitation.objects.filter(survey=survey, responded_at__isnull=False)
        .select_related("participant", "participant__group")
        .prefetch_related("answers")
        .order_by("participant__last_name", "participant__first_name", "id")
    )
    header = ["participant", "group", "responded_at", *[question.text for question in questions]]
    rows = []
    for invitation in invitations:
        answers = {answer.question_id: answer for answer in invitation.answers.all()}
        values = []
        for question in questions:
            answer = answers.get(question.pk)
            # A rating stays a number (a spreadsheet sums it); ticked choices are joined.
            values.append("" if answer is None else answer.rating or answer.value_text)
        participant = invitation.participant
        group = participant.group.name if participant.group_id else ""
        rows.append([participant.full_name, group, invitation.responded_at.isoformat(), *values])
    return header, rows
