"""A partner app's own webhooks: register, list, change, remove. Browser sessions have none."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from internship_portal.api.access import PortalApiPermission, api_client_of
from partners.models import Webhook
from partners.selectors import webhooks_of_client
from partners.services import webhook_create, webhook_delete, webhook_update

from .serializers import WebhookInputSerializer, WebhookOutputSerializer


@extend_schema_view(
    list=extend_schema(summary="List this client's webhooks"),
    retrieve=extend_schema(summary="Read one webhook"),
    create=extend_schema(
        summary="Register a webhook (the answer carries its signing secret)",
        request=WebhookInputSerializer,
        responses={201: WebhookOutputSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a webhook", request=WebhookInputSerializer, responses={200: WebhookOutputSerializer}
    ),
    destroy=extend_schema(summary="Remove a webhook", responses={204: None}),
)
class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [PortalApiPermission]
    serializer_class = WebhookOutputSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if api_client_of(request) is None:
            raise PermissionDenied(_("Webhooks belong to API clients: call with a client token."))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return webhooks_of_client(client=api_client_of(self.request))

    def create(self, request, *args, **kwargs):
        data = self._parse(partial=False)
        data.pop("is_active", None)
        webhook = webhook_create(client=api_client_of(request), **data)
        return Response(self.get_serializer(webhook).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        webhook = webhook_update(webhook=self.get_object(), **self._parse(partial=True))
        return Response(self.get_serializer(webhook).data)

    def destroy(self, request, *args, **kwargs):
        webhook_delete(webhook=get_object_or_404(self.get_queryset(), pk=kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _parse(self, *, partial: bool) -> dict:
        serializer = WebhookInputSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
