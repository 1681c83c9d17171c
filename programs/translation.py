"""The program's content in English, Russian and Kazakh (django-modeltranslation, docs/translations.md)."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import Program


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("title", "description", "host_institution", "city")


# The audit trail (audit.history) keeps every language of a change: its rows copy all fields.
translator.register(Program.history.model, ProgramTranslation)
