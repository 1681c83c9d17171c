"""Content in three languages: the names of its columns, its translations, and where a page falls back.

Programs, groups, visits, hosts and surveys keep their texts in English, Russian and Kazakh
(django-modeltranslation adds a `<field>_<lang>` column per language; docs/translations.md).
Reading the plain name (`visit.title`) gives the active language's text, or the first of its
fallbacks that has one (kk -> ru -> en, ru -> en, en -> ru -> kk: MODELTRANSLATION_FALLBACK_LANGUAGES).

This module is what the services, selectors, forms, serializers and templates share about it:

- `localized("title")` -> `("title_en", "title_ru", "title_kk")`, and `with_translations(...)`
  for a service's list of writable fields;
- `translations_of(obj, "title")` -> `{"en": ..., "ru": ..., "kk": ...}`;
- `shown_language(obj, "title")`: the language a page shows the text in;
- the `|translated` template filter, which marks a text shown in another language than the
  reader's (a small `<abbr>` naming it), so an organiser sees what still needs translating.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()


def content_languages() -> tuple[str, ...]:
    """The languages content is written in, the default (English) first."""
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def column(name: str, language: str) -> str:
    """The column that holds `name` in `language`: `title`, `ru` -> `title_ru`."""
    return f"{name}_{language.replace('-', '_')}"


def localized(*names: str) -> tuple[str, ...]:
    """Every language's column of these fields, in the order of `content_languages()`."""
    return tuple(column(name, language) for name in names for language in content_languages())


def with_translations(names: Iterable[str], translated: Iterable[str]) -> tuple[str, ...]:
    """A service's writable fields: `names`, and every language's column of those in `translated`."""
    names = tuple(names)
    return names + localized(*(name for name in names if name in set(translated)))


def translated_fields(model_or_obj: Any) -> tuple[str, ...]:
    """The translated fields of a model (its modeltranslation options), or ()."""
    from modeltranslation.translator import NotRegistered, translator

    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def language_of_request(language: str | None = None) -> str:
    """The content language for `language` (or the active one): one of `content_languages()`."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return language if language in content_languages() else settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def fallback_chain(language: str | None = None) -> tuple[str, ...]:
    """The languages tried, in order, to show a text to a reader of `language`."""
    language = language_of_request(language)
    chains = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    fallbacks = chains.get(language, chains.get("default", ()))
    return tuple(dict.fromkeys((language, *fallbacks)))


def _meaningful(value: Any) -> bool:
    return value not in (None, "", [], {})


def translations_of(obj: Any, name: str) -> dict[str, Any]:
    """Every language's text of `obj.<name>`: `{"en": "…", "ru": "…", "kk": ""}` (missing: "" or [])."""
    empty: Any = [] if isinstance(getattr(obj, column(name, content_languages()[0]), None), list) else ""
    values = {}
    for language in content_languages():
        value = getattr(obj, column(name, language), None)
        values[language] = empty if value is None else value
    return values


def shown_language(obj: Any, name: str, language: str | None = None) -> str | None:
    """The language in which a reader of `language` (default: the active one) sees `obj.<name>`,
    or None when no language has it."""
    for candidate in fallback_chain(language):
        if _meaningful(getattr(obj, column(name, candidate), None)):
            return candidate
    return None


def row_text(row: Mapping[str, Any], name: str, language: str | None = None) -> Any:
    """A text of a row of `.values(*localized(...))` (e.g. `row_text(row, "host__name")`), in
    `language` (default: the active one) or the first of its fallbacks that has it; "" if none."""
    for candidate in fallback_chain(language):
        value = row.get(column(name, candidate))
        if _meaningful(value):
            return value
    return ""


def missing_languages(obj: Any, names: Iterable[str]) -> list[str]:
    """The languages in which some of these fields (those filled in any language) are still empty."""
    missing = []
    for language in content_languages():
        for name in names:
            values = translations_of(obj, name)
            if any(_meaningful(value) for value in values.values()) and not _meaningful(values[language]):
                missing.append(language)
                break
    return missing


def blank_as_null(fields: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """`fields` with an empty translation of these (unique) fields as None: a missing name in
    one language is no name, and two rows without a Kazakh name do not clash."""
    nulls = set(localized(*names))
    return {key: (None if key in nulls and value == "" else value) for key, value in fields.items()}


@register.filter(is_safe=True)
def translated(obj: Any, name: str) -> str:
    """`{{ visit|translated:"title" }}`: the text in the reader's language (with the fallbacks),
    and, where it is another language's, a small marker naming that language."""
    value = getattr(obj, name, "") if obj is not None else ""
    shown = shown_language(obj, name) if obj is not None and translated_fields(obj) else None
    if shown is None or shown == language_of_request():
        return format_html("{}", value)
    return format_html(
        '{} <abbr class="fallback" lang="{}" title="{}">{}</abbr>',
        value,
        shown,
        gettext("Not translated yet: shown in %(language)s.") % {"language": _language_name(shown)},
        shown.upper(),
    )


def _language_name(language: str) -> str:
    names = {"en": gettext("English"), "ru": gettext("Russian"), "kk": gettext("Kazakh")}
    return names.get(language, language)
