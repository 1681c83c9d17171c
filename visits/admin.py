"""Hosts and site visits in the admin, written through the scheduling service.

Hosts are shared by every program: an organiser sees them all and may add
one, but changes or deletes only a host that no other program's visits use,
so that no organiser rewrites the address another program's participants go
to. Visits are never deleted here: they are cancelled (`visit_cancel`), so
that phones show them as STATUS:CANCELLED instead of losing them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from internship_portal.ids import ModelIdsChoiceField
from internship_portal.translated_forms import TranslatedFormMixin
from participants.enums import VisitorField
from participants.models import ProjectGroup
from programs.admin_access import (
    ProgramScopedAdmin,
    ScopedInline,
    ServiceAdminForm,
    inline_save_with_services,
    is_superuser,
    organised_program_ids,
)

from . import services
from .enums import VisitStatus
from .exceptions import ScheduleConflict
from .forms import apply_domain_errors
from .models import HostContact, HostOrganisation, SiteVisit


class HostContactInline(ScopedInline, admin.TabularInline):
    model = HostContact
    fields = services.CONTACT_FIELDS
    extra = 1


class HostAdminForm(TranslatedFormMixin, ServiceAdminForm):
    required_visitor_fields = forms.MultipleChoiceField(
        choices=VisitorField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("visitor fields the security desk requires"),
    )

    class Meta:
        model = HostOrganisation
        fields = list(services.HOST_FIELDS)

    def write(self, instance):
        fields = {name: self.cleaned_data[name] for name in services.HOST_FIELDS if name in self.cleaned_data}
        if instance is None:
            return services.host_create(**fields)
        return services.host_update(host=instance, **fields)


@admin.register(HostOrganisation)
class HostOrganisationAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    form = HostAdminForm
    history_list_display = ["history_actor"]
    list_display = ["name", "kind", "city", "visitor_list_days_ahead", "website"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "address", "contacts__name"]
    inlines = [HostContactInline]

    def scope_filter(self, request):
        return Q()

    def in_view_scope(self, request, obj):
        return True

    def in_scope(self, request, obj):
        # Changed only by organisers of every program whose visits use it.
        return not obj.visits.exclude(program_id__in=organised_program_ids(request)).exists()

    def delete_with_service(self, request, obj):
        services.host_delete(host=obj)

    def save_formset(self, request, form, formset, change):
        host = form.instance
        inline_save_with_services(
            formset,
            fields=services.CONTACT_FIELDS,
            create=lambda **fields: services.contact_create(host=host, **fields),
            update=lambda contact, **fields: services.contact_update(contact=contact, **fields),
            delete=lambda contact: services.contact_delete(contact=contact),
        )


class SiteVisitAdminForm(TranslatedFormMixin, ServiceAdminForm):
    """The visit and its groups on one page, written by the scheduling service: a clash or any
    other broken rule comes back as a form error naming the clashing visit and group."""

    groups = ModelIdsChoiceField(
        queryset=ProjectGroup.objects.select_related("program"),
        required=False,
        label=_("groups"),
        widget=admin.widgets.FilteredSelectMultiple(_("groups"), is_stacked=False),
    )

    class Meta:
        model = SiteVisit
        fields = ["program", *services.VISIT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and not is_superuser(self.request):
            self.fields["groups"].queryset = self.fields["groups"].queryset.filter(
                program_id__in=organised_program_ids(self.request)
            )
        if self.instance.pk:
            self.fields["groups"].initial = list(self.instance.bookings.values_list("group_id", flat=True))
            self.fields["program"].disabled = True

    domain_errors = (ValidationError, ScheduleConflict)

    def apply_error(self, error):
        # The organiser's visit form's messages, translated (a clash names the visit and group).
        apply_domain_errors(self, error)

    def write(self, instance):
        fields = {name: self.cleaned_data.get(name) for name in services.VISIT_FIELDS if name in self.cleaned_data}
        groups = self.cleaned_data["groups"]
        if instance is None:
            return services.visit_create(program=self.cleaned_data["program"], groups=groups, **fields)
        return services.visit_update(visit=instance, groups=groups, **fields)


@admin.register(SiteVisit)
class SiteVisitAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    # Cancelled, never deleted: see the module's docstring.
    allow_delete = False
    form = SiteVisitAdminForm
    history_list_display = ["history_actor", "status", "starts_at", "history_groups"]
    list_display = ["title", "program", "kind", "host", "starts_at", "ends_at", "status", "host_status", "sequence"]
    list_filter = ["program", "status", "host_status", "kind", "host"]
    search_fields = ["title", "host__name", "location"]
    date_hierarchy = "starts_at"
    list_select_related = ["program", "host"]
    autocomplete_fields = ["host"]
    readonly_fields = [
        "sequence",
        "host_status",
        "host_note",
        "host_proposed_starts_at",
        "host_proposed_ends_at",
        "host_requested_at",
        "host_answered_at",
    ]
    actions = ["cancel_visits"]
    change_form_template = "admin/visits/sitevisit/change_form.html"

    @admin.action(description=_("Cancel the selected visits (calendars show them cancelled)"), permissions=["change"])
    def cancel_visits(self, request, queryset):
        count = 0
        for visit in queryset.exclude(status=VisitStatus.CANCELLED):
            services.visit_cancel(visit=visit)
            count += 1
        self.message_user(
            request,
            ngettext("Cancelled %(count)d visit.", "Cancelled %(count)d visits.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="visits_sitevisit_cancel",
            )
        ]
        return urls + super().get_urls()

    def cancel_view(self, request, object_id):
        """Ask, then cancel one visit through `visit_cancel`."""
        visit = self.get_object(request, object_id)
        if visit is None:
            raise Http404
        if not self.has_change_permission(request, visit):
            raise PermissionDenied
        change_url = reverse("admin:visits_sitevisit_change", args=[visit.pk])
        if request.method == "POST":
            if visit.status != VisitStatus.CANCELLED:
                services.visit_cancel(visit=visit)
            self.message_user(request, _("“%(visit)s” is cancelled.") % {"visit": visit.title}, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel “%(visit)s”?") % {"visit": visit.title},
            "opts": self.opts,
            "original": visit,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/visits/sitevisit/cancel.html", context)
