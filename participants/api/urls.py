"""Routes of groups and participants in the API (included under /api/v1/)."""

from django.urls import path

from .views import GroupViewSet, ParticipantViewSet

PREFIX = "programs/<slug:program_slug>/"

urlpatterns = [
    path(f"{PREFIX}groups/", GroupViewSet.as_view({"get": "list", "post": "create"}), name="group-list"),
    path(
        f"{PREFIX}groups/<int:pk>/",
        GroupViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="group-detail",
    ),
    path(
        f"{PREFIX}participants/",
        ParticipantViewSet.as_view({"get": "list", "post": "create"}),
        name="participant-list",
    ),
    path(
        f"{PREFIX}participants/import/",
        # The action's own settings (its multipart parser), as a router would pass them.
        ParticipantViewSet.as_view({"post": "import_file"}, **ParticipantViewSet.import_file.kwargs),
        name="participant-import",
    ),
    path(
        f"{PREFIX}participants/<int:pk>/",
        ParticipantViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="participant-detail",
    ),
    path(
        f"{PREFIX}participants/<int:pk>/rotate-link/",
        ParticipantViewSet.as_view({"post": "rotate_link"}),
        name="participant-rotate-link",
    ),
]
