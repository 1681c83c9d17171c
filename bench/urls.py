"""Routes of the floor views (bench.floor), mounted at /bench-floor/ only with BENCH_FLOOR=1."""

from django.urls import path, re_path

from . import floor

TOKEN = r"(?P<token>[A-Za-z0-9_-]{1,64})"  # noqa: S105 - a URL pattern, not a secret

urlpatterns = [
    re_path(rf"^i/{TOKEN}\.ics$", floor.itinerary_ics, name="floor-itinerary-ics"),
    re_path(rf"^i/{TOKEN}/$", floor.itinerary_page, name="floor-itinerary-page"),
    path(
        "api/<slug:slug>/participants/<int:participant_id>/itinerary/",
        floor.api_itinerary,
        name="floor-api-itinerary",
    ),
    path("api/<slug:slug>/visits/", floor.api_visits, name="floor-api-visits"),
    path("board/<slug:slug>/<str:day>/", floor.board_day, name="floor-board"),
]
