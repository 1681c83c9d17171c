"""Survey routes: the participant's link at /s/<token>/ and the organiser's results pages."""

from django.urls import path, re_path

from . import views

app_name = "surveys"

urlpatterns = [
    re_path(r"^s/(?P<token>[A-Za-z0-9_-]{1,64})/$", views.survey_respond, name="respond"),
    path("organiser/programs/<slug:slug>/feedback/", views.program_feedback_page, name="feedback"),
    path(
        "organiser/programs/<slug:slug>/surveys/<int:survey_id>/results/",
        views.survey_results_page,
        name="results",
    ),
    path(
        "organiser/programs/<slug:slug>/surveys/<int:survey_id>/results.csv",
        views.survey_results_csv,
        name="results-csv",
    ),
    path("organiser/programs/<slug:slug>/surveys/<int:survey_id>/send/", views.survey_send_view, name="send"),
]
