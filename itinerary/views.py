"""The participant's personal pages: the itinerary behind the secret link, its
calendar feed and QR code, the language switch, `/me/` for participants with a
login, and the web app manifest and service worker that keep the page offline.

The personal link is the participant's key, so every answer here is private,
not indexed, and sends no referrer to other sites (the token must not leak to the map site).
"""

import io
import json
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internship_portal.links import feed_link, personal_link, webcal_link
from internship_portal.translated import row_text
from participants.enums import ID_DETAIL_FIELDS, VisitorField
from participants.models import Participant, VisitorDetails
from participants.selectors import group_members, participant_by_token
from participants.services import participant_update, visitor_details_retention_ends, visitor_details_set
from visits.enums import VisitStatus
from visits.models import address_with_city
from visits.selectors import participant_visitor_needs, visitor_needs_of

from .caching import TIMEOUT, itinerary_ical_cached, itinerary_rows_cached, version_key
from .selectors import (
    Itinerary,
    ItineraryItem,
    ItineraryRows,
    current_participation,
    itinerary_version,
    participations_of_user,
    visit_group_names,
)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "itinerary" / "sw.js"


def personal(view):
    """Headers for every answer that a personal token opens: private, unindexed, and no referrer
    to other sites (the token is in the URL). `same-origin`, not `no-referrer`: with the latter
    browsers send `Origin: null` on the language form and Django's CSRF check refuses it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def by_token(view):
    """Open the participant whose secret token is in the URL, or answer the 404 page.
    The view receives (request, participant, token)."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        participant = participant_by_token(token=token)
        if participant is None:
            return _not_found(request)
        return view(request, participant, token)

    return wrapped


def current_time() -> datetime:
    """Now; one name for it, so that tests can set the clock of the "today" and "next" logic."""
    return timezone.now()


def _not_found(request: HttpRequest) -> HttpResponse:
    """A wrong or replaced token: a page that says what to do, with status 404."""
    return render(request, "itinerary/not_found.html", status=404)


# --- presentation -------------------------------------------------------------------


@dataclass
class Moment:
    """A visit's time range, in the program's zone and, if its offset differs, the home zone."""

    starts_at: datetime
    ends_at: datetime
    home_starts_at: datetime | None = None
    home_ends_at: datetime | None = None

    @property
    def home_day_differs(self) -> bool:
        return self.home_starts_at is not None and self.home_starts_at.date() != self.starts_at.date()


@dataclass
class Entry:
    item: ItineraryItem
    moment: Moment
    groups: list[str]
    is_next: bool = False

    @property
    def visit(self):
        return self.item.visit

    @property
    def map_url(self) -> str:
        # Read only when the schedule is rendered, not when it comes from the cache.
        return map_url(self.visit) if self.visit.effective_location else ""


@dataclass
class Day:
    date: date
    entries: list[Entry]


def _home_zone(participant: Participant) -> zoneinfo.ZoneInfo | None:
    if not participant.home_timezone or participant.home_timezone == participant.program.timezone:
        return None
    try:
        return zoneinfo.ZoneInfo(participant.home_timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def zone_label(name: str) -> str:
    """`Asia/Tomsk` → `Tomsk` (`Томск`): the city that people know the zone by, in the reader's
    language where the catalogue names it (internship_portal.date_names.ZONE_CITIES)."""
    return _(name.rsplit("/", 1)[-1].replace("_", " "))


def utc_offset_label(moment: datetime) -> str:
    """`UTC+5`, `UTC+5:30`: the offset as people say it."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def map_url(visit) -> str:
    """An OpenStreetMap link: the host's coordinates when known, else a search for the address."""
    host = visit.host
    if not visit.location and host is not None and host.latitude is not None and host.longitude is not None:
        lat, lon = f"{host.latitude:.6f}", f"{host.longitude:.6f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    address = address_with_city(visit.effective_location, host.city if host is not None else "")
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address}, quote_via=quote)


