"""Routes of attendance and the outcome report in the API (included under /api/v1/)."""

from django.urls import path

from .views import HostDebriefPdfView, OutcomeReportPdfView, OutcomeReportXlsxView, VisitAttendanceView

PREFIX = "programs/<slug:program_slug>/"

urlpatterns = [
    path(f"{PREFIX}visits/<int:pk>/attendance/", VisitAttendanceView.as_view(), name="visit-attendance"),
    path(f"{PREFIX}outcome-report.pdf", OutcomeReportPdfView.as_view(), name="outcome-report-pdf"),
    path(f"{PREFIX}outcome-report.xlsx", OutcomeReportXlsxView.as_view(), name="outcome-report-xlsx"),
    path(f"{PREFIX}hosts/<int:host_id>/debrief.pdf", HostDebriefPdfView.as_view(), name="host-debrief-pdf"),
]
