"""Organiser forms for site visits and hosts.

Times are typed and shown in the PROGRAM's time zone, whatever the server's
TIME_ZONE: the fields attach `program.tzinfo` explicitly instead of Django's
current zone. Saving goes through `visits.services`; `apply_domain_errors` is
the one place that turns the services' errors into form messages.
"""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internship_portal.dates import zone as zone_label
from internship_portal.ids import ModelIdsChoiceField
from internship_portal.translated import column, content_languages
from internship_portal.translated_forms import TranslatedFormMixin, translated_initial
from participants.enums import VisitorField
from participants.models import ProjectGroup
from programs.models import Program

from . import services
from .enums import VisitKind, VisitStatus
from .exceptions import ScheduleConflict
from .models import HostContact, HostOrganisation, SiteVisit

LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


class ProgramDateTimeField(forms.DateTimeField):
    """A wall-clock time in the program's zone (`<input type="datetime-local">`)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, tzinfo, **kwargs: Any) -> None:
        self.tzinfo = tzinfo
        super().__init__(input_formats=LOCAL_INPUT_FORMATS, **kwargs)

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.tzinfo)
        text = str(value).strip()
        for fmt in LOCAL_INPUT_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            return parsed.replace(tzinfo=self.tzinfo)
        raise ValidationError(_("Enter a date and time such as 2026-12-08 10:00."), code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.tzinfo).replace(tzinfo=None)
        return value


class VisitForm(TranslatedFormMixin, forms.Form):
    """A visit of one program: its fields as the organiser sees them, the texts in three languages."""

    translated = services.VISIT_TEXTS

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=VisitKind.choices, initial=VisitKind.SITE_VISIT)
    host = forms.CharField(
        label=gettext_lazy("Host organisation"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Start typing to search; leave empty for a visit without a host (a transfer)."),
        widget=forms.TextInput(attrs={"list": "host-options", "autocomplete": "off"}),
    )
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"))  # replaced per program in __init__
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"))
    all_groups = forms.BooleanField(label=gettext_lazy("All groups"), required=False)
    groups = ModelIdsChoiceField(
        label=gettext_lazy("Groups"),
        queryset=ProjectGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.CharField(
        label=gettext_lazy("Location"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Leave empty to use the host's address."),
    )
    meeting_point = forms.CharField(label=gettext_lazy("Meeting point"), required=False, max_length=300)
    agenda = forms.CharField(label=gettext_lazy("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), required=False, min_value=1, max_value=100000)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=VisitStatus.choices, initial=VisitStatus.PLANNED)

    def __init__(self, *args: Any, program: Program, hosts: list[HostOrganisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.hosts_by_name = {host.name.casefold(): host for host in hosts}
        self.host_names = [host.name for host in hosts]
        zone = zone_label(program.timezone)
        for name, label in (("starts_at", gettext_lazy("Starts at")), ("ends_at", gettext_lazy("Ends at"))):
            self.fields[name] = ProgramDateTimeField(
                tzinfo=program.tzinfo,
                label=label,
                help_text=_("Local time in %(zone)s, the program's time zone.") % {"zone": zone},
            )
        self.fields["groups"].queryset = ProjectGroup.objects.filter(program=program).order_by("name", "id")

    @classmethod
    def initial_for(cls, visit: SiteVisit) -> dict[str, Any]:
        return {
            **translated_initial(visit, *services.VISIT_TEXTS),
            "kind": visit.kind,
            "host": visit.host.name if visit.host_id else "",
            "starts_at": visit.starts_at,
            "ends_at": visit.ends_at,
            "groups": [booking.group_id for booking in visit.bookings.all()],
            "capacity": visit.capacity,
            "status": visit.status,
        }

    def clean_host(self) -> HostOrganisation | None:
        name = self.cleaned_data["host"].strip()
        if not name:
            return None
        host = self.hosts_by_name.get(name.casefold())
        if host is None:
            raise ValidationError(
                _("There is no host organisation named “%(name)s”. Pick one from the list."), params={"name": name}
            )
        return host

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("all_groups"):
            cleaned["groups"] = list(self.fields["groups"].queryset)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.VISIT_FIELDS if name in self.cleaned_data}

    def save(self, *, visit: SiteVisit | None = None) -> SiteVisit | None:
        """Create or update the visit through the scheduling service.

        Returns the visit, or None with the service's errors added to the form
        (nothing is written then)."""
        try:
            if visit is None:
                return services.visit_create(
                    program=self.program, groups=self.cleaned_data["groups"], **self.service_fields()
                )
            return services.visit_update(visit=visit, groups=self.cleaned_data["groups"], **self.service_fields())
        except (ValidationError, ScheduleConflict) as error:
            apply_domain_errors(self, error)
            return None


def apply_domain_errors(form: forms.Form, error: Exception) -> None:
    """Turn a service's ValidationError (by field) or ScheduleConflict into form messages."""
    if isinstance(error, ScheduleConflict):
        form.add_error(None, _("Schedule conflict: nothing was saved. See the groups below."))
        for clash in error.clashes:
            form.add_error(
                "groups" if "groups" in form.fields else None,
                _("Group “%(group)s” is already booked into “%(visit)s” (%(start)s–%(end)s).")
                % {
                    "group": clash.group_name,
                    "visit": clash.visit_title,
                    "start": f"{clash.starts_at:%d.%m.%Y %H:%M}",
                    "end": f"{clash.ends_at:%H:%M}",
                },
            )
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    if isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
        return
    raise error


