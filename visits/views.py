"""Organiser pages of a program's schedule: dashboard, board, visit form, hosts,
visitor lists and printable schedules. Thin: reads through `visits.selectors`,
writes through `visits.services` (via `visits.forms`)."""

import json
from copy import copy
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import VISITOR_LIST, data_access_record
from internship_portal.cache import version_key
from internship_portal.dates import format_day
from internship_portal.ids import MAX_ID, id_from_text
from internship_portal.spreadsheets import csv_text
from internship_portal.translated import localized, row_text
from participants.models import ProjectGroup
from programs.selectors import programs_for_organiser
from programs.versions import program_version
from programs.views import organiser_required, program_for

from . import services
from .exceptions import ScheduleConflict, UndoRefused
from .forms import HostContactForm, HostForm, VisitForm
from .models import HostContact, HostOrganisation, SiteVisit, VisitGroup
from .selectors import (
    board_for_program,
    board_host_proposals,
    board_last_action,
    board_tools,
    host_for_page,
    host_programs_not_organised,
    hosts_directory,
    visit_history,
    visit_visitor_list,
    visits_warnings,
)
from .services import board_undo, board_visit_duplicate, board_visit_move, board_visits_shift


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
        "tools": _tools_html(program, day, all_days, grid_version),
        "last_action": board_last_action(program=program, user=request.user),
        "proposals": _host_proposals(program, grid_version),
        "snap_choices": SNAP_CHOICES,
    }
    return render(request, "organiser/board.html", context)


SNAP_CHOICES = (5, 15)


def _host_proposals(program, grid_version: str):
    """The hosts' counter-proposals the board offers to accept or refuse, cached with the grid's
    version (a host's answer raises the program's version like any write)."""
    key = version_key("board-proposals", grid_version)
    proposals = cache.get(key)
    if proposals is None:
        proposals = board_host_proposals(program=program)
        cache.set(key, proposals, BOARD_CACHE_TIMEOUT)
    return proposals


def _tools_html(program, day: date | None, all_days: list[date], grid_version: str) -> dict[str, str]:
    """The options of the Shift and Duplicate forms (days, groups, the day's visits) as HTML, built
    with string formatting and cached with the grid's version: the ×10 program has 80 groups and
    170 visits a day, and a template loop over them cost more than the rest of the page."""
    if day is None:
        return {}
    key = version_key("board-tools", grid_version)
    html = cache.get(key)
    if html is None:
        tools = board_tools(program=program, day=day)
        days = "".join(
            f'<option value="{option.isoformat()}"{" selected" if option == day else ""}>'
            f"{escape(format_day(option, 'day_short'))}</option>"
            for option in all_days
        )
        groups = "".join(
            f'<label class="board-form__check"><input type="checkbox" name="groups" value="{pk}"> '
            f"{escape(name)}</label>"
            for pk, name in tools.groups
        )
        visits = "".join(f'<option value="{pk}">{escape(label)}</option>' for pk, label in tools.day_visits)
        html = {"days": days, "groups": groups, "visits": visits}
        cache.set(key, html, BOARD_CACHE_TIMEOUT)
    # Every value is escaped or a number/date we format.
    return {name: mark_safe(value) for name, value in html.items()}  # noqa: S308


def _local_moment(program, day: date, minute: int) -> datetime:
    """The moment `minute` minutes after the local midnight of `day` (wall-clock, in the program's zone)."""
    return datetime.combine(day, time.min, tzinfo=program.tzinfo) + timedelta(minutes=minute)


def _errors_json(exc: ValidationError) -> JsonResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    detail = " ".join(message for messages in errors.values() for message in messages)
    return JsonResponse({"detail": detail, "errors": errors}, status=400)


def _refused(field: str, message: str) -> JsonResponse:
    return JsonResponse({"detail": message, "errors": {field: [message]}}, status=400)


