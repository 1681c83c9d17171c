"""Survey pages: the participant's form behind a secret link, and the organiser's results.

Domain errors become page messages here, once: SurveyClosed → the "closed"
page (403 on a POST), ValidationError → messages beside the questions (400).
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from internship_portal.spreadsheets import csv_text
from programs.views import organiser_required, program_for

from .exceptions import SurveyClosed
from .forms import SurveyResponseForm
from .models import Survey
from .selectors import feedback_by_visit_and_host, invitation_by_token, survey_responses_rows, survey_results
from .services import survey_send, survey_submit


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
    program = program_for(request, slug)
    survey = get_object_or_404(Survey.objects.select_related("visit", "visit__host"), program=program, pk=survey_id)
    return program, survey


@organiser_required
def survey_results_page(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    program, survey = _survey_for(request, slug, survey_id)
    results = survey_results(survey=survey)
    for question in results["questions"]:
        if "distribution" in question:
            top = max(question["distribution"].values(), default=0) or 1
            question["bars"] = [
                {"label": label, "count": count, "percent": round(100 * count / top)}
                for label, count in question["distribution"].items()
            ]
    return render(request, "surveys/results.html", {"program": program, "survey": survey, "results": results})


@organiser_required
def survey_results_csv(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    _program, survey = _survey_for(request, slug, survey_id)
    header, rows = survey_responses_rows(survey=survey)
    # Answers are free text a participant typed: neutralised like every export.
    response = HttpResponse(csv_text(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.csv"'
    return response


@organiser_required
@require_POST
def survey_send_view(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    from django.contrib import messages

    _program, survey = _survey_for(request, slug, survey_id)
    try:
        count = survey_send(survey=survey, actor=request.user)
    except SurveyClosed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", count) % {"count": count}
        )
    return redirect("surveys:results", slug=slug, survey_id=survey.pk)


@organiser_required
def program_feedback_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    feedback = feedback_by_visit_and_host(program=program)
    for rows in feedback.values():
        for row in rows:
            row["percent"] = round(100 * row["average"] / 5)
    return render(request, "surveys/feedback.html", {"program": program, "feedback": feedback})