class HostForm(TranslatedFormMixin, forms.ModelForm):
    """A host organisation's details, one form field per model field (`services.HOST_FIELDS`).

    Saved through `services.host_create` / `host_update`; the instance given is never written
    by the form itself."""

    class Meta:
        model = HostOrganisation
        fields = list(services.HOST_FIELDS)
        widgets = {
            "address": forms.TextInput(attrs={"size": 60}),
            "visitor_requirements": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"name": {"unique": gettext_lazy("A host organisation with this name already exists.")}}

    required_visitor_fields = forms.MultipleChoiceField(
        choices=VisitorField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Details the security desk requires"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The database's range checks, said per field (its constraint message names only itself).
        for name, limit in (("latitude", 90), ("longitude", 180)):
            if name in self.fields:
                self.fields[name].validators += [MinValueValidator(-limit), MaxValueValidator(limit)]
                self.fields[name].widget.attrs.update(min=-limit, max=limit)

    def validate_unique(self) -> None:
        # The name is unique in each language's column (modeltranslation): said once, on the name.
        others = HostOrganisation.objects.exclude(pk=self.instance.pk) if self.instance.pk else HostOrganisation.objects
        for language in content_languages():
            value = self.cleaned_data.get(column("name", language))
            if value and others.filter(**{column("name", language): value}).exists():
                self.add_error("name", _("A host organisation with this name already exists."))
                return
        super().validate_unique()

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.HOST_FIELDS if name in self.cleaned_data}

    def save(self, commit: bool = True, *, host: HostOrganisation | None = None) -> HostOrganisation | None:
        """Create or update the host through the service; None with the errors on the form."""
        try:
            if host is None:
                return services.host_create(**self.service_fields())
            return services.host_update(host=host, **self.service_fields())
        except ValidationError as error:
            apply_domain_errors(self, error)
            return None


class HostContactForm(forms.ModelForm):
    """One contact of a host (`services.CONTACT_FIELDS`), saved through the contact services."""

    class Meta:
        model = HostContact
        fields = list(services.CONTACT_FIELDS)

    def save(
        self, commit: bool = True, *, host: HostOrganisation, contact: HostContact | None = None
    ) -> HostContact | None:
        fields = {name: self.cleaned_data[name] for name in services.CONTACT_FIELDS if name in self.cleaned_data}
        try:
            if contact is None:
                return services.contact_create(host=host, **fields)
            return services.contact_update(contact=contact, **fields)
        except ValidationError as error:
            apply_domain_errors(self, error)
            return None
