"""Organiser pages for a program's participants: list by group with search,
add/edit, move between groups, import from CSV/XLSX, export CSV."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internship_portal.links import personal_link
from internship_portal.spreadsheets import csv_text
from programs.views import organiser_required, program_for

from . import privacy
from .enums import ImportMode
from .forms import ImportForm, MoveForm, ParticipantForm
from .importing import ImportFileError, export_rows, import_rows, participants_import
from .models import Participant, ProjectGroup
from .selectors import participants_for_list
from .services import participant_rotate_token, participants_move

# The rows of the last preview wait in the session between the preview and the
# organiser's choice; the file itself is never stored.
SESSION_KEY = "participant_import"


@require_GET
@organiser_required
def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    participants = list(participants_for_list(program=program, query=query))
    groups = list(ProjectGroup.objects.filter(program=program).order_by("name", "id"))
    return render(
        request,
        "organiser/participant_list.html",
        {"program": program, "participants": participants, "groups": groups, "query": query},
    )


def _participant_form_page(request: HttpRequest, program, participant: Participant | None) -> HttpResponse:
    if request.method == "POST":
        form = ParticipantForm(request.POST, program=program)
        if form.is_valid():
            saved = form.save(participant=participant)
            if saved is not None:
                messages.success(request, _("%(name)s saved.") % {"name": saved.full_name})
                return redirect("participants:list", slug=program.slug)
    else:
        initial = ParticipantForm.initial_for(participant) if participant else {}
        form = ParticipantForm(initial=initial, program=program)
    return render(
        request,
        "organiser/participant_form.html",
        {
            "program": program,
            "form": form,
            "participant": participant,
            "personal_url": personal_link(participant.access_token) if participant else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@organiser_required
def participant_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _participant_form_page(request, program_for(request, slug), None)


@require_http_methods(["GET", "POST"])
@organiser_required
def participant_edit(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    program = program_for(request, slug)
    participant = get_object_or_404(Participant, pk=participant_id, program=program)
    return _participant_form_page(request, program, participant)


@require_GET
@organiser_required
def participant_personal_data(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    """Everything held about one participant, as a JSON download (a data subject's request)."""
    program = program_for(request, slug)
    participant = get_object_or_404(
        Participant.objects.select_related("program", "group", "user"), pk=participant_id, program=program
    )
    body = json.dumps(privacy.participant_export(participant=participant), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participant-{participant.pk}-personal-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@organiser_required
def participant_anonymise_view(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    """Erase a participant's personal fields on request; the program's statistics keep the row."""
    program = program_for(request, slug)
    participant = get_object_or_404(Participant, pk=participant_id, program=program)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation to anonymise this participant."))
        return redirect("participants:edit", slug=program.slug, participant_id=participant.pk)
    privacy.participant_anonymise(participant=participant)
    messages.success(request, _("The participant's personal data was erased."))
    return redirect("participants:list", slug=program.slug)


@require_POST
@organiser_required
def participant_rotate_link(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    """Give the participant a new personal link; the old link and calendar feed stop working at once."""
    program = program_for(request, slug)
    participant = get_object_or_404(Participant, pk=participant_id, program=program, anonymised_at__isnull=True)
    participant_rotate_token(participant=participant)
    messages.success(
        request,
        _("%(name)s has a new personal link; the old link and calendar feed no longer work. Send them the new one.")
        % {"name": participant.full_name},
    )
    return redirect(f"{reverse('participants:edit', args=[program.slug, participant.pk])}#personal-link")


@require_POST
@organiser_required
def participant_move(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    form = MoveForm(request.POST, program=program)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("participants:list", slug=program.slug)
    group = form.cleaned_data["group"]
    try:
        moved = participants_move(participants=list(form.cleaned_data["participants"]), group=group)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("%(count)d participant moved to %(group)s.", "%(count)d participants moved to %(group)s.", moved)
            % {"count": moved, "group": group.name if group else _("no group")},
        )
    return redirect("participants:list", slug=program.slug)


@require_GET
@organiser_required
def participant_export(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    body = csv_text(header=None, rows=export_rows(participants_for_list(program=program)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{program.slug}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@organiser_required
def participant_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1 (upload → preview) and step 2 (import all / only the valid rows)."""
    program = program_for(request, slug)
    session_key = f"{SESSION_KEY}:{program.pk}"
    context: dict = {"program": program}
    status = 200
    if request.method == "POST" and "confirm" in request.POST:
        rows = request.session.get(session_key)
        if not rows:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("participants:import", slug=program.slug)
        only_valid = request.POST["confirm"] == "valid"
        created, results = import_rows(program=program, rows=rows, only_valid=only_valid)
        if created or (only_valid and not any(result.ok for result in results)):
            del request.session[session_key]
            skipped = sum(1 for result in results if not result.ok)
            imported = ngettext("%(count)d participant imported", "%(count)d participants imported", created) % {
                "count": created
            }
            skipped_text = ngettext("%(count)d row skipped", "%(count)d rows skipped", skipped) % {"count": skipped}
            # Translators: the two counts above, e.g. "3 participants imported; 1 row skipped."
            messages.success(request, _("%(imported)s; %(skipped)s.") % {"imported": imported, "skipped": skipped_text})
            return redirect("participants:list", slug=program.slug)
        form = ImportForm()
        context.update(results=results, invalid=sum(1 for result in results if not result.ok))
        messages.error(request, _("Nothing was imported: some rows are not valid."))
        status = 400
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = participants_import(
                    program=program, name=upload.name, content=upload.read(), mode=ImportMode.PREVIEW
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
                status = 400
            else:
                request.session[session_key] = outcome.rows
                results = outcome.results
                context.update(results=results, invalid=sum(1 for result in results if not result.ok))
        else:
            status = 400
    else:
        form = ImportForm()
    context["form"] = form
    return render(request, "organiser/participant_import.html", context, status=status)
