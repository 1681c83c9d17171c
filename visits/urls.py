"""Organiser pages of a program's schedule, under /organiser/programs/<slug>/."""

from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("board/", views.board, name="board"),
    path("send/schedules/", views.send_schedules, name="send_schedules"),
    path("send/changes/", views.notify_changes, name="notify_changes"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", views.visit_edit, name="visit_edit"),
    path("visits/<int:visit_id>/visitors/", views.visitors_print, name="visitors"),
    path("visits/<int:visit_id>/visitors.csv", views.visitors_csv, name="visitors_csv"),
    path("hosts/", views.host_list, name="hosts"),
    path("print/groups/<int:group_id>/", views.print_group, name="print_group"),
    path("print/participants/<int:participant_id>/", views.print_participant, name="print_participant"),
]
