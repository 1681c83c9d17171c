from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Program, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    history_list_display = ["history_actor"]
    list_display = ["title", "slug", "city", "start_date", "end_date", "timezone", "status"]
    list_filter = ["status", "city", "topics"]
    search_fields = ["title", "slug", "host_institution", "city"]
    date_hierarchy = "start_date"
    filter_horizontal = ["topics", "organisers"]
    prepopulated_fields = {"slug": ["title"]}
