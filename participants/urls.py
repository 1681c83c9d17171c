"""Organiser pages for participants, under /organiser/programs/<slug>/participants/."""

from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="list"),
    path("new/", views.participant_new, name="new"),
    path("<int:participant_id>/", views.participant_edit, name="edit"),
    path("<int:participant_id>/personal-data.json", views.participant_personal_data, name="personal_data"),
    path("<int:participant_id>/rotate-link/", views.participant_rotate_link, name="rotate_link"),
    path("<int:participant_id>/anonymise/", views.participant_anonymise_view, name="anonymise"),
    path("move/", views.participant_move, name="move"),
    path("import/", views.participant_import, name="import"),
    path("export.csv", views.participant_export, name="export"),
]
