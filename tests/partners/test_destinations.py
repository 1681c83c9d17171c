"""Webhooks may not point into the portal's own network."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.enums import DeliveryStatus
from partners.models import WebhookDelivery
from partners.services import api_client_create, webhook_create, webhook_delivery_send, webhooks_dispatch_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_app():
    return api_client_create(name="HR system", scopes=["read", "write"])[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
    ],
)
def test_webhook_to_a_private_address_is_refused(settings, client_app, url):
    settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(ValidationError) as caught:
        webhook_create(client=client_app, url=url, events=["visit.created"])

    assert "url" in caught.value.message_dict
    assert "non-public" in caught.value.message_dict["url"][0]


def test_webhook_to_an_unresolvable_host_is_refused(settings, client_app):
    settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(ValidationError) as caught:
        webhook_create(client=client_app, url="https://no-such-host.invalid/hook", events=["visit.created"])

    assert "does not resolve" in caught.value.message_dict["url"][0]


def test_delivery_to_a_destination_that_became_private_fails_without_posting(settings, client_app):
    webhook = webhook_create(client=client_app, url="http://127.0.0.1:9/hook", events=["visit.created"])
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="visit.created", payload={"id": 1}, next_attempt_at=timezone.now()
    )
    settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE = False
    settings.PARTNERS_WEBHOOK_MAX_ATTEMPTS = 1

    outcome = webhook_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome.status == "failed"
    assert delivery.last_response_code is None
    assert "non-public" in delivery.last_error


def test_sweep_releases_a_delivery_whose_sender_died(client_app):
    webhook = webhook_create(client=client_app, url="http://127.0.0.1:9/hook", events=["visit.created"])
    stuck = WebhookDelivery.objects.create(
        webhook=webhook,
        event="visit.created",
        payload={"id": 1},
        status=DeliveryStatus.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    fresh = WebhookDelivery.objects.create(
        webhook=webhook,
        event="visit.created",
        payload={"id": 2},
        status=DeliveryStatus.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    counts = webhooks_dispatch_due()

    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert counts["released"] == 1
    assert stuck.attempts == 2  # released, then tried again (nothing listens on port 9)
    assert stuck.status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
    assert fresh.status == DeliveryStatus.SENDING
