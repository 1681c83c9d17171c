"""Shaped reads for partner apps: who a token belongs to, which programs a caller may see."""

import hmac
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from programs.models import Program
from programs.selectors import programs_for_organiser

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
        client._program_ids = None
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
        if program_ids is not False:  # known for this request (api_client_by_token tells an unlimited client)
            return qs if program_ids is None else qs.filter(pk__in=program_ids)
        if getattr(client, "limited", False):
            # The client's limits as a join, so the access check runs inside the caller's query
            # instead of a query of its own.
            return qs.filter(api_clients=client)
        program_ids = api_client_program_ids(client=client)  # a client not read by api_client_by_token
        return qs if program_ids is None else qs.filter(pk__in=program_ids)
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
