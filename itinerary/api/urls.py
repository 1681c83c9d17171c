"""Routes of itineraries in the API (included under /api/v1/)."""

from django.urls import path

from .views import ItineraryView

PREFIX = "programs/<slug:program_slug>/"

urlpatterns = [
    path(f"{PREFIX}participants/<int:pk>/itinerary/", ItineraryView.as_view(), name="participant-itinerary"),
    path(
        f"{PREFIX}participants/<int:pk>/itinerary.ics",
        ItineraryView.as_view(),
        {"format": "ics"},
        name="participant-itinerary-ics",
    ),
]
