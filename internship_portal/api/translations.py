"""Translated content in the API: read in the language asked for, written in one or all three.

- The language of a request is `?lang=` when given (en, ru, kk), else `Accept-Language`
  (Django's LocaleMiddleware), else English: `ApiLanguageMiddleware` activates it for /api/.
- `TranslatedSerializerMixin` makes every translated field (internship_portal.translated) of a
  serializer read as its plain name in that language (`"title": "…"`, with the fallbacks) and,
  beside it, all its translations (`"title_i18n": {"en": "…", "ru": "…", "kk": ""}`). On input it
  takes the plain name (stored in the request's language) and/or the `_i18n` object (the
  languages given are merged into the stored ones; a required text needs its plain name when
  creating, as the schema says) and hands the services the columns
  (`title_ru`, ...), which their `with_translations(...)` field lists accept.

One line adopts it: `class VisitOutputSerializer(TranslatedSerializerMixin, serializers.ModelSerializer)`
(the model's translated fields are found by themselves), or for an input serializer
`translated = ("title", "agenda")`.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import _json_type_error
from internship_portal.translated import column, content_languages, language_of_request, translated_fields


def _languages_schema(item: dict) -> dict:
    return {
        "type": "object",
        "properties": dict.fromkeys(settings.MODELTRANSLATION_LANGUAGES, item),
        "additionalProperties": False,
        "description": "The text in each language (en, ru, kk); a missing translation is empty.",
    }


def _language_of(value) -> str | None:
    value = (value or "").split("-")[0].lower()
    return value if value in content_languages() else None


class ApiLanguageMiddleware:
    """`?lang=xx` on an /api/ request wins over `Accept-Language` (after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") or "lang" not in request.GET:
            return self.get_response(request)
        values = request.GET.getlist("lang")
        language = _language_of(values[0]) if len(values) == 1 else None
        if language is None:
            message = gettext("Unknown language; use lang=en, lang=ru or lang=kk.")
            return JsonResponse({"detail": message, "errors": {"lang": [message]}}, status=400)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers["Content-Language"] = language
        return response


def request_language(request=None) -> str:
    """The content language of this request (`?lang=`, else `Accept-Language`, else English)."""
    if request is not None:
        language = _language_of(getattr(request, "query_params", request.GET).get("lang"))
        if language:
            return language
    return language_of_request()


def request_asked_language(request) -> str | None:
    """The language the caller asked for (`?lang=` or `Accept-Language`), or None if it asked none."""
    if request is None:
        return None
    language = _language_of(getattr(request, "query_params", request.GET).get("lang"))
    if language is None and request.headers.get("Accept-Language"):
        language = language_of_request()
    return language


@extend_schema_field(_languages_schema({"type": "string"}))
class TextTranslationsField(serializers.Field):
    """Output: `{"en": "…", "ru": "…", "kk": "…"}` of one field of the object."""

    def __init__(self, name: str, **kwargs: Any):
        self.field_name_translated = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> dict[str, Any]:
        empty: Any = [] if isinstance(self, ListTranslationsField) else ""
        values = {}
        for language in content_languages():
            value = getattr(obj, column(self.field_name_translated, language), None)
            values[language] = empty if value is None else value
        return values


@extend_schema_field(_languages_schema({"type": "array", "items": {"type": "string"}}))
class ListTranslationsField(TextTranslationsField):
    """Output: `{"en": [...], "ru": [...], "kk": [...]}` (e.g. a question's choices)."""


class TranslationsInputField(serializers.DictField):
    """Input: some of `{"en": …, "ru": …, "kk": …}`, each like the plain field."""

    default_error_messages = {"language": _("Unknown language “%(language)s”; use en, ru or kk.")}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            for key in data:
                if key not in content_languages():
                    self.fail("language", language=str(key)[:10])
            # As strict as the plain field: a number is not a text (internship_portal.api.fields).
            mistyped = {key: [error] for key, value in data.items() if (error := _json_type_error(self.child, value))}
            if mistyped:
                raise serializers.ValidationError(mistyped)
        return super().to_internal_value(data)


def _input_schema(child: serializers.Field) -> dict:
    """Each language's value as the plain field documents it (what DRF and the services refuse:
    NUL characters; blank or over-long choices)."""
    from internship_portal.api.schema import NO_NUL, NOT_BLANK

    if isinstance(child, serializers.ListField):
        text = {"type": "string", "maxLength": 200, "pattern": NOT_BLANK}
        item = {"type": "array", "items": text, "maxItems": 50}
    else:
        item = {"type": "string", "pattern": NO_NUL}
        if getattr(child, "max_length", None):
            item["maxLength"] = child.max_length
    return _languages_schema(item)


class TranslatedSerializerMixin:
    """Plain names in the request's language, `<field>_i18n` with every language (see the module)."""

    # The translated fields of this serializer; None: those of a ModelSerializer's model.
    translated: tuple[str, ...] | None = None

    def translated_names(self) -> tuple[str, ...]:
        if self.translated is not None:
            return tuple(self.translated)
        meta = getattr(self, "Meta", None)
        model = getattr(meta, "model", None)
        return translated_fields(model) if model is not None else ()

    def get_fields(self):
        fields = super().get_fields()
        names = [name for name in self.translated_names() if name in fields]
        result = {}
        for key, field in fields.items():
            result[key] = field
            if key not in names:
                continue
            if field.read_only or isinstance(self, serializers.ModelSerializer):
                cls = (
                    ListTranslationsField if isinstance(field, serializers.ListField | serializers.JSONField) else None
                )
                cls = cls or (ListTranslationsField if self._is_list(key) else TextTranslationsField)
                result[f"{key}_i18n"] = cls(key, help_text=f"`{key}` in every language.")
            else:
                child = _copy_for_language(field)
                i18n = TranslationsInputField(
                    child=child, required=False, help_text=f"`{key}` in some languages (merged with the stored ones)."
                )
                result[f"{key}_i18n"] = extend_schema_field(_input_schema(child))(i18n)
        return result

    def _is_list(self, name: str) -> bool:
        meta = getattr(self, "Meta", None)
        model = getattr(meta, "model", None)
        if model is None:
            return False
        from django.db.models import JSONField

        return isinstance(model._meta.get_field(name), JSONField)

    def to_internal_value(self, data):
        # A required text stays required under its plain name when creating (as the schema says);
        # a change may give either.
        values = super().to_internal_value(data)
        language = request_language(self.context.get("request"))
        for name in self.translated_names():
            # The object's languages, then the plain name's (it wins for the request's language).
            for each, value in (values.pop(f"{name}_i18n", None) or {}).items():
                values[column(name, each)] = value
            if name in values:
                values[column(name, language)] = values.pop(name)
        return values


def _copy_for_language(field: serializers.Field) -> serializers.Field:
    """A fresh field like `field` for one language's value (blank allowed: a missing translation)."""
    kwargs = {"required": False}
    if isinstance(field, serializers.CharField):
        kwargs["allow_blank"] = True
        if field.max_length is not None:
            kwargs["max_length"] = field.max_length
        return serializers.CharField(**kwargs)
    if isinstance(field, serializers.ListField):
        return serializers.ListField(child=serializers.CharField(max_length=200), max_length=50, **kwargs)
    return serializers.CharField(allow_blank=True, **kwargs)
