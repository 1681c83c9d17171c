# The message records now belong to `notices` (their tables stay, see notices 0001);
# the pending-changes marker is replaced by notices.NoticeRelease.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notices", "0001_initial"),
        ("visits", "0003_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HostBriefing"),
                migrations.DeleteModel(name="NotifiedItinerary"),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(name="PendingChanges"),
    ]
