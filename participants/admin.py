"""Groups and participants in the admin, written through participants.services.

Organisers see the groups and participants of the programs they organise
(programs.admin_access); linking a participant to a login is for superusers.
"""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from internship_portal.translated_forms import TranslatedFormMixin
from programs.admin_access import ProgramScopedAdmin, ServiceAdminForm

from .models import Participant, ProjectGroup
from .privacy import participant_anonymise, participant_export
from .services import (
    GROUP_FIELDS,
    PARTICIPANT_FIELDS,
    group_create,
    group_delete,
    group_update,
    participant_create,
    participant_delete,
    participant_rotate_token,
    participant_update,
)


class GroupAdminForm(TranslatedFormMixin, ServiceAdminForm):
    class Meta:
        model = ProjectGroup
        fields = ["program", *GROUP_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["program"].disabled = True

    def write(self, instance):
        fields = {name: self.cleaned_data[name] for name in GROUP_FIELDS if name in self.cleaned_data}
        if instance is None:
            return group_create(program=self.cleaned_data["program"], **fields)
        return group_update(group=instance, **fields)


@admin.register(ProjectGroup)
class ProjectGroupAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    form = GroupAdminForm
    history_list_display = ["history_actor"]
    list_display = ["name", "program", "theme", "coordinator"]
    list_filter = ["program"]
    search_fields = ["name", "theme"]
    autocomplete_fields = ["coordinator"]
    list_select_related = ["program", "coordinator"]

    def delete_with_service(self, request, obj):
        group_delete(group=obj)


class ParticipantAdminForm(ServiceAdminForm):
    class Meta:
        model = Participant
        fields = ["program", *PARTICIPANT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A participant stays in their program; a group of another program is refused by the service.
            self.fields["program"].disabled = True

    def write(self, instance):
        fields = {name: self.cleaned_data[name] for name in PARTICIPANT_FIELDS if name in self.fields}
        if instance is None:
            return participant_create(program=self.cleaned_data["program"], **fields)
        return participant_update(participant=instance, **fields)


@admin.register(Participant)
class ParticipantAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    form = ParticipantAdminForm
    superuser_fields = ("user",)
    history_list_display = ["history_actor"]
    list_display = ["last_name", "first_name", "patronymic", "program", "group", "position", "region", "language"]
    list_filter = ["program", "group", "language"]
    search_fields = ["last_name", "first_name", "email", "position", "organisation", "region"]
    autocomplete_fields = ["user"]
    list_select_related = ["program", "group"]
    actions = ["rotate_tokens", "export_personal_data", "anonymise"]
    readonly_fields = ["anonymised_at"]

    def delete_with_service(self, request, obj):
        participant_delete(participant=obj)

    @admin.action(description=_("Rotate personal links (old links stop working)"), permissions=["change"])
    def rotate_tokens(self, request, queryset):
        count = 0
        for participant in queryset:
            participant_rotate_token(participant=participant)
            count += 1
        self.message_user(
            request,
            ngettext("Rotated %(count)d personal link.", "Rotated %(count)d personal links.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export personal data (JSON)"), permissions=["view"])
    def export_personal_data(self, request, queryset):
        exports = [participant_export(participant=p) for p in queryset.select_related("program", "group", "user")]
        response = HttpResponse(
            json.dumps(exports, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="participants-personal-data.json"'
        return response

    @admin.action(description=_("Anonymise (erase personal fields, keep statistics)"), permissions=["change"])
    def anonymise(self, request, queryset):
        count = 0
        for participant in queryset:
            participant_anonymise(participant=participant)
            count += 1
        self.message_user(
            request,
            ngettext("Anonymised %(count)d participant.", "Anonymised %(count)d participants.", count)
            % {"count": count},
            messages.SUCCESS,
        )
