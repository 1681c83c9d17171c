"""Shaped reads for partner apps: who a token belongs to, which programs a caller may see."""

import hmac
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from programs.models import Program
from programs.selectors import programs_for_organiser

from .enums import DeliveryStatus
from .models import ApiClient, Webhook, WebhookDelivery, hash_token

MAX_TOKEN_LENGTH = 200


def api_client_by_token(*, token: str) -> ApiClient | None:
    """The active client holding this token, or None (unknown, revoked or malformed token).

    Only the SHA-256 is stored; the lookup is by that indexed hash and the final
    comparison is made in constant time."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(token)
    client = ApiClient.objects.filter(token_hash=digest, is_active=True).first()
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    return client


def api_client_program_ids(*, client: ApiClient) -> set[int] | None:
    """The programs a client is limited to, or None when it may see every program."""
    cached = getattr(client, "_program_ids", False)
    if cached is not False:
        return cached
    ids = set(client.programs.values_list("pk", flat=True)) or None
    client._program_ids = ids
    return ids


def programs_visible(*, user: AbstractBaseUser | AnonymousUser | None, client: ApiClient | None) -> QuerySet[Program]:
    """The programs this caller may read and change through the API.

    A client: every program, or only the programs it is limited to. A browser
    session: the programs the user organises (superusers: all)."""
    if client is not None:
        qs = Program.objects.prefetch_related("topics")
        program_ids = getattr(client, "_program_ids", False)
        if program_ids is not False:  # already read for this request
            return qs if program_ids is None else qs.filter(pk__in=program_ids)
        # The client's limits as a subquery, so the access check runs inside the caller's query
        # instead of a query of its own on every request: no limits, or this program among them.
        limits = ApiClient.programs.through.objects.filter(apiclient_id=client.pk)
        return qs.filter(~Exists(limits) | Exists(limits.filter(program_id=OuterRef("pk"))))
    if user is None:
        return Program.objects.none()
    return programs_for_organiser(user=user)


def webhooks_of_client(*, client: ApiClient) -> QuerySet[Webhook]:
    return Webhook.objects.filter(client=client).order_by("id")


def deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of pending deliveries whose time has come, oldest first."""
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def webhooks_subscribed(*, program_id: int, event: str) -> list[Webhook]:
    """Active webhooks of active clients that listen to this event and may see this program.

    Events are a short JSON list per webhook, filtered here in Python so that the
    same code runs on SQLite and PostgreSQL; there are few webhooks, one query."""
    webhooks = Webhook.objects.filter(is_active=True, client__is_active=True).select_related("client")
    limits: dict[int, set[int]] = {}
    for client_id, program in ApiClient.programs.through.objects.filter(apiclient__is_active=True).values_list(
        "apiclient_id", "program_id"
    ):
        limits.setdefault(client_id, set()).add(program)
    return [
        webhook
        for webhook in webhooks
        if event in webhook.events and (webhook.client_id not in limits or program_id in limits[webhook.client_id])
    ]
