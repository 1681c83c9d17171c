"""Organiser actions of the schedule's messages, under /organiser/programs/<slug>/send/."""

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("schedules/", views.send_schedules, name="send_schedules"),
    path("changes/", views.notify_changes, name="notify_changes"),
]
