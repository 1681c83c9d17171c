# The data step of 0005_content_translations, in a migration of its own: on PostgreSQL a table cannot be
# altered in the transaction that updated its rows (pending trigger events), and reversed,
# the update comes first.

from django.db import migrations
from django.db.models import F


# The content written before translations is English (the default language): it moves to the
# `_en` columns (of the rows and of their history), the others stay empty until an organiser
# fills them. Back, the English columns become the content again.
CONTENT = {'HostOrganisation': ['name', 'address', 'city', 'visitor_requirements'], 'SiteVisit': ['title', 'agenda', 'location', 'meeting_point']}


def existing_content_is_english(apps, schema_editor):
    for model_name, fields in CONTENT.items():
        for name in (model_name, f"Historical{model_name}"):
            try:
                model = apps.get_model('visits', name)
            except LookupError:
                continue
            model._base_manager.update(**{f"{field}_en": F(field) for field in fields})


def english_content_back(apps, schema_editor):
    for model_name, fields in CONTENT.items():
        model = apps.get_model('visits', model_name)
        for field in fields:
            model._base_manager.filter(**{f"{field}_en__isnull": False}).update(**{field: F(f"{field}_en")})



class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0005_content_translations"),
    ]

    operations = [
        migrations.RunPython(existing_content_is_english, english_content_back),
    ]
