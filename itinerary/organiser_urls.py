"""Organiser pages of itineraries, under /organiser/programs/<slug>/print/."""

from django.urls import path

from . import organiser_views as views

app_name = "itinerary"

urlpatterns = [
    path("groups/<int:group_id>/", views.print_group, name="print_group"),
    path("participants/<int:participant_id>/", views.print_participant, name="print_participant"),
]
