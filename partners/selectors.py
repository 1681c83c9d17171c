"""Shaped reads for partner apps: who a token belongs to, which programs a caller may see."""

import hmac
from datetime import datetime

from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .enums import DeliveryStatus
from .models import ApiClient, Webhook, WebhookDelivery, hash_token

MAX_TOKEN_LENGTH = 200


# Whether a client has program limits, as SQL: an Exists() expression costs more to
# compile than the whole query takes to run, on every API request.
_LIMITS = ApiClient.programs.through._meta.db_table
_LIMITED_SQL = f'EXISTS (SELECT 1 FROM "{_LIMITS}" WHERE "{_LIMITS}".apiclient_id = "{ApiClient._meta.db_table}".id)'  # noqa: S608
_LIMITED = RawSQL(_LIMITED_SQL, [], output_field=BooleanField())  # noqa: S611 - table names from the models, no input


def api_client_by_token(*, token: str) -> ApiClient | None:
    """The active client holding this token, or None (unknown, revoked or malformed token).

    Only the SHA-256 is stored; the lookup is by that indexed hash and the final
    comparison is made in constant time."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(token)
    # Whether the client is limited to listed programs comes with it, so that the
    # access check of an unlimited client (the common case) needs no subquery.
    found = ApiClient.objects.filter(token_hash=digest, is_active=True).annotate(limited=_LIMITED).order_by()
    client = next(iter(found[:1]), None)
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    if not client.limited:
        client._program_ids = None  # see ApiClient.visible_programs
    return client


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
