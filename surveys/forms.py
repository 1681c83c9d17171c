"""The survey form behind a secret link: built from the survey's questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import RATING_MAX, RATING_MIN, TEXT_MAX_LENGTH, QuestionKind
from .models import Invitation, Question

RATING_CHOICES = [(str(value), str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]


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
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX_LENGTH}),
                    help_text=_("Up to %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH},
                )
            field.label = question.text
            field.required = False  # the service decides, naming the question
            self.fields[field_name(question)] = field

    def raw_answers(self) -> dict[str, str]:
        """What was posted, by question id, unvalidated: the service validates it."""
        return {str(question.pk): self.data.get(field_name(question), "") for question in self.questions}
