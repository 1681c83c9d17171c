"""Surveys in the admin (read mostly; organisers work in the portal's pages), written through
surveys.services and scoped to the programs an organiser organises (programs.admin_access)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from internship_portal.translated import content_languages
from internship_portal.translated_forms import TranslatedFormMixin
from programs.admin_access import ProgramScopedAdmin, ScopedInline, ServiceAdminForm, inline_save_with_services

from .models import Invitation, Question, Survey
from .services import (
    QUESTION_FIELDS,
    SURVEY_FIELDS,
    question_check,
    question_create,
    question_delete,
    question_update,
    survey_create,
    survey_delete,
    survey_update,
)


class QuestionInlineForm(TranslatedFormMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = list(QUESTION_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("DELETE"):
            return cleaned
        plain = {name: cleaned[name] for name in ("kind", "required", "position") if name in cleaned}
        try:
            # Each language's text and choices, as the service checks them.
            for language in content_languages():
                text, choices = cleaned.get(f"text_{language}"), cleaned.get(f"choices_{language}")
                if text or choices or language == content_languages()[0]:
                    text = text or next(
                        (cleaned.get(f"text_{other}") for other in content_languages() if cleaned.get(f"text_{other}")),
                        "",
                    )
                    question_check(**plain, text=text, choices=choices or [])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


class QuestionInline(ScopedInline, admin.TabularInline):
    model = Question
    form = QuestionInlineForm
    fields = ["position", "kind", "text", "choices", "required"]
    extra = 0


class SurveyAdminForm(TranslatedFormMixin, ServiceAdminForm):
    class Meta:
        model = Survey
        fields = ["program", *SURVEY_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["program"].disabled = True

    def write(self, instance):
        fields = {name: self.cleaned_data[name] for name in SURVEY_FIELDS if name in self.cleaned_data}
        if instance is None:
            return survey_create(program=self.cleaned_data["program"], **fields)
        return survey_update(survey=instance, **fields)


@admin.register(Survey)
class SurveyAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = SurveyAdminForm
    list_display = ("title", "program", "visit", "opens_at", "closes_at", "sent_at")
    list_filter = ("program",)
    readonly_fields = ("sent_at",)
    inlines = [QuestionInline]

    def delete_with_service(self, request, obj):
        survey_delete(survey=obj)

    def save_formset(self, request, form, formset, change):
        survey = form.instance
        inline_save_with_services(
            formset,
            fields=QUESTION_FIELDS,
            create=lambda **fields: question_create(survey=survey, **fields),
            update=lambda question, **fields: question_update(question=question, **fields),
            delete=lambda question: question_delete(question=question),
        )


@admin.register(Invitation)
class InvitationAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    """Invitations are made by sending the survey; the admin shows them."""

    program_path = "survey__program"
    allow_add = allow_change = allow_delete = False
    list_display = ("participant", "survey", "sent_at", "nudges", "responded_at")
    list_filter = ("survey",)
    list_select_related = ("participant", "survey")
    # The secret link is the participant's, not something to read off an admin page.
    exclude = ("token",)