def _clock(rows: ItineraryRows, now: datetime) -> dict:
    """What moves with the clock, from the rows alone: today, the next visit (the first one not
    cancelled and not over) and whether it is running, and the zones' labels."""
    participant, program = rows.participant, rows.program
    tz, home = program.tzinfo, _home_zone(participant)
    upcoming = (row for row in rows.rows if row["status"] != VisitStatus.CANCELLED and row["ends_at"] > now)
    next_row = next(upcoming, None)
    today = program.local_date(now)
    # Named only when it changes a time shown: Tashkent and Astana share UTC+5.
    home_shown = home is not None and any(
        row["starts_at"].astimezone(tz).utcoffset() != row["starts_at"].astimezone(home).utcoffset()
        for row in rows.rows
    )
    return {
        "today": today,
        "program_running": program.start_date <= today <= program.end_date,
        "next_visit_id": next_row["id"] if next_row else None,
        "next_is_running": next_row is not None and next_row["starts_at"] <= now,
        "home_zone": home if home_shown else None,
        "home_zone_label": zone_label(participant.home_timezone) if home else "",
        "home_zone_offset": utc_offset_label(now.astimezone(home)) if home else "",
        "program_zone_offset": utc_offset_label(now.astimezone(tz)),
    }


def _shape(itinerary: Itinerary, groups: dict[int, list[str]], clock: dict) -> dict:
    """The itinerary as the schedule shows it: days of entries, today's (or the first) day and the next visit."""
    home = _home_zone(itinerary.participant)

    def entry(item: ItineraryItem) -> Entry:
        moment = Moment(item.starts_at, item.ends_at)
        if home is not None and item.starts_at.utcoffset() != item.starts_at.astimezone(home).utcoffset():
            moment.home_starts_at = item.starts_at.astimezone(home)
            moment.home_ends_at = item.ends_at.astimezone(home)
        return Entry(
            item=item,
            moment=moment,
            groups=groups.get(item.visit.pk, []),
            is_next=item.visit.pk == clock["next_visit_id"],
        )

    days = [Day(date=day.date, entries=[entry(item) for item in day.items]) for day in itinerary.days]
    today = clock["today"]
    focus: Day | None = None
    focus_is_first = False
    for day in days:
        if day.date == today:
            focus = day
    if focus is None and days and today < days[0].date:
        focus, focus_is_first = days[0], True
    return {
        "itinerary": itinerary,
        "days": days,
        "focus_day": focus,
        "focus_is_first_day": focus_is_first,
        "next_entry": next((e for d in days for e in d.entries if e.is_next), None),
    }


def _feed_urls(request: HttpRequest, participant: Participant) -> dict[str, str]:
    token, base = participant.access_token, request.build_absolute_uri("/")
    return {
        "page_url": personal_link(token, base=base),
        "feed_url": feed_link(token, base=base),
        "webcal_url": webcal_link(token, base=base),
        "download_url": reverse("itinerary-feed", kwargs={"token": token}) + "?download=1",
        "qr_url": reverse("itinerary-qr", kwargs={"token": token}),
        "language_url": reverse("itinerary-language", kwargs={"token": token}),
        "manifest_url": reverse("itinerary-manifest", kwargs={"token": token}),
    }


