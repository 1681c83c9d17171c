"""Webhooks in the API: a client registers `{url, events}` and gets the signing secret back."""

from rest_framework import serializers

from internship_portal.api.fields import StrictSerializer
from partners.enums import WebhookEvent
from partners.models import Webhook

WEBHOOK_OUTPUT_FIELDS = ("id", "url", "events", "is_active", "secret", "created_at")


class WebhookOutputSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices), read_only=True)
    secret = serializers.CharField(
        read_only=True, help_text="HMAC key of X-Portal-Signature: sha256=<hex HMAC-SHA256 of the raw body>."
    )

    class Meta:
        model = Webhook
        fields = WEBHOOK_OUTPUT_FIELDS
        read_only_fields = WEBHOOK_OUTPUT_FIELDS


class WebhookInputSerializer(StrictSerializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=len(WebhookEvent.values)
    )
    is_active = serializers.BooleanField(required=False)
