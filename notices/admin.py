"""The outbox in the admin: status, attempts and errors visible; failed rows can be retried.

Registered here, not in `notifications`, because the outbox imports no domain app while
its admin is scoped per program. An organiser sees the send-outs of the programs they organise and their
messages (programs.admin_access); messages of no send-out are for superusers.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notification, SendOut
from notifications.selectors import sendouts_with_progress
from notifications.services import notification_retry
from programs.admin_access import ProgramScopedAdmin


@admin.register(Notification)
class NotificationAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    program_path = "sendout__program"
    # Rows change only through the sending path; the admin shows them and retries them.
    allow_add = allow_change = allow_delete = False
    list_display = ("id", "kind", "recipient_email", "status", "attempts", "next_attempt_at", "sent_at", "short_error")
    list_filter = ("status", "kind")
    search_fields = ("recipient_email", "recipient_name", "idempotency_key", "subject")
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry"]
    list_select_related = ()

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
class SendOutAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    allow_add = allow_change = allow_delete = False
    list_display = ("id", "name", "program", "created_by", "created_at", "progress")
    list_filter = ("kind",)
    readonly_fields = ("program", "kind", "label", "created_by", "created_at", "progress")

    def get_queryset(self, request):
        return sendouts_with_progress(queryset=super().get_queryset(request))

    @admin.display(description=_("send-out"))
    def name(self, obj: SendOut) -> str:
        return obj.name

    @admin.display(description=_("progress"))
    def progress(self, obj: SendOut) -> str:
        return _("%(sent)d sent, %(queued)d queued, %(failed)d failed of %(total)d") % {
            "sent": obj.progress_sent,
            "queued": obj.progress_queued,
            "failed": obj.progress_failed,
            "total": obj.progress_total,
        }
