"""The host contact's pages behind their secret link, and the organiser's confirmation pages.

`/h/<token>/` lists the visits at the contact's organisation, each with a form whose buttons
read Confirm, Decline (with a reason) and Propose another time; `/h/<token>/visits/<id>/visitors/`
is a visit's visitor list (recorded in the audit trail). Like the participant's link, every
answer is private, unindexed and sends no referrer elsewhere. Writes go through hosting.services.
"""

from datetime import date, datetime, time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internship_portal.ids import id_from_text
from internship_portal.links import host_link
from itinerary.views import personal
from participants.enums import VisitorField
from programs.views import organiser_required, program_for
from visits.enums import HOST_NOTE_MAX_LENGTH
from visits.exceptions import ScheduleConflict
from visits.models import HostContact, HostOrganisation, SiteVisit
from visits.selectors import (
    contact_by_token,
    program_host_answers,
    program_visitor_details_gaps,
    visit_visitor_list,
)
from visits.services import contact_rotate_token
from visits.views import record_visitor_list_read, visitors_csv_response

from . import services
from .selectors import host_page_visits

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def by_contact(view):
    """Open the host contact whose token is in the URL (in their language), or answer 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        contact = contact_by_token(token=token)
        if contact is None:
            return render(request, "hosting/not_found.html", status=404)
        language = request.GET.get("lang")
        if language not in LANGUAGE_CODES:
            language = contact.language if contact.language in LANGUAGE_CODES else "ru"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return view(request, contact, *args, **kwargs)

    return wrapped


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [message for values in error.message_dict.values() for message in values]
    return list(error.messages)


def _host_page(request: HttpRequest, contact: HostContact, *, errors: dict | None = None, status: int = 200):
    visits = host_page_visits(contact=contact)
    errors = errors or {}
    for visit in visits:
        visit.answer_errors = errors.get(visit.pk, [])
    context = {
        "contact": contact,
        "host": contact.host,
        "visits": visits,
        "languages": settings.LANGUAGES,
        "current_language": request.LANGUAGE_CODE,
        "page_url": reverse("hosting:host-page", kwargs={"token": contact.access_token}),
        "note_max_length": HOST_NOTE_MAX_LENGTH,
    }
    return render(request, "hosting/host_page.html", context, status=status)


@require_GET
@personal
@by_contact
def host_page(request: HttpRequest, contact: HostContact) -> HttpResponse:
    return _host_page(request, contact)


def _proposed_times(visit: SiteVisit, data) -> tuple[datetime | None, datetime | None]:
    """The proposed local day and times, as aware datetimes in the program's zone (None if unreadable)."""
    tz = visit.program.tzinfo
    try:
        day = date.fromisoformat(data.get("proposed_date", ""))
        start = time.fromisoformat(data.get("proposed_start", ""))
        end = time.fromisoformat(data.get("proposed_end", ""))
    except ValueError:
        return None, None
    return datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz)


@require_POST
@personal
@by_contact
def host_answer(request: HttpRequest, contact: HostContact, visit_id: int) -> HttpResponse:
    visit = SiteVisit.objects.select_related("program").filter(pk=visit_id, host_id=contact.host_id).first()
    if visit is None:
        return render(request, "hosting/not_found.html", status=404)
    answer = request.POST.get("answer", "")
    starts_at = ends_at = None
    if answer == "proposed":
        starts_at, ends_at = _proposed_times(visit, request.POST)
    try:
        services.host_answer(
            contact=contact,
            visit=visit,
            answer=answer,
            note=request.POST.get("note", ""),
            proposed_starts_at=starts_at,
            proposed_ends_at=ends_at,
        )
    except ValidationError as caught:
        problems = _messages_of(caught)
        if answer == "proposed" and starts_at is None:
            problems = [_("Give the day and the start and end times.")]
        return _host_page(request, contact, errors={visit.pk: problems}, status=400)
    done = {
        "confirmed": _("Thank you: you confirmed “%(visit)s”."),
        "declined": _("You declined “%(visit)s”. The academy will be in touch."),
        "proposed": _("Thank you: the academy will answer your proposal for “%(visit)s”."),
    }[answer]
    messages.success(request, done % {"visit": visit.title})
    return redirect(f"{reverse('hosting:host-page', kwargs={'token': contact.access_token})}#visit-{visit.pk}")


def _host_visit(contact: HostContact, visit_id: int) -> SiteVisit | None:
    visit = SiteVisit.objects.select_related("program", "host").filter(pk=visit_id, host_id=contact.host_id).first()
    return visit


@require_GET
@personal
@by_contact
def host_visitors(request: HttpRequest, contact: HostContact, visit_id: int) -> HttpResponse:
    visit = _host_visit(contact, visit_id)
    if visit is None:
        return render(request, "hosting/not_found.html", status=404)
    visitors = visit_visitor_list(visit=visit)
    record_visitor_list_read(request, visit, channel="host page", actor=f"host contact {contact.name} (link)")
    tz = visit.program.tzinfo
    context = {
        "contact": contact,
        "visit": visit,
        "visitors": visitors,
        "starts_at": visit.starts_at.astimezone(tz),
        "ends_at": visit.ends_at.astimezone(tz),
        "page_url": reverse("hosting:host-page", kwargs={"token": contact.access_token}),
        "csv_url": reverse("hosting:host-visitors-csv", kwargs={"token": contact.access_token, "visit_id": visit.pk}),
    }
    return render(request, "hosting/host_visitors.html", context)


