"""Attendance and certificates in the admin, written through outcomes.services.

An organiser sees the rows of the programs they organise (programs.admin_access). An
attendance mark is added or corrected as one more mark merged by `attendance_merge` (the
later mark wins, `attendance.updated` goes to partner apps); who marked it and when are the
service's to record. A certificate is issued by `certificate_issue` (refused below the
program's attendance threshold) and never edited; an archive of a program's certificates is
requested from `certificate_archive_request` and built by a worker.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.admin_access import ProgramScopedAdmin, ServiceAdminForm

from .models import Attendance, Certificate, CertificateArchive
from .selectors import attendance_summary
from .services import CertificateRefused, Mark, attendance_merge, certificate_archive_request, certificate_issue


def _actor(request) -> str:
    if request is None:
        return ""
    return request.user.get_full_name() or request.user.get_username()


class AttendanceAdminForm(ServiceAdminForm):
    class Meta:
        model = Attendance
        fields = ["visit", "participant", "present"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A correction is a new mark of the same participant at the same visit.
            self.fields["visit"].disabled = True
            self.fields["participant"].disabled = True

    def write(self, instance):
        data = self.cleaned_data
        visit, participant = data["visit"], data["participant"]
        now = timezone.now()
        mark = Mark(participant_id=participant.pk, present=data["present"], marked_at=now)
        attendance_merge(visit=visit, marks=[mark], marked_by=_actor(self.request), now=now)
        return Attendance.objects.get(visit=visit, participant=participant)


@admin.register(Attendance)
class AttendanceAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = AttendanceAdminForm
    program_path = "visit__program"
    # No service removes a mark: a wrong one is corrected by a later mark.
    allow_delete = False
    list_display = ["participant", "visit", "present", "marked_by", "marked_at"]
    list_filter = ["present", "visit"]
    search_fields = ["participant__last_name", "participant__first_name", "visit__title"]
    list_select_related = ["participant", "visit"]
    autocomplete_fields = ["participant", "visit"]
    readonly_fields = ["marked_by", "marked_at", "client_id"]


class CertificateAdminForm(ServiceAdminForm):
    domain_errors = (ValidationError, CertificateRefused)

    class Meta:
        model = Certificate
        fields = ["participant"]

    def apply_error(self, error):
        if not isinstance(error, CertificateRefused):
            super().apply_error(error)
            return
        participant = self.cleaned_data["participant"]
        summary = attendance_summary(participant=participant)
        self.add_error(
            "participant",
            _(
                "%(participant)s attended %(percent)d%% of their visits; the program's certificate asks "
                "for %(threshold)d%%."
            )
            % {
                "participant": participant,
                "percent": summary.percent or 0,
                "threshold": participant.program.certificate_min_attendance,
            },
        )

    def write(self, instance):
        return certificate_issue(participant=self.cleaned_data["participant"])


@admin.register(Certificate)
class CertificateAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    """Issued through the service; the code and the moment are the certificate's, never edited."""

    form = CertificateAdminForm
    program_path = "participant__program"
    allow_change = allow_delete = False
    list_display = ["code", "participant", "program", "issued_at"]
    search_fields = ["code", "participant__last_name", "participant__first_name"]
    list_select_related = ["participant__program"]
    autocomplete_fields = ["participant"]

    def get_fields(self, request, obj=None):
        return ["participant", "code", "issued_at"] if obj is not None else ["participant"]

    def get_readonly_fields(self, request, obj=None):
        return ["participant", "code", "issued_at"] if obj is not None else []

    @admin.display(description=_("program"), ordering="participant__program")
    def program(self, obj: Certificate):
        return obj.participant.program


class CertificateArchiveAdminForm(ServiceAdminForm):
    class Meta:
        model = CertificateArchive
        fields = ["program"]

    def write(self, instance):
        return certificate_archive_request(
            program=self.cleaned_data["program"], actor=self.request.user if self.request is not None else None
        )


ARCHIVE_FIELDS = ["program", "status", "count", "file", "error", "requested_by", "created_at", "finished_at"]


@admin.register(CertificateArchive)
class CertificateArchiveAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    """Requested here (a worker builds the ZIP); what it holds is the worker's, never edited."""

    form = CertificateArchiveAdminForm
    allow_change = allow_delete = False
    list_display = ["__str__", "program", "status", "count", "requested_by", "created_at", "finished_at"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "requested_by"]

    def get_fields(self, request, obj=None):
        return ARCHIVE_FIELDS if obj is not None else ["program"]

    def get_readonly_fields(self, request, obj=None):
        return ARCHIVE_FIELDS if obj is not None else []
