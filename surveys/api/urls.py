"""Survey routes in the API (included under /api/v1/)."""

from django.urls import path

from . import views

PREFIX = "programs/<slug:program_slug>/surveys/"

urlpatterns = [
    path(PREFIX, views.SurveyListView.as_view(), name="survey-list"),
    path(f"{PREFIX}<int:survey_id>/", views.SurveyDetailView.as_view(), name="survey-detail"),
    path(f"{PREFIX}<int:survey_id>/questions/", views.QuestionListView.as_view(), name="survey-question-list"),
    path(
        f"{PREFIX}<int:survey_id>/questions/<int:question_id>/",
        views.QuestionDetailView.as_view(),
        name="survey-question-detail",
    ),
    path(f"{PREFIX}<int:survey_id>/send/", views.SurveySendView.as_view(), name="survey-send"),
    path(f"{PREFIX}<int:survey_id>/results/", views.SurveyResultsView.as_view(), name="survey-results"),
]
