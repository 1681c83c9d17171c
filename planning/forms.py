"""Organiser forms of the Propose page. Times are typed in the program's zone; saving goes
through planning.services, whose errors `apply_errors` puts on the fields."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from internship_portal.ids import ModelIdsChoiceField
from participants.models import ProjectGroup
from programs.models import Program
from visits.models import HostOrganisation

from .enums import Priority
from .models import HostWindow, VisitRequest

FIELD_OF = {"starts_at": "start", "ends_at": "end"}


class WindowForm(forms.Form):
    host = forms.ModelChoiceField(label=_("Host organisation"), queryset=HostOrganisation.objects.none())
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    capacity = forms.IntegerField(label=_("Groups at once"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["host"].queryset = HostOrganisation.objects.order_by("name")

    @staticmethod
    def initial_of(window: HostWindow, *, program: Program) -> dict:
        """The form's values for an existing window, in the program's time."""
        tz = program.tzinfo
        start, end = window.starts_at.astimezone(tz), window.ends_at.astimezone(tz)
        return {"host": window.host, "day": start.date(), "start": start.time(), "end": end.time(),
                "capacity": window.capacity}  # fmt: skip

    def service_fields(self) -> dict:
        data, tz = self.cleaned_data, self.program.tzinfo
        return {
            "host": data["host"],
            "starts_at": datetime.combine(data["day"], data["start"], tzinfo=tz),
            "ends_at": datetime.combine(data["day"], data["end"], tzinfo=tz),
            "capacity": data["capacity"],
        }


class RequestForm(forms.Form):
    groups = ModelIdsChoiceField(label=_("Groups"), queryset=ProjectGroup.objects.none())
    host = forms.ModelChoiceField(label=_("Host organisation"), queryset=HostOrganisation.objects.none())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, initial=120)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MUST)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    not_before = forms.DateField(label=_("Not before"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    not_after = forms.DateField(label=_("Not after"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = ProjectGroup.objects.filter(program=program).order_by("name")
        self.fields["host"].queryset = HostOrganisation.objects.order_by("name")

    @staticmethod
    def initial_of(visit_request: VisitRequest, *, program: Program) -> dict:
        """The form's values for an existing visit request."""
        return {
            "groups": list(visit_request.groups.all()),
            "host": visit_request.host,
            "duration_minutes": visit_request.duration_minutes,
            "priority": visit_request.priority,
            "title": visit_request.title,
            "not_before": visit_request.not_before,
            "not_after": visit_request.not_after,
        }

    def service_fields(self) -> dict:
        return {**self.cleaned_data, "groups": list(self.cleaned_data["groups"])}


class ProposeForm(forms.Form):
    time_limit_seconds = forms.IntegerField(
        label=_("Search for at most (seconds)"), min_value=1, max_value=120, initial=10
    )
    keep_existing = forms.BooleanField(
        label=_("Keep what is already scheduled and move as little as possible"), required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's errors on the form's fields (a field the form lacks: on the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = FIELD_OF.get(name, name)
        form.add_error(field if field in form.fields else None, messages)
