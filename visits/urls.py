"""Organiser pages of a program's schedule, under /organiser/programs/<slug>/."""

from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/move/", views.board_move, name="board_move"),
    path("board/shift/", views.board_shift, name="board_shift"),
    path("board/duplicate/", views.board_duplicate, name="board_duplicate"),
    path("board/undo/", views.board_undo_view, name="board_undo"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", views.visit_edit, name="visit_edit"),
    path("visits/<int:visit_id>/visitors/", views.visitors_print, name="visitors"),
    path("visits/<int:visit_id>/visitors.csv", views.visitors_csv, name="visitors_csv"),
    path("hosts/", views.host_list, name="hosts"),
    path("hosts/new/", views.host_new, name="host_new"),
    path("hosts/<int:host_id>/", views.host_edit, name="host_edit"),
    path("hosts/<int:host_id>/delete/", views.host_delete, name="host_delete"),
    path("hosts/<int:host_id>/contacts/new/", views.host_contact_new, name="host_contact_new"),
    path("hosts/<int:host_id>/contacts/<int:contact_id>/", views.host_contact_edit, name="host_contact_edit"),
]
