from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Program, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProgramAdminForm(forms.ModelForm):
    """The program service's date rules, as field errors (the rest is the model's own validation).
    The admin builds the form's fields from ProgramAdmin."""

    def clean(self):
        cleaned = super().clean()
        errors = services.program_dates_errors(start_date=cleaned.get("start_date"), end_date=cleaned.get("end_date"))
        for name, messages in errors.items():
            self.add_error(name, messages)
        return cleaned


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    form = ProgramAdminForm
    history_list_display = ["history_actor"]
    list_display = ["title", "slug", "city", "start_date", "end_date", "timezone", "status"]
    list_filter = ["status", "city", "topics"]
    search_fields = ["title", "slug", "host_institution", "city"]
    date_hierarchy = "start_date"
    filter_horizontal = ["topics", "organisers"]
    prepopulated_fields = {"slug": ["title"]}
