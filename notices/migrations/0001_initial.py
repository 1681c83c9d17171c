# The schedule's message records move here from `visits`, keeping their tables
# (state only); the pending-changes marker becomes the version told (NoticeRelease).

import django.db.models.deletion
from django.db import migrations, models


def markers_to_releases(apps, schema_editor):
    """A program marked as having untold changes stays so (told up to the version before
    its current one); every other program counts as told up to its current version."""
    Program = apps.get_model("programs", "Program")
    PendingChanges = apps.get_model("visits", "PendingChanges")
    NoticeRelease = apps.get_model("notices", "NoticeRelease")
    pending = set(PendingChanges.objects.values_list("program_id", flat=True))
    NoticeRelease.objects.bulk_create(
        NoticeRelease(program_id=pk, released_version=version - 1 if pk in pending else version)
        for pk, version in Program.objects.values_list("pk", "version")
    )


def releases_to_markers(apps, schema_editor):
    from django.utils import timezone

    Program = apps.get_model("programs", "Program")
    PendingChanges = apps.get_model("visits", "PendingChanges")
    NoticeRelease = apps.get_model("notices", "NoticeRelease")
    told = dict(NoticeRelease.objects.values_list("program_id", "released_version"))
    now = timezone.now()
    PendingChanges.objects.bulk_create(
        PendingChanges(program_id=pk, since=now, last_edit_at=now)
        for pk, version in Program.objects.values_list("pk", "version")
        if told.get(pk, 0) < version
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("participants", "0003_history"),
        ("programs", "0003_program_version"),
        ("visits", "0003_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HostBriefing",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(max_length=64)),
                        ("revision", models.PositiveIntegerField(default=0)),
                        ("sent_at", models.DateTimeField()),
                        (
                            "visit",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="host_briefing",
                                to="visits.sitevisit",
                            ),
                        ),
                    ],
                    options={"db_table": "visits_hostbriefing"},
                ),
                migrations.CreateModel(
                    name="NotifiedItinerary",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("snapshot", models.JSONField(default=dict)),
                        ("revision", models.PositiveIntegerField(default=0)),
                        ("notified_at", models.DateTimeField()),
                        (
                            "participant",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notified_itinerary",
                                to="participants.participant",
                            ),
                        ),
                    ],
                    options={"db_table": "visits_notifieditinerary"},
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="NoticeRelease",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("released_version", models.PositiveBigIntegerField(default=0)),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notice_release",
                        to="programs.program",
                    ),
                ),
            ],
        ),
        migrations.RunPython(markers_to_releases, releases_to_markers),
    ]