def _render_itinerary(request: HttpRequest, participant: Participant, *, extra: dict | None = None) -> HttpResponse:
    language = request.GET.get("lang")
    if language not in LANGUAGE_CODES:
        language = participant.language if participant.language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    now = current_time()
    # Plain rows, cached by the itinerary's version, tell the next visit; the visits are built
    # from them (without a query) only when the schedule must be rendered.
    rows = itinerary_rows_cached(participant=participant)
    clock = _clock(rows, now)
    context = {
        "participant": participant,
        "program": participant.program,
        "generated_at": now.astimezone(participant.program.tzinfo),
        "languages": settings.LANGUAGES,
        "current_language": language,
        "next_path": request.path,
        **clock,
        **_feed_urls(request, participant),
        **(extra or {}),
    }
    # What the hosts' security desks still need of the participant: from the rows, and one query
    # for the participant's ID details only when a host requires them.
    coming = {
        (row_text(row, "host__name"), tuple(row["host__required_visitor_fields"] or ()))
        for row in rows.rows
        if row["host_id"] is not None and row["status"] != VisitStatus.CANCELLED and row["ends_at"] > now
    }
    context["visitor_needs"] = visitor_needs_of(participant=participant, hosts=[(n, list(f)) for n, f in coming])
    context["visitor_details_url"] = reverse("itinerary-visitor-details", kwargs={"token": participant.access_token})
    group = participant.group
    if group is not None and group.coordinator_id == participant.pk:
        # The group's coordinator also sees who is in the group and how to reach them.
        context["coordinated_group"] = group
        context["group_members"] = list(group_members(group=group))
    key = _schedule_version(context, rows, language)
    schedule = cache.get(key)
    if schedule is None:
        # The names of the groups on each visit: a renamed group bumps the program's version.
        groups = visit_group_names(visit_ids=[row["id"] for row in rows.rows])
        shape = _shape(rows.to_itinerary(), groups, clock)
        schedule = render_to_string("itinerary/_schedule.html", {**context, **shape}, request=request)
        cache.set(key, str(schedule), TIMEOUT)
    context["schedule_version"] = key
    context["schedule"] = mark_safe(schedule)  # noqa: S308 - our own template's output, rendered above
    response = render(request, "itinerary/page.html", context)
    patch_vary_headers(response, ["Cookie"])
    return response


def _schedule_version(context: dict, rows: ItineraryRows, language: str) -> str:
    """What the page's schedule and calendar sections show, as one cache key: the itinerary's
    version (programs.versions), the language, the
    personal links, and the moments that move with the clock (today, the next visit, whether
    it is running)."""
    return version_key(
        "page",
        itinerary_version(participant=rows.participant),
        language,
        context["today"],
        context["next_visit_id"],
        context["next_is_running"],
        context["home_zone_label"],
        context["page_url"],
        context["feed_url"],
    )


# --- views ------------------------------------------------------------------------------


