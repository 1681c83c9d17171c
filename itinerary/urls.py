"""Routes of the participant's personal pages, mounted at the site root.

The service worker lives at `/sw.js` so that its scope covers `/i/…` and `/me/`.
"""

from django.urls import path, re_path

from . import views

# Tokens are URL-safe base64 (participants.tokens); anything else cannot be one.
PERSONAL_LINK = r"(?P<token>[A-Za-z0-9_-]{1,64})"

urlpatterns = [
    re_path(rf"^i/{PERSONAL_LINK}/$", views.itinerary_page, name="itinerary"),
    re_path(rf"^i/{PERSONAL_LINK}\.ics$", views.itinerary_feed, name="itinerary-feed"),
    re_path(rf"^i/{PERSONAL_LINK}/language/$", views.language_switch, name="itinerary-language"),
    re_path(rf"^i/{PERSONAL_LINK}/qr\.svg$", views.itinerary_qr, name="itinerary-qr"),
    re_path(rf"^i/{PERSONAL_LINK}/visitor-details/$", views.visitor_details, name="itinerary-visitor-details"),
    re_path(rf"^i/{PERSONAL_LINK}/manifest\.webmanifest$", views.itinerary_manifest, name="itinerary-manifest"),
    path("me/", views.my_itinerary, name="my-itinerary"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
