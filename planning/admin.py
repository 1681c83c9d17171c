"""The schedule proposer's inputs and runs in the admin, written through planning.services.

An organiser sees and changes the rows of the programs they organise (programs.admin_access).
Day rules, host windows, visit requests and travel times are added and changed through their
services, whose refusals come back as form errors naming the field. A proposal is requested
here (`proposal_create`), never edited: what it proposes is the solver's answer, put on the
board with the "apply" action (`proposal_apply`) or discarded (`proposal_discard`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from internship_portal.errors import Conflict
from programs.admin_access import ProgramScopedAdmin, ServiceAdminForm

from . import services
from .models import HostWindow, PlanningSettings, Proposal, TravelTime, VisitRequest


class ProgramFixedOnChange:
    """A row stays in its program: the program is chosen when adding only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["program"].disabled = True


def _fields(form: forms.Form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class PlanningSettingsAdminForm(ProgramFixedOnChange, ServiceAdminForm):
    class Meta:
        model = PlanningSettings
        fields = ["program", *services.SETTINGS_FIELDS]

    def clean_program(self):
        program = self.cleaned_data["program"]
        if self.instance.pk is None and PlanningSettings.objects.filter(program=program).exists():
            # The service sets a program's one row of day rules: adding a second would change the first.
            raise ValidationError(_("This program has its planning settings already: change them instead."))
        return program

    def write(self, instance):
        program = instance.program if instance is not None else self.cleaned_data["program"]
        return services.planning_settings_update(program=program, **_fields(self, services.SETTINGS_FIELDS))


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = PlanningSettingsAdminForm
    # No service removes a program's day rules (the proposer's defaults stand in for missing ones).
    allow_delete = False
    list_display = ["program", "day_starts", "day_ends", "lunch_minutes", "max_visits_per_day", "academy"]
    list_select_related = ["program", "academy"]
    autocomplete_fields = ["academy"]


class HostWindowAdminForm(ProgramFixedOnChange, ServiceAdminForm):
    class Meta:
        model = HostWindow
        fields = ["program", *services.WINDOW_FIELDS]

    def write(self, instance):
        fields = _fields(self, services.WINDOW_FIELDS)
        if instance is None:
            return services.window_create(program=self.cleaned_data["program"], **fields)
        return services.window_update(window=instance, **fields)


@admin.register(HostWindow)
class HostWindowAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = HostWindowAdminForm
    list_display = ["host", "program", "starts_at", "ends_at", "capacity"]
    list_filter = ["program", "host"]
    search_fields = ["host__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["program", "host"]
    autocomplete_fields = ["host"]

    def delete_with_service(self, request, obj):
        services.window_delete(window=obj)


class VisitRequestAdminForm(ProgramFixedOnChange, ServiceAdminForm):
    class Meta:
        model = VisitRequest
        fields = ["program", *services.REQUEST_FIELDS]

    def write(self, instance):
        fields = _fields(self, services.REQUEST_FIELDS)
        groups = list(fields.pop("groups", []))
        if instance is None:
            return services.request_create(program=self.cleaned_data["program"], groups=groups, **fields)
        return services.request_update(request=instance, groups=groups, **fields)


@admin.register(VisitRequest)
class VisitRequestAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = VisitRequestAdminForm
    list_display = ["__str__", "program", "host", "duration_minutes", "priority", "not_before", "not_after", "visit"]
    list_filter = ["program", "priority", "host"]
    search_fields = ["title", "host__name"]
    list_select_related = ["program", "host", "visit"]
    autocomplete_fields = ["host"]
    filter_horizontal = ["groups"]
    # Set when a proposal is applied (`request_link_visit`), not by hand.
    readonly_fields = ["visit"]

    def delete_with_service(self, request, obj):
        services.request_delete(request=obj)


class TravelTimeAdminForm(ServiceAdminForm):
    class Meta:
        model = TravelTime
        fields = ["program", "origin", "destination", "minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A travel time is one pair's: another pair is another row.
            for name in ("program", "origin", "destination"):
                self.fields[name].disabled = True

    def write(self, instance):
        data = self.cleaned_data
        return services.travel_time_set(
            program=data["program"], origin=data["origin"], destination=data["destination"], minutes=data["minutes"]
        )


@admin.register(TravelTime)
class TravelTimeAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = TravelTimeAdminForm
    list_display = ["origin", "destination", "minutes", "program"]
    list_filter = ["program"]
    search_fields = ["origin__name", "destination__name"]
    list_select_related = ["program", "origin", "destination"]
    autocomplete_fields = ["origin", "destination"]

    def delete_with_service(self, request, obj):
        services.travel_time_delete(travel_time=obj)


class ProposalAdminForm(ServiceAdminForm):
    class Meta:
        model = Proposal
        fields = ["program", "time_limit_seconds", "keep_existing"]

    def write(self, instance):
        data = self.cleaned_data
        return services.proposal_create(
            program=data["program"],
            time_limit_seconds=data["time_limit_seconds"],
            keep_existing=data["keep_existing"],
            user=self.request.user if self.request is not None else None,
        )


PROPOSAL_RESULT_FIELDS = [
    "program",
    "status",
    "time_limit_seconds",
    "keep_existing",
    "created_by",
    "created_at",
    "finished_at",
    "applied_at",
    "error",
    "stats",
    "visits",
    "unplaced",
]


@admin.register(Proposal)
class ProposalAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    """Requested here, solved by the planning worker, then applied or discarded; never edited."""

    form = ProposalAdminForm
    allow_change = False
    list_display = ["__str__", "program", "status", "created_by", "created_at", "finished_at", "applied_at"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "created_by"]
    actions = ["apply_proposals"]

    def get_fields(self, request, obj=None):
        return PROPOSAL_RESULT_FIELDS if obj is not None else ["program", "time_limit_seconds", "keep_existing"]

    def get_readonly_fields(self, request, obj=None):
        return PROPOSAL_RESULT_FIELDS if obj is not None else []

    def delete_with_service(self, request, obj):
        services.proposal_discard(proposal=obj)

    def has_apply_permission(self, request) -> bool:
        # Applying writes visits through the scheduling service, not the proposal's fields.
        return self.has_view_permission(request)

    @admin.action(description=_("Apply the selected proposals to the board"), permissions=["apply"])
    def apply_proposals(self, request, queryset):
        for proposal in queryset.select_related("program"):
            try:
                visits = services.proposal_apply(proposal=proposal)
            except (Conflict, ValidationError) as error:
                text = error.message if isinstance(error, Conflict) else " ".join(error.messages)
                self.message_user(request, f"{proposal}: {text}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(proposal)s: %(count)d visit on the board.",
                        "%(proposal)s: %(count)d visits on the board.",
                        len(visits),
                    )
                    % {"proposal": proposal, "count": len(visits)},
                    messages.SUCCESS,
                )