@require_GET
@personal
@by_contact
def host_visitors_csv(request: HttpRequest, contact: HostContact, visit_id: int) -> HttpResponse:
    visit = _host_visit(contact, visit_id)
    if visit is None:
        return render(request, "hosting/not_found.html", status=404)
    visitors = visit_visitor_list(visit=visit)
    record_visitor_list_read(request, visit, channel="host CSV", actor=f"host contact {contact.name} (link)")
    return visitors_csv_response(visitors, f"visitors-{visit.pk}.csv")


# --- organiser pages ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organiser_required
def confirmations(request: HttpRequest, slug: str) -> HttpResponse:
    """Every visit at a host with the host's answer: send for confirmation (a visit or all of a
    host's), accept or refuse a proposed time, copy or renew a contact's link."""
    program = program_for(request, slug)
    if request.method == "POST":
        _confirmations_action(request, program)
        # Back where the organiser answered from (the board offers the same accept and refuse),
        # when that is one of this program's organiser pages.
        back = request.POST.get("next", "")
        own_pages = reverse("program-dashboard", kwargs={"slug": program.slug})
        if back.startswith(own_pages) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect(reverse("hosting:confirmations", kwargs={"slug": program.slug}))
    visits = program_host_answers(program=program)
    hosts: dict[int, dict] = {}
    for visit in visits:
        entry = hosts.setdefault(visit.host_id, {"host": visit.host, "visits": []})
        entry["visits"].append(visit)
    for entry in hosts.values():
        entry["contacts"] = [
            {"contact": contact, "link": host_link(contact.access_token, base=request.build_absolute_uri("/"))}
            for contact in entry["host"].contacts.all()
        ]
    return render(request, "hosting/confirmations.html", {"program": program, "hosts": list(hosts.values())})


def _confirmations_action(request: HttpRequest, program) -> None:
    action = request.POST.get("action", "")
    visit_pk, host_pk, contact_pk = (id_from_text(request.POST.get(name)) for name in ("visit", "host", "contact"))
    visit = None
    if visit_pk:
        visit = SiteVisit.objects.filter(program=program, pk=visit_pk).select_related("host").first()
    try:
        if action == "request" and visit is not None:
            queued = services.host_confirmation_request(program=program, visits=[visit], actor=request.user)
            messages.success(
                request,
                _("Sent “%(visit)s” for confirmation (%(count)d e-mails).") % {"visit": visit.title, "count": queued},
            )
        elif action == "request_host" and host_pk:
            host = get_object_or_404(HostOrganisation, pk=host_pk)
            queued = services.host_visits_request(program=program, host=host, actor=request.user)
            messages.success(
                request,
                _("Sent the visits at %(host)s for confirmation (%(count)d e-mails).")
                % {"host": host.name, "count": queued},
            )
        elif action == "accept" and visit is not None:
            services.host_proposal_accept(visit=visit)
            messages.success(request, _("“%(visit)s” moved to the time its host proposed.") % {"visit": visit.title})
        elif action == "refuse" and visit is not None:
            services.host_proposal_refuse(visit=visit, actor=request.user)
            messages.success(
                request, _("“%(visit)s” keeps its time; the host is asked to confirm it.") % {"visit": visit.title}
            )
        elif action == "rotate" and contact_pk:
            contacts = HostContact.objects.filter(host__visits__program=program).distinct()
            contact = get_object_or_404(contacts, pk=contact_pk)
            contact_rotate_token(contact=contact)
            messages.success(
                request, _("%(name)s has a new link; the old one no longer works.") % {"name": contact.name}
            )
        else:
            messages.error(request, _("Nothing was done: choose a visit, host or contact of this program."))
    except ScheduleConflict as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)


@require_http_methods(["GET", "POST"])
@organiser_required
def visitor_details(request: HttpRequest, slug: str) -> HttpResponse:
    """Per host with coming visits: the deadline of its visitor list and who misses which field;
    remind them (one host's visitors, or all)."""
    program = program_for(request, slug)
    if request.method == "POST":
        host = None
        if request.POST.get("host"):  # one host's visitors; a value that is no host's id is a 404, not "all"
            host = get_object_or_404(HostOrganisation, pk=id_from_text(request.POST["host"]))
        queued = services.visitor_details_remind(program=program, host=host, actor=request.user)
        messages.success(request, _("Reminders queued: %(count)d.") % {"count": queued})
        return redirect(reverse("hosting:visitor-details", kwargs={"slug": program.slug}))
    gaps = program_visitor_details_gaps(program=program)
    labels = dict(VisitorField.choices)
    for gap in gaps:
        gap.field_labels = [str(labels[name]) for name in gap.fields]
        for row in gap.missing:
            row["missing_labels"] = [str(labels[name]) for name in row["missing"]]
    return render(request, "hosting/visitor_details.html", {"program": program, "gaps": gaps})
