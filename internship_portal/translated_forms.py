"""Forms that take a text in English, Russian and Kazakh side by side (internship_portal.translated).

`TranslatedFormMixin` turns each translated field of a form into one field of three inputs, one per
language, shown side by side with the missing ones marked; the form's `cleaned_data` then holds
the columns (`title_en`, `title_ru`, `title_kk`) that the services' `with_translations(...)` field
lists take, instead of the plain name. A field the form required needs a text in at least one
language (the others fall back to it).

One line adopts it: `class VisitForm(TranslatedFormMixin, forms.Form)` with
`translated = ("title", "agenda")`; a ModelForm of a translated model (the admin's) finds its
fields by itself, and drops the `_en`/`_ru`/`_kk` fields that modeltranslation adds.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from .translated import column, content_languages, language_of_request, translated_fields, translations_of

LANGUAGE_NAMES = {"en": gettext_lazy("English"), "ru": gettext_lazy("Russian"), "kk": gettext_lazy("Kazakh")}


class TranslationsWidget(forms.MultiWidget):
    """One input per language, side by side; an empty one is marked as missing."""

    # In programs/templates/: the form renderer reads the apps' templates, not the project's.
    template_name = "translated/translations_widget.html"

    class Media:
        css = {"all": ("portal/translations.css",)}

    def __init__(self, widget: forms.Widget, attrs: dict | None = None):
        self.languages = content_languages()
        widgets = {language: _copy_widget(widget, language) for language in self.languages}
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [value.get(language) or "" for language in self.languages]
        # A single text (e.g. an initial value of the plain field) is the active language's.
        active = language_of_request()
        return [value if language == active else "" for language in self.languages]

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        filled = any(sub.get("value") for sub in context["widget"]["subwidgets"])
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        for language, sub in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            if base_id:
                sub["attrs"]["id"] = f"{base_id}_{language}"
            sub["language"] = language
            sub["attrs"]["lang"] = language  # spell-checking and screen readers read it as that language
            sub["language_name"] = LANGUAGE_NAMES.get(language, language)
            sub["missing"] = filled and not sub.get("value")
        context["widget"]["missing"] = [sub["language"] for sub in context["widget"]["subwidgets"] if sub["missing"]]
        return context

    def id_for_label(self, id_: str) -> str:
        # The field's own label names the input of the reader's language.
        return f"{id_}_{language_of_request()}" if id_ else ""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        # The plain name (posted by a script, or an older page) is the active language's text.
        if name in data:
            active = language_of_request()
            values = [
                data.get(name) if language == active else value
                for language, value in zip(self.languages, values, strict=True)
            ]
        return values

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


def _copy_widget(widget: forms.Widget, language: str) -> forms.Widget:
    copy = widget.__class__(attrs={**widget.attrs, "lang": language})
    return copy


class TranslationsFormField(forms.MultiValueField):
    """The texts of one field in every language: cleaned to `{"en": ..., "ru": ..., "kk": ...}`."""

    def __init__(self, base: forms.Field, **kwargs: Any):
        self.base_required = base.required
        languages = content_languages()
        fields = [_copy_field(base) for _ in languages]
        kwargs.setdefault("label", base.label)
        kwargs.setdefault("help_text", base.help_text)
        super().__init__(
            fields=fields,
            widget=TranslationsWidget(base.widget),
            require_all_fields=False,
            required=base.required,
            **kwargs,
        )
        self.languages = languages

    def prepare_value(self, value: Any) -> Any:
        # Initial values (a dict of the stored texts) shown as each language's field shows its own.
        if isinstance(value, dict):
            return {
                language: field.prepare_value(value.get(language))
                for language, field in zip(self.languages, self.fields, strict=True)
            }
        return value

    def compress(self, data_list: list[Any]) -> dict[str, Any]:
        data_list = list(data_list) or [""] * len(self.languages)
        return dict(zip(self.languages, data_list, strict=True))

    def clean(self, value: Any) -> dict[str, Any]:
        # Required means a text in at least one language: the others fall back to it.
        values = value if isinstance(value, list | tuple) else self.widget.decompress(value)
        if self.base_required and not any(str(v or "").strip() for v in values):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        self.required = False
        try:
            return super().clean(values)
        finally:
            self.required = self.base_required


def _copy_field(base: forms.Field) -> forms.Field:
    field = base.__class__(**_field_kwargs(base))
    return field


def _field_kwargs(base: forms.Field) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"required": False}
    for name in ("max_length", "min_length", "strip"):
        if hasattr(base, name):
            kwargs[name] = getattr(base, name)
    if isinstance(base, forms.JSONField):
        return {"required": False}
    return kwargs


class TranslatedFormMixin:
    """Each translated field as three inputs side by side; `cleaned_data` holds its columns."""

    # The translated fields of this form; None: those of a ModelForm's model.
    translated: tuple[str, ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        for name in self.translated_names():
            for language in content_languages():
                self.fields.pop(column(name, language), None)
            base = self.fields.get(name)
            if base is None:
                continue
            self.fields[name] = TranslationsFormField(base)
            if instance is not None and instance.pk is not None:
                self.initial[name] = translations_of(instance, name)

    def translated_names(self) -> tuple[str, ...]:
        if self.translated is not None:
            return tuple(self.translated)
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        return translated_fields(model) if model is not None else ()

    def _post_clean(self) -> None:
        # A ModelForm's instance takes every language's text (the admin's inlines save it so).
        instance = getattr(self, "instance", None)
        if instance is not None and not self.errors:
            for name in self.translated_names():
                for language in content_languages():
                    key = column(name, language)
                    if key in self.cleaned_data:
                        setattr(instance, key, self.cleaned_data[key])
        super()._post_clean()

    def add_error(self, field: str | None, error: Any) -> None:
        # A service names a column (`name_ru` already taken): the message goes under the field.
        for name in self.translated_names():
            if field in {column(name, language) for language in content_languages()}:
                field = name
        super().add_error(field if field is None or field in self.fields else None, error)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in self.translated_names():
            values = cleaned.pop(name, None)
            if isinstance(values, dict):
                cleaned.update({column(name, language): value for language, value in values.items()})
        return cleaned


def without_translation_columns(model: Any, fields: Iterable[str]) -> list[str]:
    """`fields` less the language columns of the model's translated fields (an admin's rows)."""
    columns = {column(name, language) for name in translated_fields(model) for language in content_languages()}
    return [name for name in fields if name not in columns]


def translated_initial(obj: Any, *names: str) -> dict[str, dict[str, Any]]:
    """`{"title": {"en": ..., "ru": ..., "kk": ...}, ...}`: a form's initial values for `obj`."""
    return {name: translations_of(obj, name) for name in names}


__all__ = [
    "LANGUAGE_NAMES",
    "TranslatedFormMixin",
    "TranslationsFormField",
    "TranslationsWidget",
    "translated_initial",
]
