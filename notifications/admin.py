"""Outbox in the admin: status, attempts and errors visible; failed rows can be retried."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, SendOut
from .selectors import sendout_progress
from .services import notification_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "recipient_email", "status", "attempts", "next_attempt_at", "sent_at", "short_error")
    list_filter = ("status", "kind")
    search_fields = ("recipient_email", "recipient_name", "idempotency_key", "subject")
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry"]
    list_select_related = ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Rows change only through the sending path; the admin shows them and retries them.
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Retry the selected messages now"), permissions=["view"])
    def retry(self, request, queryset):
        count = notification_retry(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(SendOut)
class SendOutAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "program", "created_by", "created_at", "progress")
    list_filter = ("kind",)
    readonly_fields = ("program", "kind", "created_by", "created_at", "progress")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("progress"))
    def progress(self, obj: SendOut) -> str:
        p = sendout_progress(sendout=obj)
        return f"{p['sent']} sent, {p['queued']} queued, {p['failed']} failed of {p['total']}"
