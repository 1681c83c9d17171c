"""Webhooks may not point into the portal's own network."""

import shutil
import socket
import ssl
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.enums import DeliveryStatus
from partners.models import WebhookDelivery
from partners.services import api_client_create, webhook_create, webhook_delivery_send, webhooks_dispatch_due

from .conftest import Receiver

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


PARTNER_HOST = "hooks.partner.example"


@pytest.fixture
def fake_dns(monkeypatch):
    """The partner's name resolves to the addresses queued here, one answer per lookup
    (the last one repeats); every other name resolves as usual. Records each lookup."""
    real = socket.getaddrinfo
    answers: list[str] = []
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != PARTNER_HOST:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, lookups


def pending_delivery(webhook):
    return WebhookDelivery.objects.create(
        webhook=webhook, event="visit.created", payload={"id": 1}, next_attempt_at=timezone.now()
    )


def test_delivery_answered_with_a_redirect_fails_without_following_it(client_app, receiver, internal_service):
    webhook = webhook_create(client=client_app, url=receiver.url, events=["visit.created"])
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    delivery = pending_delivery(webhook)
    first = webhook_delivery_send(delivery_id=delivery.pk)
    receiver.redirect_to = internal_service.url
    second = webhook_delivery_send(delivery_id=pending_delivery(webhook).pk)

    assert (first.status, second.status) == ("failed", "failed")
    assert len(receiver.requests) == 2
    assert internal_service.requests == []  # the signed request went nowhere else
    failed = WebhookDelivery.objects.get(pk=delivery.pk)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == 1
    assert failed.last_response_code == 302
    assert "redirect" in failed.last_error
    assert "169.254.169.254" in failed.last_error


def test_delivery_connects_to_the_address_that_was_checked(settings, client_app, receiver, fake_dns):
    answers, lookups = fake_dns
    port = receiver.server.server_address[1]
    answers.append("127.0.0.1")
    webhook = webhook_create(
        client=client_app, url=f"http://{PARTNER_HOST}:{port}/hooks/portal", events=["visit.created"]
    )
    settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE = False
    settings.PARTNERS_WEBHOOK_MAX_ATTEMPTS = 1
    settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS = 1
    # DNS rebinding: a public address for the check, then the portal's own loopback.
    answers[:] = ["93.184.215.14", "127.0.0.1"]
    lookups.clear()
    delivery = pending_delivery(webhook)

    outcome = webhook_delivery_send(delivery_id=delivery.pk)

    assert receiver.requests == []
    assert lookups == [PARTNER_HOST]  # resolved once: the address checked is the one connected to
    assert outcome.status == "failed"
    assert WebhookDelivery.objects.get(pk=delivery.pk).last_response_code is None


def test_delivery_to_a_pinned_address_sends_the_partners_host_name(client_app, receiver, fake_dns):
    answers, _lookups = fake_dns
    answers.append("127.0.0.1")
    port = receiver.server.server_address[1]
    webhook = webhook_create(
        client=client_app, url=f"http://{PARTNER_HOST}:{port}/hooks/portal", events=["visit.created"]
    )

    outcome = webhook_delivery_send(delivery_id=pending_delivery(webhook).pk)

    assert outcome.status == "delivered"
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"{PARTNER_HOST}:{port}"
    assert request["path"] == "/hooks/portal"


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    """An HTTPS receiver on loopback with a certificate for the partner's name, trusted by the
    portal's TLS (through SSL_CERT_FILE); records the server name each client asked for (SNI)."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(  # noqa: S603 - a fixed command making the test's own certificate
        [
            shutil.which("openssl") or "openssl",
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={PARTNER_HOST}"),
            *("-addext", f"subjectAltName=DNS:{PARTNER_HOST}"),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    receiver = Receiver()
    server_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
    receiver.server_names = server_names
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_https_delivery_to_a_pinned_address_verifies_the_partners_certificate(client_app, tls_receiver, fake_dns):
    answers, _lookups = fake_dns
    answers.append("127.0.0.1")
    port = tls_receiver.server.server_address[1]
    webhook = webhook_create(
        client=client_app, url=f"https://{PARTNER_HOST}:{port}/hooks/portal", events=["visit.created"]
    )

    outcome = webhook_delivery_send(delivery_id=pending_delivery(webhook).pk)

    assert outcome.status == "delivered"
    assert tls_receiver.server_names == [PARTNER_HOST]
    assert tls_receiver.requests[0]["headers"]["Host"] == f"{PARTNER_HOST}:{port}"
