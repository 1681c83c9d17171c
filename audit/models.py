"""Reads of personal data worth recording: who opened which visitor list, when.

The history tables (audit.history) record writes; a visitor list carries passport numbers and
dates of birth, so every read of one (page, CSV, e-mailed briefing) is recorded here too.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataAccess(models.Model):
    """One read of personal data: `what` (e.g. "visitor_list"), of which object, by whom."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.CharField(_("who"), max_length=200)
    what = models.CharField(_("what"), max_length=64)
    # By name, so that the audit trail imports no domain app (it only says which program and object).
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    channel = models.CharField(_("how"), max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        indexes = [models.Index(fields=["what", "object_id"], name="data_access_object_idx")]

    def __str__(self) -> str:
        return f"{self.what} {self.object_id} by {self.actor}"
