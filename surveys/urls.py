"""Survey routes: the participant's link at /s/<token>/ and the organiser's survey pages."""

from django.urls import path, re_path

from . import views

app_name = "surveys"

SURVEY = "organiser/programs/<slug:slug>/surveys/<int:survey_id>/"
QUESTION = f"{SURVEY}questions/<int:question_id>/"

urlpatterns = [
    re_path(r"^s/(?P<token>[A-Za-z0-9_-]{1,64})/$", views.survey_respond, name="respond"),
    path("organiser/programs/<slug:slug>/feedback/", views.program_feedback_page, name="feedback"),
    path("organiser/programs/<slug:slug>/surveys/", views.survey_list, name="list"),
    path("organiser/programs/<slug:slug>/surveys/new/", views.survey_new, name="new"),
    path(SURVEY, views.survey_edit, name="edit"),
    path(f"{SURVEY}questions/", views.question_new, name="question-new"),
    path(f"{SURVEY}questions/order/", views.questions_reorder_view, name="questions-reorder"),
    path(QUESTION, views.question_edit, name="question-edit"),
    path(f"{QUESTION}move/", views.question_move_view, name="question-move"),
    path(f"{QUESTION}delete/", views.question_delete_view, name="question-delete"),
    path(f"{SURVEY}invitations/", views.survey_invitations_page, name="invitations"),
    path(f"{SURVEY}send/", views.survey_send_view, name="send"),
    path(f"{SURVEY}nudge/", views.survey_nudge_view, name="nudge"),
    path(f"{SURVEY}results/", views.survey_results_page, name="results"),
    path(f"{SURVEY}results.csv", views.survey_results_csv, name="results-csv"),
    path(f"{SURVEY}results.xlsx", views.survey_results_xlsx, name="results-xlsx"),
]
