"""Survey texts in English, Russian and Kazakh (django-modeltranslation, docs/translations.md)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Question, Survey


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "choices")
