"""Writes for partner apps: issuing and revoking API tokens, webhooks, and sending deliveries.

Deliveries follow the outbox pattern (DESIGN.md): `webhook_event_emit` writes one
`WebhookDelivery` row per subscribed webhook inside the caller's transaction and,
after commit, hands the ids to a Celery task. If the broker is down the rows stay
pending and `dispatch_webhooks` (command and beat task) sends them later. A row is
sent by whoever moves it from pending to sending under a row lock, so it is never
sent twice.
"""

import http.client
import json
import logging
import secrets
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program

from .destinations import Destination, ForbiddenDestination, check_destination, resolve_destination
from .enums import DeliveryStatus, Scope, WebhookEvent
from .models import TOKEN_PREFIX_LENGTH, ApiClient, Webhook, WebhookDelivery, hash_token
from .selectors import deliveries_due, webhooks_subscribed
from .signing import SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
USER_AGENT = "InternshipPortal-Webhooks/1.0"


# Longer than any POST can take (the request timeout is far shorter).
SENDING_LEASE = timedelta(minutes=10)


def _max_attempts() -> int:
    return int(getattr(settings, "PARTNERS_WEBHOOK_MAX_ATTEMPTS", 6))


def _backoff(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2·base, 4·base …, at most an hour."""
    base = float(getattr(settings, "PARTNERS_WEBHOOK_BACKOFF_SECONDS", 30))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _timeout() -> float:
    return float(getattr(settings, "PARTNERS_WEBHOOK_TIMEOUT_SECONDS", 10))


# --- API clients -------------------------------------------------------------------


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = sorted({scope.strip() for scope in scopes if scope.strip()})
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown or not scopes:
        raise ValidationError({"scopes": _("Scopes must be one or more of: read, write.")})
    # Writing implies reading: a partner that writes must see what it wrote.
    if Scope.WRITE in scopes and Scope.READ not in scopes:
        scopes = sorted([*scopes, Scope.READ])
    return scopes


@transaction.atomic
def api_client_create(*, name: str, scopes: Iterable[str], programs: Iterable[Program] = ()) -> tuple[ApiClient, str]:
    """Register a partner app and issue its token; returns (client, token).

    The token is returned once and never stored: only its SHA-256 and a short
    prefix are kept. Fails with ValidationError on an empty name or unknown scope."""
    if not name or not name.strip():
        raise ValidationError({"name": _("Give the client a name.")})
    client = ApiClient(name=name.strip(), scopes=_clean_scopes(scopes))
    token = api_client_issue_token(client=client)
    client.full_clean()
    client.save()
    client.programs.set(list(programs))
    return client, token


def api_client_issue_token(*, client: ApiClient) -> str:
    """Give the client a new token (not saved here); the old one stops working once saved."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client.token_prefix = token[:TOKEN_PREFIX_LENGTH]
    client.token_hash = hash_token(token)
    return token


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    """Stop the client's token at once: the next request with it answers 401."""
    client.is_active = False
    client.revoked_at = client.revoked_at or timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    return client


@transaction.atomic
def api_client_update(
    *,
    client: ApiClient,
    name: str,
    scopes: Iterable[str],
    programs: Iterable[Program],
    is_active: bool,
) -> ApiClient:
    """Rename a client, change its scopes and programs; is_active=False revokes its token
    (api_client_revoke), True lets the same token in again."""
    if not name or not name.strip():
        raise ValidationError({"name": _("Give the client a name.")})
    client.name, client.scopes = name.strip(), _clean_scopes(scopes)
    if is_active:
        client.is_active, client.revoked_at = True, None
    client.full_clean()
    client.save()
    client.programs.set(list(programs))
    if not is_active:
        api_client_revoke(client=client)
    return client


@transaction.atomic
def api_client_delete(*, client: ApiClient) -> None:
    """Remove a client with its webhooks and their deliveries."""
    client.delete()


def api_client_touch(*, client: ApiClient) -> None:
    """Record that the client was seen, at most once a minute (one UPDATE, no read)."""
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


# --- webhooks ----------------------------------------------------------------------


def _validate_webhook(*, url: str, events: list[str]) -> None:
    errors: dict[str, str] = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Give an http:// or https:// URL.")
    else:
        try:
            check_destination(url)
        except ForbiddenDestination as exc:
            errors["url"] = str(exc)
    unknown = [event for event in events if event not in WebhookEvent.values]
    if unknown or not events:
        errors["events"] = _("Events must be one or more of: %(events)s.") % {"events": ", ".join(WebhookEvent.values)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def webhook_create(*, client: ApiClient, url: str, events: Iterable[str]) -> Webhook:
    """Subscribe a client's URL to events; the signing secret is generated here."""
    events = sorted(set(events))
    _validate_webhook(url=url, events=events)
    webhook = Webhook(client=client, url=url, events=events, secret=secrets.token_hex(32))
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_update(
    *, webhook: Webhook, url: str | None = None, events: Iterable[str] | None = None, is_active: bool | None = None
) -> Webhook:
    """Change a webhook's URL, events or active flag."""
    if url is not None:
        webhook.url = url
    if events is not None:
        webhook.events = sorted(set(events))
    if is_active is not None:
        webhook.is_active = is_active
    _validate_webhook(url=webhook.url, events=webhook.events)
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    """Remove a webhook and its delivery history."""
    webhook.delete()


def webhook_event_emit(*, program_id: int, event: str, payload: dict) -> int:
    """Record one delivery per active webhook subscribed to `event` whose client may see
    the program; after commit, queue them for sending. Returns the number of rows."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    webhooks = webhooks_subscribed(program_id=program_id, event=event)
    if not webhooks:
        return 0
    now = timezone.now()
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=webhook, program_id=program_id, event=event, payload=payload, next_attempt_at=now)
        for webhook in webhooks
    )
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: webhook_deliveries_enqueue(delivery_ids=ids))
    return len(rows)


def webhook_deliveries_enqueue(*, delivery_ids: Iterable[int]) -> None:
    """Hand deliveries to the Celery worker; a broker that is down leaves them pending for the sweep."""
    from .tasks import task_deliver_webhook  # the task module imports this one

    for delivery_id in delivery_ids:
        try:
            task_deliver_webhook.apply_async(kwargs={"delivery_id": delivery_id})
        except Exception:  # any broker failure: the row stays pending, the sweep sends it
            logger.exception("Could not queue webhook delivery %s; dispatch_webhooks will send it.", delivery_id)


def webhook_body(*, delivery: WebhookDelivery) -> bytes:
    """The exact bytes that are POSTed and signed: the same for every attempt."""
    envelope = {
        "delivery": delivery.pk,
        "event": delivery.event,
        "program": delivery.program.slug if delivery.program_id else None,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class SendOutcome:
    status: str  # "delivered", "retry", "failed" or "skipped"
    retry_in: float | None = None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the address that was checked, not to whatever the name resolves to now."""

    def __init__(self, destination: Destination, *, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout)
        self.address = destination.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is verified for the partner's host name (SNI)."""

    def __init__(self, destination: Destination, *, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout, context=ssl.create_default_context())
        self.address = destination.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class _Answer:
    code: int | None  # the HTTP status, None if there was no answer
    error: str = ""
    final: bool = False  # no point in trying again: the delivery fails at once


def _post(*, destination: Destination, body: bytes, headers: dict[str, str]) -> _Answer:
    """POST the body to the resolved destination. Redirects are never followed: the
    place they point to has not been checked, and the request carries the signature."""
    connection_class = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(destination, timeout=_timeout())
    try:
        connection.request("POST", destination.target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        code, reason, location = response.status, response.reason, response.getheader("Location", "")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return _Answer(None, (str(exc) or type(exc).__name__)[:1000])
    finally:
        connection.close()
    if 200 <= code < 300:
        return _Answer(code)
    if 300 <= code < 400:
        error = (
            f"HTTP {code} {reason}: the endpoint redirects to {location or 'another address'}; "
            "webhooks do not follow redirects, register the final URL."
        )
        return _Answer(code, error[:1000], final=True)
    return _Answer(code, f"HTTP {code} {reason}")


def webhook_delivery_send(*, delivery_id: int) -> SendOutcome:
    """Send one due, pending delivery once.

    The row moves pending → sending under a row lock before the POST, so a
    duplicated task or a concurrent sweep finds it no longer pending and skips it.
    2xx: delivered. A redirect fails the delivery at once (it is not followed: its
    target was never checked). Otherwise it goes back to pending with a backoff, or
    to failed after the last attempt. The outcome tells a Celery task when to retry."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook__client", "program")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return SendOutcome("skipped")
        webhook = delivery.webhook
        if not (webhook.is_active and webhook.client.is_active):
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = "The webhook or its client was deactivated."
            delivery.save(update_fields=["status", "last_error"])
            return SendOutcome("failed")
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        # A lease: if this sender dies mid-POST, the sweep puts the row back
        # once it expires (at-least-once; receivers dedupe on X-Portal-Delivery).
        delivery.next_attempt_at = now + SENDING_LEASE
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])

    body = webhook_body(delivery=delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret=webhook.secret, body=body),
        "X-Portal-Event": delivery.event,
        "X-Portal-Delivery": str(delivery.pk),
    }
    try:
        destination = resolve_destination(webhook.url)
    except ForbiddenDestination as exc:
        answer = _Answer(None, str(exc))
    else:
        answer = _post(destination=destination, body=body, headers=headers)

    code, error = answer.code, answer.error
    delivery.last_response_code = code
    delivery.last_error = error
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        outcome = SendOutcome("delivered")
    elif answer.final or delivery.attempts >= _max_attempts():
        delivery.status = DeliveryStatus.FAILED
        outcome = SendOutcome("failed")
    else:
        delay = _backoff(delivery.attempts)
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now() + delay
        outcome = SendOutcome("retry", retry_in=delay.total_seconds())
    delivery.save(update_fields=["status", "last_response_code", "last_error", "delivered_at", "next_attempt_at"])
    if outcome.status != "delivered":
        logger.warning("Webhook delivery %s to %s: %s (attempt %s)", delivery.pk, webhook.url, error, delivery.attempts)
    return outcome


def webhook_delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Put a failed (or stuck) delivery back in the queue, due now, with a fresh attempt budget."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery


def webhooks_dispatch_due() -> dict[str, int]:
    """Send every pending delivery that is due (the sweep behind `dispatch_webhooks`),
    after releasing deliveries whose sender died while sending (lease expired)."""
    counts: dict[str, int] = {}
    released = WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, next_attempt_at__lte=timezone.now()
    ).update(status=DeliveryStatus.PENDING)
    if released:
        counts["released"] = released
    for delivery_id in deliveries_due(now=timezone.now()):
        outcome = webhook_delivery_send(delivery_id=delivery_id)
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts
