"""The Propose page: host windows and visit requests (forms, CSV import), a run with progress,
the proposal drawn beside today's visits, apply or discard. Thin: reads through
planning.selectors, writes through planning.services."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internship_portal.errors import Conflict, InputRefused
from internship_portal.ids import id_from_text
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
    if wanted := id_from_text(request.GET.get("proposal")):
        proposal = proposals_of_program(program=program).filter(pk=wanted).first()
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
            except Conflict as exc:  # another proposal of the program is still being made
                form.add_error(None, exc.message)
            else:
                return _back(program, proposal, "#proposal")
        return _page(request, program, propose_form=form, status=400)
    return _page(request, program)


@dataclass(frozen=True)
class _Editable:
    """What differs between the host-window and the visit-request forms: the rest is shared."""

    what: str  # "window" or "request": the edit page's heading, and "<what>_form" on the Propose page
    model: type[HostWindow | VisitRequest]
    form_class: type[WindowForm | RequestForm]
    create: Callable[..., object]  # create(program=..., **fields)
    update: Callable[..., object]  # update(<instance_kwarg>=..., **fields)
    delete: Callable[..., None]  # delete(<instance_kwarg>=...)
    instance_kwarg: str
    anchor: str
    saved: str
    removed: str


_WINDOWS = _Editable(
    what="window",
    model=HostWindow,
    form_class=WindowForm,
    create=window_create,
    update=window_update,
    delete=window_delete,
    instance_kwarg="window",
    anchor="#windows",
    saved=gettext_lazy("The host window is saved."),
    removed=gettext_lazy("The host window is removed."),
)
_REQUESTS = _Editable(
    what="request",
    model=VisitRequest,
    form_class=RequestForm,
    create=request_create,
    update=request_update,
    delete=request_delete,
    instance_kwarg="request",
    anchor="#requests",
    saved=gettext_lazy("The visit request is saved."),
    removed=gettext_lazy("The visit request is withdrawn."),
)


def _form_page(request: HttpRequest, program, kind: _Editable, instance=None) -> HttpResponse:
    """A new one (POST only: errors are shown on the Propose page, 400) or an existing one (its
    edit page, errors shown there); saved through the service, then back to its list."""
    if request.method == "POST":
        form = kind.form_class(request.POST, program=program)
        if form.is_valid():
            try:
                if instance is None:
                    kind.create(program=program, **form.service_fields())
                else:
                    kind.update(**{kind.instance_kwarg: instance}, **form.service_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, kind.saved)
                return _back(program, anchor=kind.anchor)
        if instance is None:
            return _page(request, program, **{f"{kind.what}_form": form}, status=400)
    else:
        form = kind.form_class(program=program, initial=kind.form_class.initial_of(instance, program=program))
    return render(request, "planning/edit.html", {"program": program, "form": form, "what": kind.what})


def _edit(request: HttpRequest, slug: str, pk: int, kind: _Editable) -> HttpResponse:
    program = program_for(request, slug)
    instance = get_object_or_404(kind.model.objects.select_related("host"), pk=pk, program=program)
    return _form_page(request, program, kind, instance)


def _remove(request: HttpRequest, slug: str, pk: int, kind: _Editable) -> HttpResponse:
    program = program_for(request, slug)
    kind.delete(**{kind.instance_kwarg: get_object_or_404(kind.model, pk=pk, program=program)})
    messages.success(request, kind.removed)
    return _back(program, anchor=kind.anchor)


@require_POST
@organiser_required
def window_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, program_for(request, slug), _WINDOWS)


@require_http_methods(["GET", "POST"])
@organiser_required
def window_edit(request: HttpRequest, slug: str, window_id: int) -> HttpResponse:
    return _edit(request, slug, window_id, _WINDOWS)


@require_POST
@organiser_required
def window_remove(request: HttpRequest, slug: str, window_id: int) -> HttpResponse:
    return _remove(request, slug, window_id, _WINDOWS)


@require_POST
@organiser_required
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, program_for(request, slug), _REQUESTS)


@require_http_methods(["GET", "POST"])
@organiser_required
def request_edit(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    return _edit(request, slug, request_id, _REQUESTS)


@require_POST
@organiser_required
def request_remove(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    return _remove(request, slug, request_id, _REQUESTS)


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
