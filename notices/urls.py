"""The organiser's send-outs, under /organiser/programs/<slug>/send/."""

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.sendouts, name="sendouts"),
    path("schedules/", views.send_schedules, name="send_schedules"),
    path("changes/", views.notify_changes, name="notify_changes"),
    path("<int:sendout_id>/", views.sendout_detail, name="sendout"),
    path("<int:sendout_id>/progress.json", views.sendout_progress, name="sendout_progress"),
]
