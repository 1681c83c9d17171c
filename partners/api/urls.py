"""Routes of webhooks in the API (included under /api/v1/)."""

from django.urls import path

from .views import WebhookViewSet

urlpatterns = [
    path("webhooks/", WebhookViewSet.as_view({"get": "list", "post": "create"}), name="webhook-list"),
    path(
        "webhooks/<int:pk>/",
        WebhookViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="webhook-detail",
    ),
]
