"""Organiser forms for participants: add/edit, move between groups, import."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from internship_portal.ids import ModelIdsChoiceField
from programs.models import Program

from . import services
from .enums import Language
from .importing import MAX_UPLOAD_BYTES
from .models import Participant, ProjectGroup


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    """The services' ValidationError (by field) as messages next to the fields."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ParticipantForm(forms.Form):
    first_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    region = forms.CharField(label=_("Region"), max_length=200, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=ProjectGroup.objects.none(), required=False, empty_label=_("(no group)")
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices, initial=Language.RU)
    home_timezone = forms.CharField(
        label=_("Home time zone"), max_length=64, required=False, help_text=_("An IANA name such as Asia/Tomsk.")
    )
    notes = forms.CharField(
        label=_("Accessibility and dietary notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["group"].queryset = ProjectGroup.objects.filter(program=program).order_by("name", "id")

    @classmethod
    def initial_for(cls, participant: Participant) -> dict[str, Any]:
        return {name: getattr(participant, name) for name in services.PARTICIPANT_FIELDS if name != "user"}

    def save(self, *, participant: Participant | None = None) -> Participant | None:
        fields = dict(self.cleaned_data)
        try:
            if participant is None:
                return services.participant_create(program=self.program, **fields)
            return services.participant_update(participant=participant, **fields)
        except ValidationError as error:
            _apply_errors(self, error)
            return None


class MoveForm(forms.Form):
    """Move the ticked participants into one group."""

    participants = ModelIdsChoiceField(label=_("Participants"), queryset=Participant.objects.none())
    group = forms.ModelChoiceField(
        label=_("Move the selected to"),
        queryset=ProjectGroup.objects.none(),
        required=False,
        empty_label=_("(no group)"),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Participant.objects.filter(program=program)
        self.fields["group"].queryset = ProjectGroup.objects.filter(program=program)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("First row: column names. At most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)d KB); the limit is %(limit)d KB."),
                params={"size": upload.size // 1024, "limit": MAX_UPLOAD_BYTES // 1024},
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
