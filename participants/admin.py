import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from .models import Participant, ProjectGroup
from .privacy import participant_anonymise, participant_export
from .services import participant_check_group, participant_rotate_token


@admin.register(ProjectGroup)
class ProjectGroupAdmin(SimpleHistoryAdmin):
    history_list_display = ["history_actor"]
    list_display = ["name", "program", "theme", "coordinator"]
    list_filter = ["program"]
    search_fields = ["name", "theme"]
    autocomplete_fields = ["coordinator"]
    list_select_related = ["program", "coordinator"]


class ParticipantAdminForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "program",
            "group",
            "first_name",
            "last_name",
            "patronymic",
            "email",
            "phone",
            "position",
            "organisation",
            "region",
            "language",
            "home_timezone",
            "notes",
            "user",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("program"):
            participant_check_group(program=cleaned["program"], group=cleaned.get("group"))
        return cleaned


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    history_list_display = ["history_actor"]
    form = ParticipantAdminForm
    list_display = ["last_name", "first_name", "patronymic", "program", "group", "position", "region", "language"]
    list_filter = ["program", "group", "language"]
    search_fields = ["last_name", "first_name", "email", "position", "organisation", "region"]
    autocomplete_fields = ["user"]
    list_select_related = ["program", "group"]
    actions = ["rotate_tokens", "export_personal_data", "anonymise"]
    readonly_fields = ["anonymised_at"]

    @admin.action(description="Rotate personal links (old links stop working)")
    def rotate_tokens(self, request, queryset):
        count = 0
        for participant in queryset:
            participant_rotate_token(participant=participant)
            count += 1
        self.message_user(request, f"Rotated {count} personal link(s).", messages.SUCCESS)

    @admin.action(description="Export personal data (JSON)")
    def export_personal_data(self, request, queryset):
        exports = [participant_export(participant=p) for p in queryset.select_related("program", "group", "user")]
        response = HttpResponse(
            json.dumps(exports, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="participants-personal-data.json"'
        return response

    @admin.action(description="Anonymise (erase personal fields, keep statistics)")
    def anonymise(self, request, queryset):
        count = 0
        for participant in queryset:
            participant_anonymise(participant=participant)
            count += 1
        self.message_user(request, f"Anonymised {count} participant(s).", messages.SUCCESS)
