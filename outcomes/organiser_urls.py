"""Organiser pages of attendance, certificates and reports, under /organiser/programs/<slug>/outcomes/."""

from django.urls import path

from . import organiser_views as views

app_name = "outcomes"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("threshold/", views.threshold, name="threshold"),
    path("visits/<int:pk>/", views.visit_attendance, name="visit"),
    path("participants/<int:pk>/", views.participant_attendance, name="participant"),
    path("report.pdf", views.report_pdf_download, name="report_pdf"),
    path("report.xlsx", views.report_xlsx_download, name="report_xlsx"),
    path("hosts/<int:host_id>/debrief.pdf", views.debrief_download, name="debrief"),
    path("certificates/zip/", views.archive_start, name="archive_start"),
    path("certificates/zip/<int:pk>/", views.archive_download, name="archive_download"),
    path("certificates/email/", views.certificates_email, name="certificates_email"),
]
