"""The API's routes: /api/v1/ (each app's api/urls.py), /api/schema/ and /api/docs/.

Unknown addresses under /api/ answer a JSON 404, like every other API error (also those
holding an encoded newline, which `.` does not match; the root URLconf's handler404
answers the same for anything that still slips past).
"""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound

from . import schema  # noqa: F401 - registers the bearer scheme with drf-spectacular


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def api_not_found(request, *args, **kwargs):
    raise NotFound()


v1 = [
    path("", include("programs.api.urls")),
    path("", include("participants.api.urls")),
    path("", include("visits.api.urls")),
    path("", include("itinerary.api.urls")),
    path("", include("partners.api.urls")),
    path("", include("notices.api.urls")),
    path("", include("hosting.api.urls")),
    path("", include("surveys.api.urls")),
    path("", include("outcomes.api.urls")),
    path("", include("planning.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file of its own: the CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^[\s\S]*$", api_not_found, name="api-not-found"),
]
