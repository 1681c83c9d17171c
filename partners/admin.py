"""Admin for partner apps: clients (issue, revoke), webhooks, and every delivery with its outcome.

For superusers only (programs.admin_access.SuperuserOnlyAdmin): a token can
reach every program, so an organiser of one program never manages one.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin_access import ServiceAdminForm, ServiceWritesAdmin, SuperuserOnlyAdmin

from .models import ApiClient, Webhook, WebhookDelivery
from .services import (
    api_client_create,
    api_client_delete,
    api_client_revoke,
    api_client_update,
    webhook_create,
    webhook_delete,
    webhook_delivery_retry,
    webhook_update,
)


class ApiClientAdminForm(ServiceAdminForm):
    token: str | None = None

    class Meta:
        model = ApiClient
        fields = ("name", "scopes", "programs", "is_active")

    def write(self, instance):
        data = self.cleaned_data
        if instance is None:
            client, self.token = api_client_create(name=data["name"], scopes=data["scopes"], programs=data["programs"])
            if not data.get("is_active", True):
                api_client_revoke(client=client)
            return client
        return api_client_update(
            client=instance,
            name=data["name"],
            scopes=data["scopes"],
            programs=data["programs"],
            is_active=data.get("is_active", True),
        )


@admin.register(ApiClient)
class ApiClientAdmin(SuperuserOnlyAdmin, ServiceWritesAdmin, admin.ModelAdmin):
    form = ApiClientAdminForm
    list_display = ("name", "token_prefix", "scopes", "is_active", "created_at", "last_used_at", "revoked_at")
    list_filter = ("is_active",)
    search_fields = ("name", "token_prefix")
    filter_horizontal = ("programs",)
    readonly_fields = ("token_prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "scopes", "programs", "is_active", "token_prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        # Unticking "active" revokes: the next request with the token answers 401.
        form.save()
        if form.token:
            messages.warning(request, _("The client's token, shown only now: %(token)s") % {"token": form.token})

    def save_related(self, request, form, formsets, change):
        """The service wrote the programs."""

    def delete_model(self, request, obj):
        api_client_delete(client=obj)

    def delete_queryset(self, request, queryset):
        for client in queryset:
            api_client_delete(client=client)

    @admin.action(description=_("Revoke the selected clients' tokens"))
    def revoke(self, request, queryset):
        count = 0
        for client in queryset:
            api_client_revoke(client=client)
            count += 1
        messages.success(
            request, ngettext("Revoked %(count)d client.", "Revoked %(count)d clients.", count) % {"count": count}
        )


class WebhookAdminForm(ServiceAdminForm):
    class Meta:
        model = Webhook
        fields = ("client", "url", "events", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["client"].disabled = True

    def write(self, instance):
        data = self.cleaned_data
        if instance is None:
            webhook = webhook_create(client=data["client"], url=data["url"], events=data["events"])
            if not data.get("is_active", True):
                webhook_update(webhook=webhook, is_active=False)
            return webhook
        return webhook_update(webhook=instance, url=data["url"], events=data["events"], is_active=data["is_active"])


@admin.register(Webhook)
class WebhookAdmin(SuperuserOnlyAdmin, ServiceWritesAdmin, admin.ModelAdmin):
    form = WebhookAdminForm
    list_display = ("client", "url", "events", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("client",)
    search_fields = ("url", "client__name")
    readonly_fields = ("secret", "created_at")

    def save_model(self, request, obj, form, change):
        form.save()

    def save_related(self, request, form, formsets, change):
        """Nothing beside the webhook itself."""

    def delete_model(self, request, obj):
        webhook_delete(webhook=obj)

    def delete_queryset(self, request, queryset):
        for webhook in queryset:
            webhook_delete(webhook=webhook)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = (
        "id",
        "event",
        "webhook",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event")
    list_select_related = ("webhook__client",)
    search_fields = ("webhook__url", "webhook__client__name")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Deliveries are a record; they change only by being sent (or sent again, below).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected deliveries again"), permissions=["view"])
    def retry(self, request, queryset):
        for delivery in queryset:
            webhook_delivery_retry(delivery=delivery)
        messages.success(request, _("Queued again; dispatch_webhooks sends them."))
