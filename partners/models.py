"""Partner apps: API clients with hashed tokens and scopes, their webhooks and every delivery.

A client's token is shown once, when it is issued; the database keeps only its
SHA-256 and a short prefix, so a leaked database does not leak working tokens.
"""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from .enums import DeliveryStatus, Scope

TOKEN_PREFIX_LENGTH = 8


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=200)
    token_prefix = models.CharField(_("token prefix"), max_length=TOKEN_PREFIX_LENGTH, editable=False)
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, help_text=_("read, write"))
    programs = models.ManyToManyField(
        Program,
        related_name="api_clients",
        blank=True,
        verbose_name=_("limited to programs"),
        help_text=_("Empty: every program."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Untick to revoke the token at once."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = _("API clients")
        ordering = ["name", "id"]
        verbose_name = _("API client")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    # The API kit (internship_portal.api.access) knows a client by these, without importing partners.
    is_api_client = True

    @property
    def can_read(self) -> bool:
        return Scope.READ in self.scopes or Scope.WRITE in self.scopes

    @property
    def can_write(self) -> bool:
        return Scope.WRITE in self.scopes

    def program_ids(self) -> set[int] | None:
        """The programs the client is limited to, or None when it may see every program.
        Read once per object (`partners.selectors.api_client_by_token` knows it for an unlimited client)."""
        cached = getattr(self, "_program_ids", False)
        if cached is False:
            cached = self._program_ids = set(self.programs.values_list("pk", flat=True)) or None
        return cached

    def visible_programs(self, programs: models.QuerySet) -> models.QuerySet:
        """These programs narrowed to those the client may see."""
        if getattr(self, "_program_ids", False) is False and getattr(self, "limited", False):
            # The limits as a join, so the access check runs inside the caller's query.
            return programs.filter(api_clients=self)
        ids = self.program_ids()
        return programs if ids is None else programs.filter(pk__in=ids)


class Webhook(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("client"))
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["client", "id"]

    def __str__(self) -> str:
        return f"{self.client.name} → {self.url}"


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook"))
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("program")
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_response_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook.url} ({self.status})"
