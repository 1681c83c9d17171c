"""The admin speaks the organiser's language too: every app, every model the admin shows, and
every field of theirs, is named through gettext (a plain string, or a name Django derives from
the class, stays English in Russian and Kazakh whatever the catalogues hold)."""

from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise

PORTAL_APPS = {
    "accounts", "audit", "demo", "hosting", "itinerary", "notices", "notifications", "outcomes", "participants",
    "partners", "planning", "programs", "surveys", "visits",
}  # fmt: skip
LANGUAGE_COLUMNS = ("_en", "_ru", "_kk")


def _admin_models():
    return [model for model in admin.site._registry if model._meta.app_label in PORTAL_APPS]


def test_every_app_is_named_in_the_readers_language():
    plain = [config.label for config in apps.get_app_configs() if config.label in PORTAL_APPS]
    plain = [label for label in plain if not isinstance(apps.get_app_config(label).verbose_name, Promise)]
    assert plain == []


def test_every_model_the_admin_shows_is_named_in_the_readers_language():
    plain = [
        model._meta.label
        for model in _admin_models()
        if not isinstance(model._meta.original_attrs.get("verbose_name"), Promise)
        or not isinstance(model._meta.original_attrs.get("verbose_name_plural"), Promise)
    ]
    assert plain == []


def test_every_field_of_those_models_is_named_in_the_readers_language():
    plain = [
        f"{model._meta.label}.{field.name}"
        for model in _admin_models()
        for field in model._meta.get_fields()
        if not field.auto_created
        and hasattr(field, "verbose_name")
        and not field.name.endswith(LANGUAGE_COLUMNS)
        and not isinstance(field.verbose_name, Promise)
    ]
    assert plain == []


def test_the_admins_headings_name_the_portal_in_the_readers_language(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()

    assert "Тағылымдама порталын басқару" in page
    assert "Django" not in page.split("<body")[1].split("</header>")[0]
