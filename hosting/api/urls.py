"""Routes of hosting in the API (included under /api/v1/)."""

from django.urls import path

from .views import RequestConfirmationView

urlpatterns = [
    path(
        "programs/<slug:program_slug>/visits/<int:pk>/request-confirmation/",
        RequestConfirmationView.as_view(),
        name="visit-request-confirmation",
    ),
]
