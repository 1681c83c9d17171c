"""The organiser's pages of attendance, certificates and reports for one program.

Reads through outcomes.selectors / outcomes.reports, writes through outcomes.services
(and programs.services for the certificate threshold)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants.models import Participant
from programs.services import program_update
from programs.views import organiser_required, program_for
from visits.models import SiteVisit

from .enums import ArchiveStatus
from .models import Attendance, CertificateArchive
from .reports import (
    debrief_filename,
    host_debrief_pdf,
    host_of_program,
    hosts_of_program,
    outcome_report_data,
    report_filename,
    report_pdf,
    report_xlsx,
)
from .selectors import attendance_summary, visit_members
from .services import Mark, attendance_merge, certificate_archive_request, certificates_send

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES = {"present": True, "absent": False}


def _marker(request: HttpRequest) -> str:
    return request.user.get_full_name() or request.user.get_username()


@require_GET
@organiser_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Attendance per visit and per participant, the certificates and the reports."""
    program = program_for(request, slug)
    context = {
        **outcome_report_data(program=program),
        "hosts": hosts_of_program(program=program),
        "archives": list(CertificateArchive.objects.filter(program=program)[:5]),
        "ready": ArchiveStatus.READY,
    }
    return render(request, "outcomes/overview.html", context)


@require_POST
@organiser_required
def threshold(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the program's certificate threshold (programs.services.program_update)."""
    program = program_for(request, slug)
    raw = request.POST.get("certificate_min_attendance", "").strip()
    try:
        value = int(raw)
        program_update(program=program, certificate_min_attendance=value)
    except (ValueError, ValidationError):
        messages.error(request, _("The attendance needed for a certificate is a whole number from 0 to 100."))
    else:
        messages.success(request, _("Certificates now need %(value)d%% attendance.") % {"value": value})
    return redirect("outcomes:overview", slug=program.slug)


def _apply_form(request: HttpRequest, *, visit: SiteVisit, participant_ids: list[int], prefix: str) -> int:
    """The marks a correction form changed, merged as the organiser's, now."""
    now = timezone.now()
    marks = [
        Mark(participant_id=pk, present=CHOICES[choice], marked_at=now)
        for pk in participant_ids
        if (choice := request.POST.get(f"{prefix}{pk}")) in CHOICES
    ]
    return attendance_merge(visit=visit, marks=marks, marked_by=_marker(request), now=now)


@require_http_methods(["GET", "POST"])
@organiser_required
def visit_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Who was at a visit; the organiser corrects any mark."""
    program = program_for(request, slug)
    visit = get_object_or_404(SiteVisit.objects.select_related("host"), program=program, pk=pk)
    members = list(visit_members(visit=visit))
    if request.method == "POST":
        try:
            changed = _apply_form(request, visit=visit, participant_ids=[m.pk for m in members], prefix="p")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved. Marks changed: %(count)d.") % {"count": changed})
        return redirect("outcomes:visit", slug=program.slug, pk=visit.pk)
    marks = {row.participant_id: row for row in Attendance.objects.filter(visit=visit)}
    rows = [(member, marks.get(member.pk)) for member in members]
    context = {"program": program, "visit": visit, "rows": rows, "tz": program.tzinfo}
    return render(request, "outcomes/visit_attendance.html", context)


@require_http_methods(["GET", "POST"])
@organiser_required
def participant_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A participant's marks at each visit of their group; the organiser corrects any."""
    program = program_for(request, slug)
    participant = get_object_or_404(Participant.objects.select_related("group", "program"), program=program, pk=pk)
    visits = (
        list(SiteVisit.objects.filter(bookings__group=participant.group).select_related("host").order_by("starts_at"))
        if participant.group_id
        else []
    )
    if request.method == "POST":
        changed = 0
        now = timezone.now()
        try:
            for visit in visits:
                choice = request.POST.get(f"v{visit.pk}")
                if choice in CHOICES and not visit.is_cancelled:
                    mark = Mark(participant_id=participant.pk, present=CHOICES[choice], marked_at=now)
                    changed += attendance_merge(visit=visit, marks=[mark], marked_by=_marker(request), now=now)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved. Marks changed: %(count)d.") % {"count": changed})
        return redirect("outcomes:participant", slug=program.slug, pk=participant.pk)
    marks = {row.visit_id: row for row in Attendance.objects.filter(participant=participant)}
    context = {
        "program": program,
        "participant": participant,
        "rows": [(visit, marks.get(visit.pk)) for visit in visits],
        "summary": attendance_summary(participant=participant),
        "tz": program.tzinfo,
    }
    return render(request, "outcomes/participant_attendance.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@organiser_required
def report_pdf_download(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    return _download(report_pdf(program=program), "application/pdf", report_filename(program, "pdf"))


@require_GET
@organiser_required
def report_xlsx_download(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    return _download(report_xlsx(program=program), XLSX_TYPE, report_filename(program, "xlsx"))


@require_GET
@organiser_required
def debrief_download(request: HttpRequest, slug: str, host_id: int) -> HttpResponse:
    program = program_for(request, slug)
    host = host_of_program(program=program, pk=host_id)
    if host is None:
        raise Http404
    return _download(host_debrief_pdf(program=program, host=host), "application/pdf", debrief_filename(host))


@require_POST
@organiser_required
def archive_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for the ZIP of every certificate (a worker builds it)."""
    program = program_for(request, slug)
    certificate_archive_request(program=program, actor=request.user)
    messages.success(request, _("The ZIP of the certificates is being prepared; reload this page to download it."))
    return redirect("outcomes:overview", slug=program.slug)


@require_GET
@organiser_required
def archive_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = program_for(request, slug)
    archive = get_object_or_404(CertificateArchive, program=program, pk=pk, status=ArchiveStatus.READY)
    return FileResponse(archive.file.open("rb"), as_attachment=True, filename=f"certificates-{program.slug}.zip")


@require_POST
@organiser_required
def certificates_email(request: HttpRequest, slug: str) -> HttpResponse:
    """E-mail each participant who attended enough their certificate."""
    program = program_for(request, slug)
    sendout = certificates_send(program=program, actor=request.user)
    count = sendout.queued_count
    messages.success(
        request,
        ngettext(
            "%(count)d certificate is queued for sending by e-mail.",
            "%(count)d certificates are queued for sending by e-mail.",
            count,
        )
        % {"count": count},
    )
    return redirect("outcomes:overview", slug=program.slug)
