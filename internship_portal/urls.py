"""Top-level URL routes: admin, web pages, the API."""

import os

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import LoginView
from programs.urls import organiser_patterns

from . import dashboard, health

# The admin's headings in the organiser's language, named after the portal rather than Django.
admin.site.site_header = _("Internship Portal administration")
admin.site.site_title = _("Internship Portal")
admin.site.index_title = _("Programs, visits and participants")

urlpatterns = [
    # The admin is behind the portal's own login (password, then the two-factor code).
    path("admin/login/", LoginView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    # Login with its code step, two-factor enrolment, password reset by e-mail.
    path("", include("accounts.urls")),
    # Organiser pages: /, logout, /organiser/...
    path("", include("programs.urls")),
    path("organiser/", include(organiser_patterns)),
    path("organiser/programs/<slug:slug>/", dashboard.dashboard, name="program-dashboard"),
    path("organiser/programs/<slug:slug>/", include("visits.urls")),
    path("organiser/programs/<slug:slug>/send/", include("notices.urls")),
    path("organiser/programs/<slug:slug>/print/", include("itinerary.organiser_urls")),
    path("organiser/programs/<slug:slug>/participants/", include("participants.urls")),
    path("organiser/programs/<slug:slug>/outcomes/", include("outcomes.organiser_urls")),
    path("organiser/programs/<slug:slug>/propose/", include("planning.urls")),
    path("", include("itinerary.urls")),
    # Check-in and certificates behind the personal link, and /verify/<code>/.
    path("", include("outcomes.urls")),
    # Host contacts' links /h/<token>/ and the organiser's confirmation pages.
    path("", include("hosting.urls")),
    # Surveys: the participant's link /s/<token>/ and the organiser's results pages.
    path("", include("surveys.urls")),
    path("api/", include("internship_portal.api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# Under /api/ every error is JSON, also those answered outside the API's views.
handler400 = "internship_portal.api.exceptions.bad_request"
handler403 = "internship_portal.api.exceptions.permission_denied"
handler404 = "internship_portal.api.exceptions.page_not_found"
handler500 = "internship_portal.api.exceptions.server_error"

# The benchmark's floor views (bench/floor.py), only in a benchmark's gunicorn.
if os.environ.get("BENCH_FLOOR") == "1":
    urlpatterns += [path("bench-floor/", include("bench.urls"))]