def _conflict_json(exc: ScheduleConflict) -> JsonResponse:
    return JsonResponse(
        {
            "detail": exc.message,
            "conflicts": [
                {**clash.as_dict(), "visit_title": clash.visit_title, "group_name": clash.group_name}
                for clash in exc.clashes
            ],
        },
        status=409,
    )


@require_POST
@organiser_required
def board_move(request: HttpRequest, slug: str) -> HttpResponse:
    """A block dropped, resized or moved with the keyboard: JSON in, JSON out.

    In: {"visit": id, "date": "YYYY-MM-DD", "start": minutes, "end": minutes (after the local
    midnight of date), "group": id (optional: a single-group visit to another group's column)}.
    Out: 200 {"message", "warnings"}; 409 {"detail", "conflicts"}; 400 {"detail", "errors"}."""
    program = program_for(request, slug)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested past the parser
        return _refused("non_field_errors", _("The request is not JSON."))
    if not isinstance(data, dict):
        return _refused("non_field_errors", _("The request is not a JSON object."))
    values = {}
    # Minutes after the day's midnight (up to three days, for a drop past midnight); the visit's id
    # is any positive number a database id can be.
    for name, highest in (("visit", MAX_ID), ("start", 3 * 24 * 60), ("end", 3 * 24 * 60)):
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest:
            return _refused(name, _("Give a whole number."))
        values[name] = value
    try:
        day = date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        return _refused("date", _("Enter a date (YYYY-MM-DD)."))
    if not program.start_date <= day <= program.end_date:
        return _refused(
            "date",
            _("%(day)s is not a day of this program (%(start)s – %(end)s).")
            % {"day": day, "start": program.start_date, "end": program.end_date},
        )
    visit = SiteVisit.objects.filter(program=program, pk=values["visit"]).first()
    if visit is None:
        return _refused("visit", _("No such visit in this program."))
    groups = None
    if data.get("group") is not None:
        group_id = data["group"]
        group = (
            ProjectGroup.objects.filter(program=program, pk=group_id).first()
            if isinstance(group_id, int) and not isinstance(group_id, bool)
            else None
        )
        if group is None:
            return _refused("group", _("No such group in this program."))
        current = list(visit.bookings.values_list("group_id", flat=True))
        if current != [group.pk]:
            if len(current) > 1:
                return _refused(
                    "group", _("A visit of several groups moves in time only; edit it to change its groups.")
                )
            groups = [group]
    try:
        moved = board_visit_move(
            program=program,
            user=request.user,
            visit=visit,
            starts_at=_local_moment(program, day, values["start"]),
            ends_at=_local_moment(program, day, values["end"]),
            groups=groups,
        )
    except ScheduleConflict as exc:
        return _conflict_json(exc)
    except ValidationError as exc:
        return _errors_json(exc)
    fresh = SiteVisit.objects.prefetch_related("bookings").get(pk=moved.pk)
    fresh.program = program
    tz = program.tzinfo
    return JsonResponse(
        {
            "message": _("“%(title)s” saved: %(start)s–%(end)s.")
            % {
                "title": moved.title,
                "start": f"{moved.starts_at.astimezone(tz):%H:%M}",
                "end": f"{moved.ends_at.astimezone(tz):%H:%M}",
            },
            "warnings": [warning.message for warning in visits_warnings(visits=[fresh]).get(moved.pk, [])],
        }
    )


def _back_to_board(program, day: date | None) -> HttpResponse:
    url = reverse("visits:board", kwargs={"slug": program.slug})
    return redirect(f"{url}?day={day.isoformat()}" if day else url)


def _posted_day(request: HttpRequest, program) -> date | None:
    try:
        day = date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        return None
    return day if program.start_date <= day <= program.end_date else None


def _posted_groups(request: HttpRequest, program) -> list | None:
    """The ticked groups (None when none is ticked); ValidationError naming `groups` when a value is
    not a group of this program: a forged tick must not widen the action to every group."""
    values = request.POST.getlist("groups")
    if not values:
        return None
    ids = {id_from_text(value) for value in values}
    groups = list(ProjectGroup.objects.filter(program=program, pk__in=ids - {None}).order_by("pk"))
    if None in ids or len(groups) != len(ids):
        raise ValidationError({"groups": _("No such group in this program.")})
    return groups


