"""A group's name and theme in English, Russian and Kazakh (django-modeltranslation, docs/translations.md)."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import ProjectGroup


@register(ProjectGroup)
class ProjectGroupTranslation(TranslationOptions):
    fields = ("name", "theme")
    # Names are unique in a program in each language; a missing translation is NULL, not "".
    empty_values = {"name": None}


# The audit trail (audit.history) keeps every language of a change: its rows copy all fields.
translator.register(ProjectGroup.history.model, ProjectGroupTranslation)
