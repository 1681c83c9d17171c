"""Feedback surveys: a survey per program (optionally about one visit), its questions,
one invitation per participant with a secret link, and the answers."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Participant
from programs.models import Program
from visits.models import SiteVisit

from .enums import QuestionKind


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Survey(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("program"))
    visit = models.ForeignKey(
        SiteVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys", verbose_name=_("visit")
    )
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # For a survey about a visit: send the invitations this many hours after the visit ends.
    send_after_hours = models.PositiveSmallIntegerField(_("send hours after the visit"), null=True, blank=True)
    sent_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["program", "opens_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    # A choice is stored in one language, whichever the participant answered in: the first
    # language that has the choices (English, the default), at the same position in each list.
    def stored_choices(self) -> list[str]:
        from internship_portal.translated import column, content_languages

        for language in content_languages():
            choices = getattr(self, column("choices", language), None)
            if choices:
                return list(choices)
        return []

    def stored_choice(self, value: str) -> str | None:
        """The stored form of a choice given in any language, or None if it is none of them."""
        from internship_portal.translated import column, content_languages

        stored = self.stored_choices()
        for language in content_languages():
            choices = getattr(self, column("choices", language), None) or []
            if value in choices and choices.index(value) < len(stored):
                return stored[choices.index(value)]
        return None

    def shown_choice(self, stored: str) -> str:
        """A stored choice in the reader's language."""
        shown = list(self.choices or [])
        order = self.stored_choices()
        if stored in order and order.index(stored) < len(shown):
            return shown[order.index(stored)]
        return stored


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="survey_invitations", verbose_name=_("participant")
    )
    token = models.CharField(_("link token"), max_length=64, unique=True, default=new_invitation_token, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    nudges = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_nudged_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "participant"], name="one_invitation_per_participant")]

    def __str__(self) -> str:
        return f"{self.participant} → {self.survey}"


class Answer(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    # A multiple-choice answer: the choices ticked, in the question's order.
    selected = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value_text[:40]}"

    @property
    def value(self):
        """The answer as one value: the rating, the choice, the ticked choices (a list) or the text."""
        if self.rating is not None:
            return self.rating
        if self.selected:
            return list(self.selected)
        return self.choice or self.text

    @property
    def value_text(self) -> str:
        """The answer as text, for exports: ticked choices joined by "; "."""
        value = self.value
        return "; ".join(value) if isinstance(value, list) else str(value)
