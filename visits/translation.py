"""Hosts' and visits' content in English, Russian and Kazakh (django-modeltranslation, docs/translations.md)."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import HostOrganisation, SiteVisit


@register(HostOrganisation)
class HostOrganisationTranslation(TranslationOptions):
    fields = ("name", "address", "city", "visitor_requirements")
    # A host's name is unique in each language; a missing translation is NULL, not "",
    # so that two hosts without a Kazakh name do not clash.
    empty_values = {"name": None}


@register(SiteVisit)
class SiteVisitTranslation(TranslationOptions):
    fields = ("title", "agenda", "location", "meeting_point")


# The audit trail (audit.history) keeps every language of a change: its rows copy all fields.
translator.register(HostOrganisation.history.model, HostOrganisationTranslation)
translator.register(SiteVisit.history.model, SiteVisitTranslation)
