"""Routes of hosts and visits in the API (included under /api/v1/)."""

from django.urls import path

from .views import HostViewSet, VisitViewSet

PREFIX = "programs/<slug:program_slug>/"

urlpatterns = [
    path("hosts/", HostViewSet.as_view({"get": "list", "post": "create"}), name="host-list"),
    path("hosts/<int:pk>/", HostViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="host-detail"),
    path(f"{PREFIX}visits/", VisitViewSet.as_view({"get": "list", "post": "create"}), name="visit-list"),
    path(f"{PREFIX}visits/shift/", VisitViewSet.as_view({"post": "shift"}), name="visit-shift"),
    path(f"{PREFIX}visits/<int:pk>/duplicate/", VisitViewSet.as_view({"post": "duplicate"}), name="visit-duplicate"),
    path(
        f"{PREFIX}visits/<int:pk>/",
        VisitViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="visit-detail",
    ),
]
