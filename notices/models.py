"""What participants and hosts were last told, so that the next message says only what changed.

The tables keep the names they had when these models lived in `visits`.
"""

from django.db import models

from participants.models import Participant
from programs.models import Program


class NotifiedItinerary(models.Model):
    """The itinerary a participant was last sent (schedule or change notice), as plain data.

    A change notice is the difference between this and the current itinerary;
    `revision` counts the messages and keys their idempotency."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="notified_itinerary")
    # {visit id: {title, starts_at, ends_at, location, meeting_point, status, host}}
    snapshot = models.JSONField(default=dict)
    revision = models.PositiveIntegerField(default=0)
    notified_at = models.DateTimeField()

    class Meta:
        db_table = "visits_notifieditinerary"

    def __str__(self) -> str:
        return f"{self.participant} r{self.revision}"


class NoticeRelease(models.Model):
    """The version of the program (programs.versions) that change notices last covered.

    The program has changes not yet told while its version is ahead of
    `released_version`; beat releases the notices once
    `CHANGE_NOTICE_QUIET_MINUTES` have passed after the last change
    (`Program.version_changed_at`)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="notice_release")
    released_version = models.PositiveBigIntegerField(default=0)
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.program}: told up to version {self.released_version}"


class HostBriefing(models.Model):
    """The visitor list last sent to a visit's host, by digest: a changed list is sent again."""

    visit = models.OneToOneField("visits.SiteVisit", on_delete=models.CASCADE, related_name="host_briefing")
    digest = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "visits_hostbriefing"

    def __str__(self) -> str:
        return f"briefing r{self.revision} for {self.visit_id}"
