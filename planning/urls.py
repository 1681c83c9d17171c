"""The Propose page of a program, under /organiser/programs/<slug>/propose/."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.propose, name="propose"),
    path("windows/new/", views.window_new, name="window_new"),
    path("windows/<int:window_id>/", views.window_edit, name="window_edit"),
    path("windows/<int:window_id>/delete/", views.window_remove, name="window_delete"),
    path("windows/import/", views.windows_upload, name="windows_import"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:request_id>/", views.request_edit, name="request_edit"),
    path("requests/<int:request_id>/delete/", views.request_remove, name="request_delete"),
    path("requests/import/", views.requests_upload, name="requests_import"),
    path("proposals/<int:proposal_id>/status.json", views.proposal_status, name="proposal_status"),
    path("proposals/<int:proposal_id>/apply/", views.proposal_apply_view, name="proposal_apply"),
    path("proposals/<int:proposal_id>/discard/", views.proposal_discard_view, name="proposal_discard"),
]
