"""Survey forms: the organiser's survey and question forms, and the participant's answers.

Every organiser form has one plain field per model field (translated-content mixins
can add a field per language beside each), and saves through `surveys.services`: the
services hold the rules, the forms carry their messages back to the fields.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internship_portal.dates import zone
from internship_portal.translated_forms import TranslatedFormMixin, translated_initial
from programs.models import Program
from visits.forms import ProgramDateTimeField, apply_domain_errors
from visits.models import SiteVisit

from . import services
from .enums import CHOICE_MAX_LENGTH, MAX_CHOICES, RATING_MAX, RATING_MIN, TEXT_MAX_LENGTH, QuestionKind
from .models import Invitation, Question, Survey

RATING_CHOICES = [(str(value), str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]
# The builder's textarea of choices: generous, but a bounded read of a hostile post.
CHOICES_TEXT_MAX = MAX_CHOICES * (CHOICE_MAX_LENGTH + 2)


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, visit: SiteVisit) -> str:
        local = visit.starts_at.astimezone(visit.program.tzinfo)
        return f"{local:%d.%m %H:%M} · {visit.title}"


class SurveyForm(TranslatedFormMixin, forms.Form):
    """A survey's own fields (title and introduction in each language, side by side); its
    questions have forms of their own."""

    translated = ("title", "intro")

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    intro = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown above the questions."),
    )
    visit = VisitChoiceField(
        label=gettext_lazy("About"),
        queryset=SiteVisit.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole program"),
        help_text=gettext_lazy("A survey about one visit goes to that visit's groups; otherwise to every participant."),
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens at"))  # replaced per program in __init__
    closes_at = forms.DateTimeField(label=gettext_lazy("Closes at"))
    send_after_hours = forms.IntegerField(
        label=gettext_lazy("Send hours after the visit"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        help_text=gettext_lazy("Only for a survey about a visit: invitations go out by themselves then."),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        help_text = _("Local time in %(zone)s, the program's time zone.") % {"zone": zone(program.timezone)}
        for name, label in (("opens_at", gettext_lazy("Opens at")), ("closes_at", gettext_lazy("Closes at"))):
            self.fields[name] = ProgramDateTimeField(tzinfo=program.tzinfo, label=label, help_text=help_text)
        self.fields["visit"].queryset = (
            SiteVisit.objects.filter(program=program).select_related("program").order_by("starts_at", "id")
        )

    @classmethod
    def initial_for(cls, survey: Survey) -> dict[str, Any]:
        plain = [name for name in services.SURVEY_FIELDS if name in cls.base_fields]
        return {
            **{name: getattr(survey, name) for name in plain},
            **translated_initial(survey, *cls.translated),
        }

    def save(self, *, survey: Survey | None = None) -> Survey | None:
        """Create or change the survey; None with the service's messages on the form."""
        fields = {name: self.cleaned_data.get(name) for name in services.SURVEY_FIELDS if name in self.cleaned_data}
        try:
            if survey is None:
                return services.survey_create(program=self.program, **fields)
            return services.survey_update(survey=survey, **fields)
        except ValidationError as error:
            apply_domain_errors(self, error)
            return None


class QuestionForm(TranslatedFormMixin, forms.Form):
    """A question as the builder edits it: its text in each language, choices one per line
    (in the organiser's language; the admin takes them in each)."""

    translated = ("text",)

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=QuestionKind.choices, initial=QuestionKind.RATING)
    text = forms.CharField(label=gettext_lazy("Question"), max_length=500)
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        max_length=CHOICES_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line, for single and multiple choice."),
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False, initial=True)

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": question.kind,
                **translated_initial(question, "text"),
                "choices": "\n".join(question.choices),
                "required": question.required,
            }
        super().__init__(*args, **kwargs)
        self.question = question

    def clean_choices(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["choices"].splitlines())
        return [line for line in lines if line]

    def save(self, *, survey: Survey) -> Question | None:
        """Add the question to the survey or change it; None with the service's messages on the form."""
        fields = {name: self.cleaned_data[name] for name in services.QUESTION_FIELDS if name in self.cleaned_data}
        fields.pop("position", None)
        try:
            if self.question is None:
                return services.question_create(survey=survey, **fields)
            return services.question_update(question=self.question, **fields)
        except ValidationError as error:
            apply_domain_errors(self, error)
            return None


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class SurveyResponseForm(forms.Form):
    """One field per question. The rules live in `surveys.services.survey_submit`; the form only
    draws the fields and carries the service's messages back to them."""

    def __init__(self, *args, questions: list[Question], invitation: Invitation, **kwargs):
        by_id = {question.pk: question for question in questions}
        initial = {
            f"q{answer.question_id}": answer.rating
            or (by_id[answer.question_id].shown_choice(answer.choice) if answer.choice else "")
            or (
                [by_id[answer.question_id].shown_choice(choice) for choice in answer.selected]
                if answer.selected
                else ""
            )
            or answer.text
            for answer in invitation.answers.all()
            if answer.question_id in by_id
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.RATING:
                field = forms.ChoiceField(choices=RATING_CHOICES, widget=forms.RadioSelect)
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(choices=[(c, c) for c in question.choices], widget=forms.RadioSelect)
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in question.choices],
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Tick all that apply."),
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX_LENGTH}),
                    help_text=_("Up to %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH},
                )
            field.label = question.text
            field.required = False  # the service decides, naming the question
            self.fields[field_name(question)] = field

    def raw_answers(self) -> dict[str, Any]:
        """What was posted, by question id, unvalidated: the service validates it."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            name = field_name(question)
            if question.kind == QuestionKind.MULTIPLE:
                answers[str(question.pk)] = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            else:
                answers[str(question.pk)] = self.data.get(name, "")
        return answers
