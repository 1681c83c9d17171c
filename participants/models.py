"""Project groups and the participants of a program."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import audited
from internship_portal.crypto import EncryptedTextField
from programs.models import Program
from programs.validators import validate_timezone
from programs.versions import VersionedModel

from .enums import Language
from .tokens import new_access_token


class ProjectGroup(VersionedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    coordinator = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_groups",
        verbose_name=_("coordinator"),
    )

    history = audited()

    class Meta:
        verbose_name = _("project group")
        verbose_name_plural = _("project groups")
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="group_name_unique_in_program")]

    def __str__(self) -> str:
        return self.name


class Participant(VersionedModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="participants", verbose_name=_("program")
    )
    group = models.ForeignKey(
        ProjectGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("group"),
    )
    first_name = models.CharField(_("given name"), max_length=100)
    last_name = models.CharField(_("family name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=2, choices=Language.choices, default=Language.EN)
    notes = models.TextField(_("accessibility and dietary notes"), blank=True)
    home_timezone = models.CharField(_("home time zone"), max_length=64, blank=True, validators=[validate_timezone])
    access_token = models.CharField(
        _("access token"), max_length=64, unique=True, default=new_access_token, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("login"),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The secret token never goes into the history tables.
    history = audited(excluded_fields=["access_token", "updated_at"])

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["program", "email"], name="participant_email_unique_in_program")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.patronymic, self.last_name) if part)


class VisitorDetails(models.Model):
    """A participant's ID details for the security desks of the hosts they visit.

    Encrypted at rest (internship_portal.crypto); shown only to the organisers of the program and
    to the host contacts of the participant's visits; exported with the participant's data, erased
    with them, and deleted `VISITOR_DETAILS_RETENTION_DAYS` after the program ends. No history
    table keeps them."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="visitor_details")
    passport_name = EncryptedTextField(_("full name as in the passport"), blank=True)
    citizenship = EncryptedTextField(_("citizenship"), blank=True)
    document_number = EncryptedTextField(_("passport or ID document number"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True, help_text="YYYY-MM-DD")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visitor details")
        verbose_name_plural = _("visitor details")

    def __str__(self) -> str:
        return f"visitor details of participant {self.participant_id}"
