"""Survey pages: the participant's form behind a secret link, and the organiser's pages (the
survey list, the builder, invitations and reminders, results with charts and exports).

Domain errors become page messages here, once: SurveyClosed → the "closed"
page (403 on a POST), ValidationError → messages beside the questions (400).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internship_portal.ids import id_from_text
from internship_portal.spreadsheets import XLSX_CONTENT_TYPE, csv_text, xlsx_bytes
from programs.views import organiser_required, program_for

from .exceptions import SurveyClosed
from .forms import QuestionForm, SurveyForm, SurveyResponseForm
from .models import Question
from .selectors import (
    feedback_by_visit_and_host,
    invitation_by_token,
    survey_builder,
    survey_invitations,
    survey_of_program,
    survey_responses_rows,
    survey_results,
    surveys_of_program,
)
from .services import (
    question_delete,
    question_move,
    questions_reorder,
    survey_nudge,
    survey_send,
    survey_sendout_name,
    survey_submit,
)


@require_http_methods(["GET", "POST"])
def survey_respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return render(request, "surveys/unknown.html", status=404)
    survey = invitation.survey
    language = invitation.participant.language
    with translation.override(language):
        questions = list(survey.questions.all())
        context = {"survey": survey, "invitation": invitation, "language": language}
        now = timezone.now()
        if request.method == "POST":
            form = SurveyResponseForm(request.POST, questions=questions, invitation=invitation)
            try:
                survey_submit(invitation=invitation, answers=form.raw_answers())
            except SurveyClosed as exc:
                return render(request, "surveys/closed.html", {**context, "message": exc.message}, status=403)
            except ValidationError as exc:
                form.is_valid()
                form.errors.clear()  # the service's messages, one per question, replace the form's own
                for key, messages in exc.message_dict.items():
                    form.errors[key if key in form.fields else "__all__"] = ErrorList(messages)
                return render(request, "surveys/form.html", {**context, "form": form}, status=400)
            return redirect(f"{request.path}?saved=1")
        if now < survey.opens_at:
            message = _("The survey opens on %(date)s.") % {"date": f"{survey.opens_at:%Y-%m-%d %H:%M}"}
            return render(request, "surveys/closed.html", {**context, "message": message})
        if now >= survey.closes_at:
            message = _("The survey closed on %(date)s. Thank you.") % {"date": f"{survey.closes_at:%Y-%m-%d %H:%M}"}
            return render(request, "surveys/closed.html", {**context, "message": message})
        form = SurveyResponseForm(questions=questions, invitation=invitation)
        return render(request, "surveys/form.html", {**context, "form": form, "saved": request.GET.get("saved") == "1"})


def _survey_for(request: HttpRequest, slug: str, survey_id: int) -> tuple:
    """The program (if the user organises it) and its survey, else 404."""
    program = program_for(request, slug)
    survey = survey_of_program(program=program, survey_id=survey_id)
    if survey is None:
        raise Http404("No such survey in this program.")
    survey.program = program
    return program, survey


@require_GET
@organiser_required
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    now = timezone.now()
    surveys = list(surveys_of_program(program=program))
    for survey in surveys:
        survey.state = "upcoming" if now < survey.opens_at else "open" if now < survey.closes_at else "closed"
    return render(request, "surveys/survey_list.html", {"program": program, "surveys": surveys})


@require_http_methods(["GET", "POST"])
@organiser_required
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    if request.method == "POST":
        form = SurveyForm(request.POST, program=program)
        if form.is_valid():
            survey = form.save()
            if survey is not None:
                messages.success(
                    request, _("Survey “%(title)s” created. Now add its questions.") % {"title": survey.title}
                )
                return redirect("surveys:edit", slug=slug, survey_id=survey.pk)
        return render(request, "surveys/survey_new.html", {"program": program, "form": form}, status=400)
    start = program.starts_at()
    initial = {"opens_at": start, "closes_at": program.ends_before() + timedelta(days=7)}
    if visit_pk := id_from_text(request.GET.get("visit")):
        initial["visit"] = visit_pk
    form = SurveyForm(program=program, initial=initial)
    return render(request, "surveys/survey_new.html", {"program": program, "form": form})


def _builder(
    request: HttpRequest,
    program,
    survey,
    *,
    survey_form: SurveyForm | None = None,
    bound: QuestionForm | None = None,
    new_form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The builder: the survey's form, a form per question (`bound` replaces the one it edits,
    with its messages), and the form for a new question."""
    data = survey_builder(survey=survey)
    rows = []
    for question in data["questions"]:
        if bound is not None and bound.question is not None and bound.question.pk == question.pk:
            form = bound
        else:
            form = QuestionForm(question=question, prefix=f"q{question.pk}")
        if question.answer_count:
            form.fields["kind"].disabled = True
            form.fields["kind"].help_text = _("Fixed: the question has answers.")
        rows.append({"question": question, "form": form})
    context = {
        "program": program,
        "survey": survey,
        "survey_form": survey_form or SurveyForm(initial=SurveyForm.initial_for(survey), program=program),
        "rows": rows,
        "new_form": new_form or QuestionForm(prefix="new"),
        "invited": data["invited"],
    }
    if data["invited"]:
        context["survey_form"].fields["visit"].disabled = True
    return render(request, "surveys/builder.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organiser_required
def survey_edit(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    program, survey = _survey_for(request, slug, survey_id)
    if request.method == "POST":
        form = SurveyForm(request.POST, program=program, initial=SurveyForm.initial_for(survey))
        if survey.invitations.exists():
            form.fields["visit"].disabled = True  # the posted value is ignored; the service would refuse a change
        if form.is_valid() and form.save(survey=survey) is not None:
            messages.success(request, _("Survey “%(title)s” saved.") % {"title": survey.title})
            return redirect("surveys:edit", slug=slug, survey_id=survey.pk)
        survey.refresh_from_db()
        return _builder(request, program, survey, survey_form=form, status=400)
    return _builder(request, program, survey)


def _question_of(survey, question_id: int) -> Question:
    return get_object_or_404(Question.objects.filter(survey=survey), pk=question_id)


@require_POST
@organiser_required
def question_new(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    program, survey = _survey_for(request, slug, survey_id)
    form = QuestionForm(request.POST, prefix="new")
    if form.is_valid():
        question = form.save(survey=survey)
        if question is not None:
            messages.success(request, _("Question added."))
            return redirect(f"{reverse('surveys:edit', args=[slug, survey.pk])}#question-{question.pk}")
    return _builder(request, program, survey, new_form=form, status=400)


@require_POST
@organiser_required
def question_edit(request: HttpRequest, slug: str, survey_id: int, question_id: int) -> HttpResponse:
    program, survey = _survey_for(request, slug, survey_id)
    question = _question_of(survey, question_id)
    form = QuestionForm(request.POST, question=question, prefix=f"q{question.pk}")
    if question.answers.exists():
        form.fields["kind"].disabled = True  # the posted kind is ignored: the question keeps its own
    if form.is_valid() and form.save(survey=survey) is not None:
        messages.success(request, _("Question saved."))
        return redirect(f"{reverse('surveys:edit', args=[slug, survey.pk])}#question-{question.pk}")
    return _builder(request, program, survey, bound=form, status=400)


@require_POST
@organiser_required
def question_move_view(request: HttpRequest, slug: str, survey_id: int, question_id: int) -> HttpResponse:
    _program, survey = _survey_for(request, slug, survey_id)
    question = _question_of(survey, question_id)
    offset = {"up": -1, "down": 1, "first": -1000, "last": 1000}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, _("Move the question up or down."))
    else:
        question_move(question=question, offset=offset)
    return redirect(f"{reverse('surveys:edit', args=[slug, survey.pk])}#question-{question.pk}")


@require_POST
@organiser_required
def questions_reorder_view(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    """The builder's drag and drop: `order` lists every question id, comma-separated. Answers 204
    to the script (400 with the message when the list is wrong); without a script the up and
    down buttons do the same."""
    _program, survey = _survey_for(request, slug, survey_id)
    text = request.POST.get("order", "")[:10_000]
    try:
        order = [int(part) for part in text.split(",")] if text else []
        questions_reorder(survey=survey, order=order)
    except (ValueError, ValidationError) as error:
        message = (
            error.messages[0] if isinstance(error, ValidationError) else _("Give every question of the survey once.")
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)


@require_POST
@organiser_required
def question_delete_view(request: HttpRequest, slug: str, survey_id: int, question_id: int) -> HttpResponse:
    _program, survey = _survey_for(request, slug, survey_id)
    question = _question_of(survey, question_id)
    answers = question.answers.count()
    if answers and request.POST.get("confirm") != "yes":
        messages.error(
            request,
            ngettext(
                "This question has %(count)d answer. Tick “also delete its answers” to delete it.",
                "This question has %(count)d answers. Tick “also delete its answers” to delete it.",
                answers,
            )
            % {"count": answers},
        )
        return redirect(f"{reverse('surveys:edit', args=[slug, survey.pk])}#question-{question.pk}")
    question_delete(question=question)
    messages.success(request, _("Question deleted."))
    return redirect("surveys:edit", slug=slug, survey_id=survey.pk)


@require_GET
@organiser_required
def survey_results_page(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    program, survey = _survey_for(request, slug, survey_id)
    results = survey_results(survey=survey)
    feedback = feedback_by_visit_and_host(program=program)
    context = {
        "program": program,
        "survey": survey,
        "results": results,
        "feedback": feedback,
        "visit_bars": [(_visit_label(row, program), row["average"]) for row in feedback["visits"]],
        "host_bars": [(row["name"], row["average"]) for row in feedback["hosts"]],
        "this_visit": _visit_label({"title": survey.visit.title, "starts_at": survey.visit.starts_at}, program)
        if survey.visit_id
        else None,
    }
    return render(request, "surveys/results.html", context)


def _visit_label(row: dict, program) -> str:
    return f"{row['starts_at'].astimezone(program.tzinfo):%d.%m} · {row['title']}"


@require_GET
@organiser_required
def survey_results_csv(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    _program, survey = _survey_for(request, slug, survey_id)
    header, rows = survey_responses_rows(survey=survey)
    # Answers are free text a participant typed: neutralised like every export.
    response = HttpResponse(csv_text(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.csv"'
    return response


@require_GET
@organiser_required
def survey_results_xlsx(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    """The responses (one row each) and a summary sheet (per question: average, counts per answer)."""
    _program, survey = _survey_for(request, slug, survey_id)
    header, rows = survey_responses_rows(survey=survey)
    results = survey_results(survey=survey)
    summary: list[list] = []
    for question in results["questions"]:
        summary.append([question["text"], _("Answers"), question["answered"]])
        if question.get("average") is not None:
            summary.append(["", _("Average"), question["average"]])
        for label, count in question.get("distribution", {}).items():
            summary.append(["", label, count])
        for text in question.get("answers", []):
            summary.append(["", text, ""])
    content = xlsx_bytes(
        sheets=[
            (_("Responses"), header, rows),
            (_("Summary"), [_("Question"), _("Answer"), _("Count")], summary),
        ]
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.xlsx"'
    return response


@require_GET
@organiser_required
def survey_invitations_page(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    program, survey = _survey_for(request, slug, survey_id)
    now = timezone.now()
    context = {
        "program": program,
        "survey": survey,
        "is_open": survey.opens_at <= now < survey.closes_at,
        "is_closed": now >= survey.closes_at,
        **survey_invitations(survey=survey),
    }
    return render(request, "surveys/invitations.html", context)


def _queue_sendout(request: HttpRequest, slug: str, survey_id: int, queue, queued, *, nudge: bool) -> HttpResponse:
    """Queue a send-out through `queue` and say how many (`queued`, a plural on "count") or why the
    survey refused; back to its invitations either way."""
    _program, survey = _survey_for(request, slug, survey_id)
    try:
        count = queue(survey=survey, actor=request.user)
    except SurveyClosed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, queued % {"count": count, "name": survey_sendout_name(survey=survey, nudge=nudge)})
    return redirect("surveys:invitations", slug=slug, survey_id=survey.pk)


@organiser_required
@require_POST
def survey_send_view(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    queued = ngettext_lazy("%(name)s: %(count)d invitation queued.", "%(name)s: %(count)d invitations queued.", "count")
    return _queue_sendout(request, slug, survey_id, survey_send, queued, nudge=False)


@organiser_required
@require_POST
def survey_nudge_view(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    queued = ngettext_lazy("%(name)s: %(count)d reminder queued.", "%(name)s: %(count)d reminders queued.", "count")
    return _queue_sendout(request, slug, survey_id, survey_nudge, queued, nudge=True)


@require_GET
@organiser_required
def program_feedback_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    feedback = feedback_by_visit_and_host(program=program)
    context = {
        "program": program,
        "feedback": feedback,
        "visit_bars": [(_visit_label(row, program), row["average"]) for row in feedback["visits"]],
        "host_bars": [(row["name"], row["average"]) for row in feedback["hosts"]],
    }
    return render(request, "surveys/feedback.html", context)
