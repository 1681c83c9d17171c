from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from participants.models import ProjectGroup

from . import services
from .exceptions import ScheduleConflict
from .models import HostContact, HostOrganisation, SiteVisit


class HostContactInline(admin.TabularInline):
    model = HostContact
    extra = 1


@admin.register(HostOrganisation)
class HostOrganisationAdmin(SimpleHistoryAdmin):
    history_list_display = ["history_actor"]
    list_display = ["name", "kind", "city", "visitor_list_days_ahead", "website"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "address", "contacts__name"]
    inlines = [HostContactInline]


class SiteVisitAdminForm(forms.ModelForm):
    """The visit and its groups on one page, written by the scheduling service.

    The write happens during validation, inside the admin's transaction, so a
    clash or any other broken rule comes back as a form error naming the
    clashing visit and group, and nothing is saved."""

    groups = forms.ModelMultipleChoiceField(
        queryset=ProjectGroup.objects.select_related("program"),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("groups", is_stacked=False),
    )

    class Meta:
        model = SiteVisit
        fields = [
            "program",
            "title",
            "kind",
            "host",
            "starts_at",
            "ends_at",
            "location",
            "meeting_point",
            "agenda",
            "status",
            "capacity",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["groups"].initial = list(self.instance.bookings.values_list("group_id", flat=True))
            self.fields["program"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        fields = {name: cleaned.get(name) for name in services.VISIT_FIELDS}
        try:
            if self.instance.pk:
                self.instance = services.visit_update(visit=self.instance, groups=cleaned["groups"], **fields)
            else:
                self.instance = services.visit_create(program=cleaned["program"], groups=cleaned["groups"], **fields)
        except ScheduleConflict as conflict:
            for clash in conflict.clashes:
                self.add_error(
                    "groups",
                    f"Group “{clash.group_name}” is already in “{clash.visit_title}” "
                    f"({clash.starts_at:%d.%m %H:%M}–{clash.ends_at:%H:%M}).",
                )
        return cleaned

    def save(self, commit=True):
        # The scheduling service already wrote the visit in clean().
        self.save_m2m = lambda: None
        return self.instance


@admin.register(SiteVisit)
class SiteVisitAdmin(SimpleHistoryAdmin):
    history_list_display = ["history_actor", "status", "starts_at", "history_groups"]
    form = SiteVisitAdminForm
    list_display = ["title", "program", "kind", "host", "starts_at", "ends_at", "status", "sequence"]
    list_filter = ["program", "status", "kind", "host"]
    search_fields = ["title", "host__name", "location"]
    date_hierarchy = "starts_at"
    list_select_related = ["program", "host"]
    autocomplete_fields = ["host"]
    readonly_fields = ["sequence"]

    def save_model(self, request, obj, form, change):
        """Saved by the form through the scheduling service."""
