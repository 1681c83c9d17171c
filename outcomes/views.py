"""Pages of attendance and certificates behind a personal link, and the public verification page.

- `/i/<token>/check-in/`: the group coordinator's check-in on the phone: today's visits of
  the group, its members, present/absent. It works with no signal: the page is kept by the
  itinerary's service worker, the marks by the phone (static/outcomes/checkin.js), which
  sends them to `/i/<token>/check-in/marks/` when it is back online.
- `/i/<token>/certificate.pdf`: the participant's certificate, or a 404 page saying why not.
- `/verify/<code>/`: public; says that a certificate is genuine, for whom and which program.
"""

import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from itinerary.views import by_token, personal
from participants.models import Participant

from .certificates import certificate_filename, certificate_pdf
from .selectors import attendance_summary, certificate_by_code, checkin_day
from .services import CertificateRefused, PhoneMark, certificate_issue, checkin_marks_apply

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
MAX_PHONE_MARKS = 500


def current_time() -> datetime:
    """Now; one name for it, so that tests can set the clock of "today's visits"."""
    return timezone.now()


def _activate(request: HttpRequest, participant: Participant) -> str:
    language = request.GET.get("lang")
    if language not in LANGUAGE_CODES:
        language = participant.language if participant.language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _is_coordinator(participant: Participant) -> bool:
    return participant.group is not None and participant.group.coordinator_id == participant.pk


@require_GET
@personal
@by_token
def checkin_page(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """Today's visits of the coordinator's group, each with the members to mark."""
    _activate(request, participant)
    if not _is_coordinator(participant):
        return render(request, "outcomes/checkin_not_coordinator.html", {"participant": participant}, status=404)
    program = participant.program
    today = program.local_date(current_time())
    context = {
        "participant": participant,
        "program": program,
        "group": participant.group,
        "today": today,
        "sheets": checkin_day(coordinator=participant, day=today),
        "marks_url": reverse("outcomes-checkin-marks", kwargs={"token": token}),
        "itinerary_url": reverse("itinerary", kwargs={"token": token}),
    }
    return render(request, "outcomes/checkin.html", context)


def _moment(value) -> datetime | None:
    """An ISO 8601 time with its offset, in UTC; None if it is not one or cannot be stored."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)  # None if malformed; ValueError for 2026-02-30 or 25:00
        return None if moment is None or timezone.is_naive(moment) else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: a moment before year 1 in UTC
        return None


def _phone_marks(body: bytes) -> list[PhoneMark]:
    """The marks of a check-in request; ValidationError naming what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested past the parser
        raise ValidationError(_("The body is not JSON.")) from None
    marks = data.get("marks") if isinstance(data, dict) else None
    if not isinstance(marks, list):
        raise ValidationError(_('Send {"marks": [...]}.'))
    if len(marks) > MAX_PHONE_MARKS:
        raise ValidationError(_("At most %(max)d marks at once.") % {"max": MAX_PHONE_MARKS})
    parsed = []
    for item in marks:
        if not isinstance(item, dict):
            raise ValidationError(_("Each mark is an object."))
        mark_id, visit, person, present = (
            item.get("id"),
            item.get("visit"),
            item.get("participant"),
            item.get("present"),
        )
        moment = _moment(item.get("marked_at"))
        if (
            not isinstance(mark_id, str)
            or not 0 < len(mark_id) <= 64
            or not mark_id.isprintable()  # the phone's ids are UUIDs; a NUL cannot even be stored
            or type(visit) is not int
            or type(person) is not int
            or not isinstance(present, bool)
            or moment is None
        ):
            raise ValidationError(_("Each mark needs id, visit, participant, present (true or false) and marked_at."))
        parsed.append(PhoneMark(id=mark_id, visit_id=visit, participant_id=person, present=present, marked_at=moment))
    return parsed


# The personal link in the address is the only credential (no cookie is read), so there is no
# session for a cross-site request to ride on; and a page kept offline for hours must still be
# able to send its marks when its CSRF token has long been rotated.
@csrf_exempt
@require_POST
@personal
@by_token
def checkin_marks(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """Merge the marks the check-in page kept on the phone; answer which were taken."""
    try:
        marks = _phone_marks(request.body)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(checkin_marks_apply(coordinator=participant, marks=marks, now=current_time()))


@require_GET
@personal
@by_token
def certificate_download(request: HttpRequest, participant: Participant, token: str) -> HttpResponse:
    """The participant's certificate as a PDF; below the threshold, a page that says so (404)."""
    _activate(request, participant)
    try:
        certificate = certificate_issue(participant=participant)
    except CertificateRefused:
        summary = attendance_summary(participant=participant)
        context = {
            "participant": participant,
            "program": participant.program,
            "summary": summary,
            "threshold": participant.program.certificate_min_attendance,
            "itinerary_url": reverse("itinerary", kwargs={"token": token}),
        }
        return render(request, "outcomes/no_certificate.html", context, status=404)
    certificate.participant = participant
    response = HttpResponse(certificate_pdf(certificate=certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate_filename(certificate)}"'
    return response


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether this is a genuine certificate, for whom and which program. Nothing more."""
    certificate = certificate_by_code(code=code)
    if certificate is None:
        response = render(request, "outcomes/verify_unknown.html", {"code": code[:40]}, status=404)
    else:
        participant = certificate.participant
        context = {"certificate": certificate, "participant": participant, "program": participant.program}
        response = render(request, "outcomes/verify.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
