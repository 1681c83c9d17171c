"""The audit trail of visitor-list reads in the admin: superusers only, and read-only (a record
of who read personal data is never edited)."""

from django.contrib import admin

from audit.models import DataAccess
from programs.admin_access import SuperuserOnlyAdmin


@admin.register(DataAccess)
class DataAccessAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ("at", "actor", "what", "object_label", "object_id", "channel", "program")
    list_filter = ("what", "channel", "program")
    list_select_related = ("program",)
    search_fields = ("actor", "object_label")
    date_hierarchy = "at"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
