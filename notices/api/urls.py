"""Routes of sending from the API (included under /api/v1/)."""

from django.urls import path

from .views import NotifyChangesView, SendItinerariesView

urlpatterns = [
    path("programs/<slug:program_slug>/send-itineraries/", SendItinerariesView.as_view(), name="send-itineraries"),
    path("programs/<slug:program_slug>/notify-changes/", NotifyChangesView.as_view(), name="notify-changes"),
]
