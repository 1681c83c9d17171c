"""Shaped reads of surveys: the form behind a secret link, results, feedback per visit and host."""

import hmac
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Avg, Count, QuerySet

from programs.models import Program

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
    return (
        Survey.objects.filter(program=program)
        .select_related("visit", "visit__host")
        .annotate(invited=Count("invitations", distinct=True))
        .order_by("opens_at", "id")
    )


def survey_results(*, survey: Survey) -> dict[str, Any]:
    """Invited, responded, and per question: average and distribution (rating), counts per choice,
    or the texts. Three queries whatever the number of answers."""
    counts = survey.invitations.aggregate(invited=Count("id"), responded=Count("responded_at"))
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    answers = Answer.objects.filter(question__survey=survey, invitation__responded_at__isnull=False).values_list(
        "question_id", "rating", "choice", "text"
    )
    by_question: dict[int, list[tuple]] = defaultdict(list)
    for question_id, rating, choice, text in answers:
        by_question[question_id].append((rating, choice, text))
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
            "question__survey__visit_id", "question__survey__visit__title", "question__survey__visit__starts_at"
        )
        .annotate(average=Avg("rating"), answers=Count("id"), respondents=Count("invitation", distinct=True))
        .order_by("question__survey__visit__starts_at", "question__survey__visit_id")
    )
    per_host = (
        base.exclude(question__survey__visit__host__isnull=True)
        .values("question__survey__visit__host_id", "question__survey__visit__host__name")
        .annotate(average=Avg("rating"), answers=Count("id"), respondents=Count("invitation", distinct=True))
        .order_by("question__survey__visit__host__name")
    )
    return {
        "visits": [
            {
                "id": row["question__survey__visit_id"],
                "title": row["question__survey__visit__title"],
                "starts_at": row["question__survey__visit__starts_at"],
                "average": round(row["average"], 2),
                "answers": row["answers"],
                "respondents": row["respondents"],
            }
            for row in per_visit
        ],
        "hosts": [
            {
                "id": row["question__survey__visit__host_id"],
                "name": row["question__survey__visit__host__name"],
                "average": round(row["average"], 2),
                "answers": row["answers"],
                "respondents": row["respondents"],
            }
            for row in per_host
        ],
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
            values.append("" if answer is None else answer.rating or answer.choice or answer.text)
        participant = invitation.participant
        group = participant.group.name if participant.group_id else ""
        rows.append([participant.full_name, group, invitation.responded_at.isoformat(), *values])
    return header, rows
