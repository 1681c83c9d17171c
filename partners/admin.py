"""Admin for partner apps: clients (issue, revoke), webhooks, and every delivery with its outcome."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiClient, Webhook, WebhookDelivery
from .services import api_client_issue_token, api_client_revoke, webhook_delivery_retry


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "token_prefix", "scopes", "is_active", "created_at", "last_used_at", "revoked_at")
    list_filter = ("is_active",)
    search_fields = ("name", "token_prefix")
    filter_horizontal = ("programs",)
    readonly_fields = ("token_prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "scopes", "programs", "is_active", "token_prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        token = None
        if not change:
            token = api_client_issue_token(client=obj)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Unticking "active" revokes: the next request with the token answers 401.
            super().save_model(request, obj, form, change)
            api_client_revoke(client=obj)
            return
        if obj.is_active:
            obj.revoked_at = None
        super().save_model(request, obj, form, change)
        if token:
            messages.warning(request, _("The client's token, shown only now: %(token)s") % {"token": token})

    @admin.action(description=_("Revoke the selected clients' tokens"))
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(client=client)
        messages.success(request, _("Revoked %(count)d client(s).") % {"count": queryset.count()})


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("client", "url", "events", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("client",)
    search_fields = ("url", "client__name")
    readonly_fields = ("secret", "created_at")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
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

    @admin.action(description=_("Send the selected deliveries again"))
    def retry(self, request, queryset):
        for delivery in queryset:
            webhook_delivery_retry(delivery=delivery)
        messages.success(request, _("Queued again; dispatch_webhooks sends them."))
