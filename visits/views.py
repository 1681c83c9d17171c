"""Organiser pages of a program's schedule: dashboard, board, visit form, hosts,
visitor lists and printable schedules. Thin: reads through `visits.selectors`,
writes through `visits.services` (via `visits.forms`)."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import VISITOR_LIST, data_access_record
from internship_portal.cache import version_key
from internship_portal.dates import format_day
from internship_portal.spreadsheets import csv_text
from participants.models import ProjectGroup
from programs.versions import program_version
from programs.views import organiser_required, program_for

from .forms import VisitForm
from .models import HostOrganisation, SiteVisit, VisitGroup
from .selectors import (
    board_for_program,
    hosts_directory,
    visit_history,
    visit_visitor_list,
    visits_warnings,
)


def _focus_day(program) -> date:
    today = timezone.now().astimezone(program.tzinfo).date()
    return min(max(today, program.start_date), program.end_date)


@require_GET
@organiser_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    whole = request.GET.get("view") == "all"
    day = None
    if not whole:
        raw = request.GET.get("day")
        if raw:
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                raise Http404(_("“%(day)s” is not a date (YYYY-MM-DD).") % {"day": raw}) from None
            if not program.start_date <= day <= program.end_date:
                raise Http404(_("%(day)s is not a day of this program.") % {"day": raw})
        else:
            day = _focus_day(program)

    def build_board():
        schedule = board_for_program(program=program, day=day)
        _prepare_board_html(schedule, program, slots=not whole)
        return schedule

    # The grid is cached by the program's version (programs.versions): every write that changes
    # what it shows raises it. The board is read and laid out only when the grid must be rendered.
    grid_version = version_key("board", program_version(program), translation.get_language(), whole, day)
    all_days = [program.start_date + timedelta(days=n) for n in range((program.end_date - program.start_date).days + 1)]
    context = {
        "program": program,
        "board": SimpleLazyObject(build_board),
        "whole": whole,
        "day": day,
        "all_days": all_days,
        "previous_day": day - timedelta(days=1) if day and day > program.start_date else None,
        "next_day": day + timedelta(days=1) if day and day < program.end_date else None,
        "grid_version": grid_version,
        "grid_cache_timeout": BOARD_CACHE_TIMEOUT,
    }
    return render(request, "organiser/board.html", context)


def _prepare_board_html(schedule, program, *, slots: bool) -> None:
    """What the board repeats for every cell, block and free hour, built once per page with string
    formatting: `cell.slots_html` (the day view's "new visit" links), `cell.day_label`, and each
    block's `href`, `style`, `time_label` and `warning_text`. The ×10 day view has ~1,000 links;
    a `{% url %}`, `{% blocktranslate %}` and date filter for each took most of the page's time."""
    new_visit = reverse("visits:visit_new", kwargs={"slug": program.slug})
    edit_prefix = reverse("visits:visit_edit", kwargs={"slug": program.slug, "visit_id": 0})[:-2]  # ".../visits/"
    label = _("New visit for %(group)s at %(time)s")
    for board_day in schedule.days:
        day_label = format_day(board_day.date, "day_short")
        for cell in board_day.cells:
            cell.day_label = day_label
            for block in cell.blocks:
                block.href = f"{edit_prefix}{block.visit.pk}/"
                block.style = f"top: {block.top:.3f}%; height: {block.height:.3f}%"
                block.time_label = f"{block.starts_at:%H:%M}–{block.ends_at:%H:%M}"  # already local times
                block.warning_text = "".join(f"{warning.message} " for warning in block.warnings)
            if not slots:
                continue
            group_id, group_name = cell.group.pk, escape(cell.group.name)
            cell.slots_html = mark_safe(  # noqa: S308 - every value is escaped or a number/date we format
                "".join(
                    f'<a class="slot" style="top: {slot.top:.3f}%; height: {slot.height:.3f}%" '
                    f'href="{new_visit}?group={group_id}&amp;start={slot.starts_at:%Y-%m-%dT%H:%M}">'
                    '<span aria-hidden="true">+</span><span class="visually-hidden">'
                    f"{label % {'group': group_name, 'time': f'{slot.starts_at:%H:%M}'}}</span></a>"
                    for slot in cell.free
                )
            )


BOARD_CACHE_TIMEOUT = 3600  # entries are superseded by a new version, never invalidated


def _visit_form_page(request: HttpRequest, program, visit: SiteVisit | None, initial: dict) -> HttpResponse:
    hosts = list(HostOrganisation.objects.order_by("name"))
    if request.method == "POST":
        form = VisitForm(request.POST, program=program, hosts=hosts)
        if form.is_valid():
            saved = form.save(visit=visit)
            if saved is not None:
                messages.success(
                    request,
                    (_("Visit “%(title)s” saved.") if visit else _("Visit “%(title)s” created."))
                    % {"title": saved.title},
                )
                fresh = SiteVisit.objects.prefetch_related("bookings").get(pk=saved.pk)
                fresh.program = program
                for warning in visits_warnings(visits=[fresh]).get(saved.pk, []):
                    messages.warning(request, warning.message)
                day = saved.starts_at.astimezone(program.tzinfo).date()
                url = reverse("visits:board", kwargs={"slug": program.slug})
                return redirect(f"{url}?day={day.isoformat()}#visit-{saved.pk}")
    else:
        form = VisitForm(initial=initial, program=program, hosts=hosts)
    groups = list(form.fields["groups"].queryset)
    return render(
        request,
        "organiser/visit_form.html",
        {
            "program": program,
            "form": form,
            "visit": visit,
            "groups": groups,
            "host_names": form.host_names,
            "history": visit_history(visit=visit) if visit else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@organiser_required
def visit_new(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    initial: dict = {}
    start_text = request.GET.get("start", "")
    try:
        start = datetime.fromisoformat(start_text).replace(tzinfo=program.tzinfo) if start_text else None
    except ValueError:
        start = None  # a bad prefill is only a missing default
    if start is not None:
        initial["starts_at"] = start
        initial["ends_at"] = start + timedelta(hours=2)
    group_id = request.GET.get("group", "")
    if group_id.isdigit() and ProjectGroup.objects.filter(program=program, pk=int(group_id)).exists():
        initial["groups"] = [int(group_id)]
    return _visit_form_page(request, program, None, initial)


@require_http_methods(["GET", "POST"])
@organiser_required
def visit_edit(request: HttpRequest, slug: str, visit_id: int) -> HttpResponse:
    program = program_for(request, slug)
    visit = get_object_or_404(
        SiteVisit.objects.select_related("host").prefetch_related("bookings"), pk=visit_id, program=program
    )
    return _visit_form_page(request, program, visit, VisitForm.initial_for(visit))


@require_GET
@organiser_required
def host_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    query = request.GET.get("q", "").strip()
    hosts = hosts_directory(program=program)
    if query:
        hosts = hosts.filter(name__icontains=query)
    return render(request, "organiser/host_list.html", {"program": program, "hosts": hosts, "query": query})


def _visit_of(request: HttpRequest, slug: str, visit_id: int) -> SiteVisit:
    program = program_for(request, slug)
    visit = get_object_or_404(SiteVisit.objects.select_related("host"), pk=visit_id, program=program)
    visit.program = program
    return visit


def _record_visitor_list_read(request: HttpRequest, visit: SiteVisit, channel: str) -> None:
    """Every read of a visitor list (it may carry passport numbers) goes into the audit trail."""
    data_access_record(
        what=VISITOR_LIST,
        object_id=visit.pk,
        program_id=visit.program_id,
        request=request,
        object_label=visit.title,
        channel=channel,
    )


@require_GET
@organiser_required
def visitors_print(request: HttpRequest, slug: str, visit_id: int) -> HttpResponse:
    visit = _visit_of(request, slug, visit_id)
    tz = visit.program.tzinfo
    group_names = list(
        VisitGroup.objects.filter(visit=visit).order_by("group__name").values_list("group__name", flat=True)
    )
    visitors = visit_visitor_list(visit=visit)
    _record_visitor_list_read(request, visit, "organiser page")
    return render(
        request,
        "organiser/visitors.html",
        {
            "program": visit.program,
            "visit": visit,
            "visitors": visitors,
            "group_names": group_names,
            "starts_at": visit.starts_at.astimezone(tz),
            "ends_at": visit.ends_at.astimezone(tz),
        },
    )


@require_GET
@organiser_required
def visitors_csv(request: HttpRequest, slug: str, visit_id: int) -> HttpResponse:
    """The visitor list for the security desk: name parts, exactly the fields the host requires, group."""
    visit = _visit_of(request, slug, visit_id)
    visitors = visit_visitor_list(visit=visit)
    _record_visitor_list_read(request, visit, "organiser CSV")
    header = ["family_name", "given_name", "patronymic", *(name for name, _label in visitors.columns), "group"]
    rows = (
        [row["family_name"], row["given_name"], row["patronymic"], *row["values"], row["group"]]
        for row in visitors.rows
    )
    response = HttpResponse(csv_text(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visitors-{visit.pk}.csv"'
    return response