@require_GET
@personal
@by_token
def itinerary_page(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """The personal itinerary behind the secret link, in the participant's language."""
    return _render_itinerary(request, participant)


@require_GET
@personal
@by_token
def itinerary_feed(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """The itinerary as an iCalendar feed that calendar apps subscribe to; 304 when unchanged."""
    etag = f'"{itinerary_version(participant=participant)}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")) or request.headers.get("If-None-Match") == "*":
        response = HttpResponse(status=304)
    else:
        page_url = personal_link(token, base=request.build_absolute_uri("/"))
        response = HttpResponse(
            itinerary_ical_cached(participant=participant, personal_url=page_url),
            content_type="text/calendar; charset=utf-8",
        )
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{participant.program.slug}.ics"'
    response["ETag"] = etag
    # Calendar apps poll: let them revalidate each time, the ETag makes that cheap.
    patch_cache_control(response, no_cache=True)
    return response


@require_POST
@personal
@by_token
def language_switch(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """Change the participant's language and remember it for the page and their e-mails."""
    language = request.POST.get("language", "")
    if language not in LANGUAGE_CODES:
        return HttpResponseBadRequest(
            _("Unknown language “%(language)s”: choose one of %(choices)s.")
            % {"language": language[:10], "choices": ", ".join(sorted(LANGUAGE_CODES))},
            content_type="text/plain; charset=utf-8",
        )
    participant_update(participant=participant, language=language)
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("itinerary", kwargs={"token": participant.access_token})
    return HttpResponseRedirect(target, status=303)


@require_GET
@personal
@by_token
def itinerary_qr(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """A QR code of the webcal:// feed, to scan from a laptop screen with the phone."""
    webcal = _feed_urls(request, participant)["webcal_url"]
    image = qrcode.make(webcal, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
@login_required
@personal
def my_itinerary(request: HttpRequest) -> HttpResponse:
    """`/me/`: the itinerary of a participant with a login; the current or next program first,
    the others linked (`?program=<slug>` opens one of them)."""
    participations = participations_of_user(user=request.user)
    chosen = None
    slug = request.GET.get("program")
    if slug:
        chosen = next((p for p in participations if p.program.slug == slug), None)
        if chosen is None:
            return _not_found(request)
    chosen = chosen or current_participation(participations=participations, now=current_time())
    if chosen is None:
        return render(request, "itinerary/no_participation.html", status=404)
    others = [p for p in participations if p.pk != chosen.pk]
    return _render_itinerary(request, chosen, extra={"other_participations": others, "on_me_page": True})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site root so that its scope covers the personal pages."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on each visit; never let a stale one stick.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _manifest(request: HttpRequest, *, start_url: str, name: str) -> HttpResponse:
    manifest = {
        "name": name,
        "short_name": _("Itinerary"),
        "description": _("Your internship schedule, also offline."),
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f6c",
        "lang": translation.get_language(),
        "icons": [
            {"src": static(f"itinerary/{icon}.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": purpose}
            for icon, purpose in (("icon", "any"), ("icon-maskable", "maskable"))
        ],
    }
    return HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest for participants with a login: it opens `/me/`."""
    return _manifest(request, start_url=reverse("my-itinerary"), name=_("Internship Portal: my itinerary"))


@require_GET
@personal
@by_token
def itinerary_manifest(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """The manifest of one personal page: installed on a home screen, it opens that page."""
    translation.activate(participant.language if participant.language in LANGUAGE_CODES else settings.LANGUAGE_CODE)
    name = _("Itinerary: %(program)s") % {"program": participant.program.title}
    return _manifest(request, start_url=reverse("itinerary", kwargs={"token": token}), name=name)


# --- the ID details the hosts' security desks require ----------------------------------------


@require_http_methods(["GET", "POST"])
@personal
@by_token
def visitor_details(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """The participant gives what the hosts of their coming visits require for the visitor list,
    on a page saying who will see it and until when. ID details are encrypted at rest."""
    language = participant.language if participant.language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    needs = participant_visitor_needs(participant=participant)
    details = VisitorDetails.objects.filter(participant=participant).first()
    labels = dict(VisitorField.choices)
    errors: dict[str, list[str]] = {}
    values = {name: (getattr(details, name, "") if name in ID_DETAIL_FIELDS else getattr(participant, name, ""))
              for name in needs.fields}  # fmt: skip
    if request.method == "POST":
        posted = {name: request.POST.get(name, "").strip() for name in needs.fields}
        values.update(posted)
        try:
            with transaction.atomic():
                id_fields = {name: value for name, value in posted.items() if name in ID_DETAIL_FIELDS}
                if id_fields:
                    visitor_details_set(participant=participant, **id_fields)
                own = {name: value for name, value in posted.items() if name not in ID_DETAIL_FIELDS}
                if own:
                    participant_update(participant=participant, **own)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Thank you: your details are saved."))
            return HttpResponseRedirect(reverse("itinerary-visitor-details", kwargs={"token": token}), status=303)
    fields = [
        {
            "name": name,
            "label": labels[name],
            "value": values.get(name, ""),
            "errors": errors.get(name, []),
            "type": "date" if name == "date_of_birth" else "text",
        }
        for name in needs.fields
    ]
    context = {
        "participant": participant,
        "program": participant.program,
        "needs": needs,
        "fields": fields,
        "errors": errors,
        "kept_until": visitor_details_retention_ends(program=participant.program),
        "page_url": reverse("itinerary", kwargs={"token": token}),
    }
    return render(request, "itinerary/visitor_details.html", context, status=400 if errors else 200)
