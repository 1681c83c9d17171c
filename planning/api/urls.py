"""Routes of the proposer in the API (included under /api/v1/)."""

from django.urls import path

from .views import HostWindowViewSet, ProposalViewSet, VisitRequestViewSet

PREFIX = "programs/<slug:program_slug>/"
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        f"{PREFIX}host-windows/", HostWindowViewSet.as_view({"get": "list", "post": "create"}), name="host-window-list"
    ),
    path(f"{PREFIX}host-windows/<int:pk>/", HostWindowViewSet.as_view(DETAIL), name="host-window-detail"),
    path(
        f"{PREFIX}visit-requests/",
        VisitRequestViewSet.as_view({"get": "list", "post": "create"}),
        name="visit-request-list",
    ),
    path(f"{PREFIX}visit-requests/<int:pk>/", VisitRequestViewSet.as_view(DETAIL), name="visit-request-detail"),
    path(f"{PREFIX}proposals/", ProposalViewSet.as_view({"get": "list", "post": "create"}), name="proposal-list"),
    path(f"{PREFIX}proposals/<int:pk>/", ProposalViewSet.as_view({"get": "retrieve"}), name="proposal-detail"),
    path(f"{PREFIX}proposals/<int:pk>/apply/", ProposalViewSet.as_view({"post": "apply"}), name="proposal-apply"),
]