def _form_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@organiser_required
def board_shift(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's "Shift" form: every visit of a day (or of some groups) by ±N minutes, all or nothing."""
    program = program_for(request, slug)
    day = _posted_day(request, program)
    if day is None:
        messages.error(request, _("Choose a day of this program."))
        return _back_to_board(program, None)
    raw = request.POST.get("minutes", "").strip()
    try:
        minutes = int(raw)
    except ValueError:
        messages.error(request, _("Give a whole number of minutes."))
        return _back_to_board(program, day)
    try:
        moved = board_visits_shift(
            program=program, user=request.user, date=day, minutes=minutes, groups=_posted_groups(request, program)
        )
    except ScheduleConflict as exc:
        messages.error(request, _("Nothing was moved. %(conflict)s") % {"conflict": exc.message})
    except ValidationError as exc:
        _form_errors(request, exc)
    else:
        if moved:
            messages.success(
                request,
                ngettext(
                    "%(count)d visit moved by %(minutes)+d minutes.",
                    "%(count)d visits moved by %(minutes)+d minutes.",
                    len(moved),
                )
                % {"count": len(moved), "minutes": minutes},
            )
        else:
            messages.info(request, _("No visit of that day to move."))
    return _back_to_board(program, day)


@require_POST
@organiser_required
def board_duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's "Duplicate" form: a copy of a visit at another day, time and (optionally) groups."""
    program = program_for(request, slug)
    back = _posted_day(request, program)
    source_pk = id_from_text(request.POST.get("visit"))
    source = SiteVisit.objects.filter(program=program, pk=source_pk).first() if source_pk else None
    day = _posted_day(request, program)
    try:
        at = time.fromisoformat(request.POST.get("time", ""))
    except ValueError:
        at = None
    if source is None or day is None or at is None:
        messages.error(request, _("Choose a visit, a day of this program and a time for the copy."))
        return _back_to_board(program, back)
    try:
        copy = board_visit_duplicate(
            program=program,
            user=request.user,
            visit=source,
            starts_at=datetime.combine(day, at, tzinfo=program.tzinfo),
            groups=_posted_groups(request, program),
        )
    except ScheduleConflict as exc:
        messages.error(request, _("Nothing was copied. %(conflict)s") % {"conflict": exc.message})
        return _back_to_board(program, back)
    except ValidationError as exc:
        _form_errors(request, exc)
        return _back_to_board(program, back)
    messages.success(request, _("“%(title)s” copied to %(day)s %(time)s.") % {
        "title": copy.title, "day": format_day(day, "day_short"), "time": f"{at:%H:%M}"
    })  # fmt: skip
    url = reverse("visits:board", kwargs={"slug": program.slug})
    return redirect(f"{url}?day={day.isoformat()}#visit-{copy.pk}")


@require_POST
@organiser_required
def board_undo_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's "Undo": the organiser's last move, resize, shift or duplicate on this program."""
    program = program_for(request, slug)
    try:
        messages.success(request, board_undo(program=program, user=request.user))
    except (UndoRefused, ScheduleConflict) as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        _form_errors(request, exc)
    return _back_to_board(program, _posted_day(request, program))


def _prepare_board_html(schedule, program, *, slots: bool) -> None:
    """What the board repeats for every cell, block and free hour, built once per page with string
    formatting: `cell.slots_html` (the day view's "new visit" links), `cell.day_label`, and each
    block's `href`, `style`, `time_label` and `warning_text`. The ×10 day view has ~1,000 links;
    a `{% url %}`, `{% blocktranslate %}` and date filter for each took most of the page's time."""
    new_visit = reverse("visits:visit_new", kwargs={"slug": program.slug})
    edit_prefix = reverse("visits:visit_edit", kwargs={"slug": program.slug, "visit_id": 0})[:-2]  # ".../visits/"
    label = _("New visit for %(group)s at %(time)s")
    columns = max(len(schedule.groups), 1)
    # The grid's sizes in rem (portal.css): an hour's height, a line of block text, the padding.
    hour_rem, line_rem, padding_rem = (3.2, 1.0, 0.3) if slots else (1.4, 0.875, 0.0)
    hours = len(schedule.hours)
    for board_day in schedule.days:
        day_label = format_day(board_day.date, "day_short")
        for block in board_day.blocks:
            block.href = f"{edit_prefix}{block.visit.pk}/"
            left, width = block.column * 100 / columns, block.span * 100 / columns
            lines = max(1, int((block.height / 100 * hours * hour_rem - padding_rem) / line_rem))
            block.style = (
                f"top: {block.top:.3f}%; height: {block.height:.3f}%; "
                f"left: calc({left:.3f}% + 3px); width: calc({width:.3f}% - 6px); "
                f"--h: {block.height:.3f}%; --lines: {lines}"
            )
            block.time_label = f"{block.starts_at:%H:%M}–{block.ends_at:%H:%M}"  # already local times
            block.warning_text = "".join(f"{warning.message} " for warning in block.warnings)
            block.groups_attr = ",".join(map(str, block.group_ids))
            block.groups_label = ", ".join(block.group_names)
        for cell in board_day.cells:
            cell.day_label = day_label
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
    if start is not None and not program.start_date <= start.date() <= program.end_date:
        start = None  # nor is one outside the program (9999-12-31 23:59 would overflow its end)
    if start is not None:
        initial["starts_at"] = start
        initial["ends_at"] = start + timedelta(hours=2)
    group_id = request.GET.get("group", "")
    if (group_pk := id_from_text(group_id)) and ProjectGroup.objects.filter(program=program, pk=group_pk).exists():
        initial["groups"] = [group_pk]
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


def _host_of(request: HttpRequest, program, host_id: int) -> tuple[HostOrganisation, list[str]]:
    """The host with its contacts and this program's visits, and the programs of others that use
    it (non-empty: this organiser may not change it). 404 for no such host."""
    host = host_for_page(program=program, pk=host_id)
    if host is None:
        raise Http404(_("No such host organisation."))
    user = request.user
    mine = (
        None
        if user.is_superuser
        else programs_for_organiser(user=user).prefetch_related(None).values_list("pk", flat=True)
    )
    return host, host_programs_not_organised(host=host, program_ids=mine)


def _locked_message(others: list[str]) -> str:
    return _("Visits of other programs go to this host (%(programs)s): only their organisers may change it.") % {
        "programs": ", ".join(f"“{title}”" for title in others)
    }


def _host_form_page(request: HttpRequest, program, host: HostOrganisation | None, others: list[str]) -> HttpResponse:
    status = 200
    if request.method == "POST":
        status = 400
        # A copy: the form's own validation sets the fields it cleans on its instance.
        form = HostForm(request.POST, instance=copy(host) if host else None)
        if others:
            form.add_error(None, _locked_message(others))
        elif form.is_valid():
            saved = form.save(host=host)
            if saved is not None:
                messages.success(request, _("%(name)s saved.") % {"name": saved.name})
                return redirect(f"{reverse('visits:hosts', kwargs={'slug': program.slug})}#host-{saved.pk}")
    else:
        form = HostForm(instance=host)
    context = {"program": program, "form": form, "host": host, "locked": _locked_message(others) if others else ""}
    return render(request, "organiser/host_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organiser_required
def host_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _host_form_page(request, program_for(request, slug), None, [])


@require_http_methods(["GET", "POST"])
@organiser_required
def host_edit(request: HttpRequest, slug: str, host_id: int) -> HttpResponse:
    program = program_for(request, slug)
    host, others = _host_of(request, program, host_id)
    return _host_form_page(request, program, host, others)


@require_POST
@organiser_required
def host_delete(request: HttpRequest, slug: str, host_id: int) -> HttpResponse:
    program = program_for(request, slug)
    host, others = _host_of(request, program, host_id)
    if others:
        messages.error(request, _locked_message(others))
        return redirect("visits:host_edit", slug=program.slug, host_id=host.pk)
    try:
        services.host_delete(host=host)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("visits:host_edit", slug=program.slug, host_id=host.pk)
    messages.success(request, _("%(name)s deleted.") % {"name": host.name})
    return redirect("visits:hosts", slug=program.slug)


def _contact_form_page(request: HttpRequest, slug: str, host_id: int, contact_id: int | None) -> HttpResponse:
    program = program_for(request, slug)
    host, others = _host_of(request, program, host_id)
    contact = None
    if contact_id is not None:
        contact = next((row for row in host.contacts.all() if row.pk == contact_id), None)
        if contact is None:
            raise Http404(_("No such contact of this host."))
    status = 200
    if request.method == "POST" and "delete" in request.POST and contact is not None:
        if others:
            messages.error(request, _locked_message(others))
            return redirect("visits:host_edit", slug=program.slug, host_id=host.pk)
        services.contact_delete(contact=contact)
        messages.success(request, _("%(name)s removed from the contacts.") % {"name": contact.name})
        return redirect("visits:host_edit", slug=program.slug, host_id=host.pk)
    if request.method == "POST":
        status = 400
        form = HostContactForm(request.POST, instance=copy(contact) if contact else HostContact(host=host))
        if others:
            form.add_error(None, _locked_message(others))
        elif form.is_valid():
            saved = form.save(host=host, contact=contact)
            if saved is not None:
                messages.success(request, _("%(name)s saved.") % {"name": saved.name})
                return redirect("visits:host_edit", slug=program.slug, host_id=host.pk)
    else:
        form = HostContactForm(instance=contact)
    context = {"program": program, "form": form, "host": host, "contact": contact}
    return render(request, "organiser/host_contact_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organiser_required
def host_contact_new(request: HttpRequest, slug: str, host_id: int) -> HttpResponse:
    return _contact_form_page(request, slug, host_id, None)


@require_http_methods(["GET", "POST"])
@organiser_required
def host_contact_edit(request: HttpRequest, slug: str, host_id: int, contact_id: int) -> HttpResponse:
    return _contact_form_page(request, slug, host_id, contact_id)


def _visit_of(request: HttpRequest, slug: str, visit_id: int) -> SiteVisit:
    program = program_for(request, slug)
    visit = get_object_or_404(SiteVisit.objects.select_related("host"), pk=visit_id, program=program)
    visit.program = program
    return visit


def record_visitor_list_read(request: HttpRequest, visit: SiteVisit, *, channel: str, actor: str | None = None) -> None:
    """Every read of a visitor list (it may carry passport numbers) goes into the audit trail: by
    `actor`, or else the request's user. The host pages (hosting.views) record theirs here too."""
    data_access_record(
        what=VISITOR_LIST,
        object_id=visit.pk,
        program_id=visit.program_id,
        request=request,
        actor=actor,
        object_label=visit.title,
        channel=channel,
    )


def visitors_csv_response(visitors, filename: str) -> HttpResponse:
    """The visitor list's CSV (also the host's own download, hosting.views), in the reader's language."""
    header, rows = visitors.table()
    response = HttpResponse(csv_text(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@organiser_required
def visitors_print(request: HttpRequest, slug: str, visit_id: int) -> HttpResponse:
    visit = _visit_of(request, slug, visit_id)
    tz = visit.program.tzinfo
    rows = VisitGroup.objects.filter(visit=visit).values(*localized("group__name"))
    group_names = sorted((row_text(row, "group__name") for row in rows), key=str.casefold)
    visitors = visit_visitor_list(visit=visit)
    record_visitor_list_read(request, visit, channel="organiser page")
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
    visit = _visit_of(request, slug, visit_id)
    visitors = visit_visitor_list(visit=visit)
    record_visitor_list_read(request, visit, channel="organiser CSV")
    return visitors_csv_response(visitors, f"visitors-{visit.pk}.csv")
