"""The Propose page: host windows and visit requests (forms, CSV import), a run with progress,
the proposal drawn beside today's visits, apply or discard. Thin: reads through
planning.selectors, writes through planning.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internship_portal.errors import Conflict, InputRefused
from programs.views import organiser_required, program_for

from .forms import ImportForm, ProposeForm, RequestForm, WindowForm, apply_errors
from .models import HostWindow, Proposal, VisitRequest
from .selectors import proposals_of_program, propose_page
from .services import (
    proposal_apply,
    proposal_create,
    proposal_discard,
    request_create,
    request_delete,
    request_update,
    requests_import,
    window_create,
    window_delete,
    window_update,
    windows_import,
)


def _page(request: HttpRequest, program, **forms) -> HttpResponse:
    proposal = None
    wanted = request.GET.get("proposal")
    if wanted and wanted.isdigit():
        proposal = proposals_of_program(program=program).filter(pk=int(wanted)).first()
    context = {
        "program": program,
        **propose_page(program=program, proposal=proposal),
        "propose_form": forms.get("propose_form") or ProposeForm(),
        "window_form": forms.get("window_form") or WindowForm(program=program),
        "request_form": forms.get("request_form") or RequestForm(program=program),
        "import_form": ImportForm(),
        "import_errors": forms.get("import_errors", []),
    }
    return render(request, "planning/propose.html", context, status=forms.get("status", 200))


def _back(program, proposal=None, anchor="") -> HttpResponse:
    url = reverse("planning:propose", kwargs={"slug": program.slug})
    if proposal is not None:
        url += f"?proposal={proposal.pk}"
    return redirect(url + anchor)


@require_http_methods(["GET", "POST"])
@organiser_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            try:
                proposal = proposal_create(program=program, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _back(program, proposal, "#proposal")
        return _page(request, program, propose_form=form, status=400)
    return _page(request, program)


def _window_form_page(request, program, window: HostWindow | None) -> HttpResponse:
    if request.method == "POST":
        form = WindowForm(request.POST, program=program)
        if form.is_valid():
            try:
                if window is None:
                    window_create(program=program, **form.service_fields())
                else:
                    window_update(window=window, **form.service_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The host window is saved."))
                return _back(program, anchor="#windows")
        if window is None:
            return _page(request, program, window_form=form, status=400)
    else:
        tz = program.tzinfo
        start, end = window.starts_at.astimezone(tz), window.ends_at.astimezone(tz)
        form = WindowForm(
            program=program,
            initial={"host": window.host, "day": start.date(), "start": start.time(), "end": end.time(),
                     "capacity": window.capacity},
        )  # fmt: skip
    return render(request, "planning/edit.html", {"program": program, "form": form, "what": "window"})


@require_POST
@organiser_required
def window_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _window_form_page(request, program_for(request, slug), None)


@require_http_methods(["GET", "POST"])
@organiser_required
def window_edit(request: HttpRequest, slug: str, window_id: int) -> HttpResponse:
    program = program_for(request, slug)
    window = get_object_or_404(HostWindow.objects.select_related("host"), pk=window_id, program=program)
    return _window_form_page(request, program, window)


@require_POST
@organiser_required
def window_remove(request: HttpRequest, slug: str, window_id: int) -> HttpResponse:
    program = program_for(request, slug)
    window_delete(window=get_object_or_404(HostWindow, pk=window_id, program=program))
    messages.success(request, _("The host window is removed."))
    return _back(program, anchor="#windows")


def _request_form_page(request, program, visit_request: VisitRequest | None) -> HttpResponse:
    if request.method == "POST":
        form = RequestForm(request.POST, program=program)
        if form.is_valid():
            fields = form.service_fields()
            groups = list(fields.pop("groups"))
            try:
                if visit_request is None:
                    request_create(program=program, groups=groups, **fields)
                else:
                    request_update(request=visit_request, groups=groups, **fields)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The visit request is saved."))
                return _back(program, anchor="#requests")
        if visit_request is None:
            return _page(request, program, request_form=form, status=400)
    else:
        form = RequestForm(
            program=program,
            initial={
                "groups": list(visit_request.groups.all()),
                "host": visit_request.host,
                "duration_minutes": visit_request.duration_minutes,
                "priority": visit_request.priority,
                "title": visit_request.title,
                "not_before": visit_request.not_before,
                "not_after": visit_request.not_after,
            },
        )
    return render(request, "planning/edit.html", {"program": program, "form": form, "what": "request"})


@require_POST
@organiser_required
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _request_form_page(request, program_for(request, slug), None)


@require_http_methods(["GET", "POST"])
@organiser_required
def request_edit(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    program = program_for(request, slug)
    visit_request = get_object_or_404(VisitRequest.objects.select_related("host"), pk=request_id, program=program)
    return _request_form_page(request, program, visit_request)


@require_POST
@organiser_required
def request_remove(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    program = program_for(request, slug)
    request_delete(request=get_object_or_404(VisitRequest, pk=request_id, program=program))
    messages.success(request, _("The visit request is withdrawn."))
    return _back(program, anchor="#requests")


def _upload(request: HttpRequest, slug: str, importer, anchor: str) -> HttpResponse:
    program = program_for(request, slug)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return _back(program, anchor=anchor)
    try:
        outcome = importer(program=program, content=form.cleaned_data["file"].read())
    except InputRefused as exc:
        messages.error(request, str(exc))
        return _back(program, anchor=anchor)
    if outcome.errors:
        messages.error(request, _("Nothing was imported: correct the rows below and upload the file again."))
        return _page(request, program, import_errors=outcome.errors, status=400)
    messages.success(
        request,
        ngettext("%(count)d row imported.", "%(count)d rows imported.", outcome.created) % {"count": outcome.created},
    )
    return _back(program, anchor=anchor)


@require_POST
@organiser_required
def windows_upload(request: HttpRequest, slug: str) -> HttpResponse:
    return _upload(request, slug, windows_import, "#windows")


@require_POST
@organiser_required
def requests_upload(request: HttpRequest, slug: str) -> HttpResponse:
    return _upload(request, slug, requests_import, "#requests")


@require_GET
@organiser_required
def proposal_status(request: HttpRequest, slug: str, proposal_id: int) -> JsonResponse:
    program = program_for(request, slug)
    proposal = get_object_or_404(Proposal.objects.only("id", "status", "program_id"), pk=proposal_id, program=program)
    return JsonResponse({"id": proposal.pk, "status": proposal.status})


@require_POST
@organiser_required
def proposal_apply_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    program = program_for(request, slug)
    proposal = get_object_or_404(Proposal, pk=proposal_id, program=program)
    try:
        ids = proposal_apply(proposal=proposal)
    except Conflict as exc:
        messages.error(request, exc.message)
        return _back(program, proposal, "#proposal")
    messages.success(
        request,
        ngettext(
            "%(count)d visit of the proposal is on the board.",
            "%(count)d visits of the proposal are on the board.",
            len(ids),
        )
        % {"count": len(ids)},
    )
    return redirect(reverse("visits:board", kwargs={"slug": program.slug}) + "?view=all")


@require_POST
@organiser_required
def proposal_discard_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    program = program_for(request, slug)
    proposal_discard(proposal=get_object_or_404(Proposal, pk=proposal_id, program=program))
    messages.success(request, _("The proposal is discarded; the board is as it was."))
    return _back(program)
