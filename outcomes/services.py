"""Writes of attendance and certificates: every rule about them lives here.

- `attendance_merge`: marks from a coordinator's phone (sent late, perhaps twice), an
  organiser's correction or a partner app, merged into one row per participant and visit:
  the same mark twice is one mark, a later mark (by its `marked_at`) wins, an older one is
  ignored. A change emits `attendance.updated`.
- `certificate_issue`: a certificate for a participant who attended enough of their visits.
- `certificates_send`: an e-mail per certificate holder, the PDF attached (the outbox).
- `certificate_archive_request` / `certificate_archive_build`: a ZIP of a program's
  certificates, built by a worker one file at a time.
"""

import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import SendOut
from notifications.registry import Attachment, PermanentFailure, RenderedMessage, register_renderer
from notifications.services import OutgoingMessage, notification_enqueue, sendout_create
from participants.models import Participant
from programs.models import Program
from visits.enums import VisitStatus
from visits.models import SiteVisit

from .enums import CERTIFICATE_KIND, ArchiveStatus
from .events import attendance_event_emit
from .models import Attendance, Certificate, CertificateArchive
from .selectors import attendance_summary, eligible_participants, visit_members

logger = logging.getLogger(__name__)

CLIENT_ID_MAX = 64
# How old a mark dated before its program may be: a phone kept offline that long still syncs.
OFFLINE_MARKS_KEPT_FOR = timedelta(days=7)


class CertificateRefused(Exception):
    """The participant does not (yet) meet the program's attendance threshold."""


@dataclass(frozen=True)
class Mark:
    """One tap: this participant was (not) at the visit, at `marked_at`; `client_id` is the
    id the marking device gave it (empty for an organiser's or a partner's mark)."""

    participant_id: int
    present: bool
    marked_at: datetime | None = None
    client_id: str = ""


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


@transaction.atomic
def attendance_merge(
    *,
    visit: SiteVisit,
    marks: Iterable[Mark],
    marked_by: str,
    allowed_participant_ids: set[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Merge `marks` into the visit's attendance; return how many rows changed.

    Each participant's latest mark counts; a mark older than the one stored is ignored, the
    same mark again changes nothing. A time in the future (a phone's clock ahead) counts as
    now, so that it cannot outlast a later correction. Emits `attendance.updated` when
    anything changed.

    Fails with ValidationError (nothing written) on a cancelled visit, on a participant
    who is not a member of the visit's groups (or of `allowed_participant_ids`, the
    coordinator's own group), naming them, or on a mark dated before the program starts and
    over a week before now (OFFLINE_MARKS_KEPT_FOR)."""
    now = now or timezone.now()
    marks = list(marks)
    if not marks:
        return 0
    if visit.status == VisitStatus.CANCELLED:
        _refuse("visit", _("The visit “%(visit)s” was cancelled: nobody can be marked at it.") % {"visit": visit})
    members = {participant.pk: participant for participant in visit_members(visit=visit)}
    allowed = set(members) if allowed_participant_ids is None else set(members) & allowed_participant_ids
    strangers = sorted({mark.participant_id for mark in marks} - allowed)
    if strangers:
        _refuse(
            "participant",
            _("Not a member of this visit's groups: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in strangers)},
        )
    # Marks are taken also before the program (a coordinator trying the check-in ahead, a phone
    # that was offline a while); a time from before the program and over a week before now is a
    # bad clock or a default date (1900-01-01), not a mark.
    earliest = min(visit.program.starts_at(), now - OFFLINE_MARKS_KEPT_FOR)
    if any(mark.marked_at is not None and mark.marked_at < earliest for mark in marks):
        _refuse(
            "marked_at",
            _("A mark cannot be dated before the program starts (%(start)s).") % {"start": visit.program.start_date},
        )
    latest: dict[int, Mark] = {}
    for mark in marks:
        moment = min(mark.marked_at or now, now)
        mark = Mark(mark.participant_id, bool(mark.present), moment, (mark.client_id or "")[:CLIENT_ID_MAX])
        known = latest.get(mark.participant_id)
        if known is None or mark.marked_at > known.marked_at:
            latest[mark.participant_id] = mark
    existing = {
        row.participant_id: row
        for row in Attendance.objects.select_for_update().filter(visit=visit, participant_id__in=list(latest))
    }
    changed = 0
    for participant_id, mark in latest.items():
        row = existing.get(participant_id)
        if row is not None:
            if mark.client_id and mark.client_id == row.client_id:
                continue  # this very mark, sent again
            if mark.marked_at <= row.marked_at:
                continue  # an older mark (or the same moment again): the stored one stands
            if row.present == mark.present:
                # Nothing a reader sees changes; keep the latest moment so older marks stay ignored.
                Attendance.objects.filter(pk=row.pk).update(
                    marked_at=mark.marked_at, client_id=mark.client_id, updated_at=now
                )
                continue
            row.present, row.marked_at, row.client_id, row.marked_by = (
                mark.present,
                mark.marked_at,
                mark.client_id,
                marked_by[:300],
            )
            row.save()
        else:
            Attendance.objects.create(
                visit=visit,
                participant_id=participant_id,
                present=mark.present,
                marked_at=mark.marked_at,
                client_id=mark.client_id,
                marked_by=marked_by[:300],
            )
        changed += 1
    if changed:
        attendance_event_emit(visit=visit)
    return changed


# --- certificates --------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, participant: Participant) -> Certificate:
    """The participant's certificate, issued now if it was not yet (the code stays the same).

    Fails with CertificateRefused when the participant attended less than the program's
    `certificate_min_attendance` % of their non-cancelled visits (or has none)."""
    summary = attendance_summary(participant=participant)
    if not summary.meets(participant.program.certificate_min_attendance):
        raise CertificateRefused(participant.pk)
    certificate, _created = Certificate.objects.get_or_create(participant=participant)
    return certificate


def certificates_issue_all(*, program: Program) -> list[tuple[Certificate, Any]]:
    """A certificate for every participant who meets the threshold, with their summaries."""
    issued = []
    for participant, summary in eligible_participants(program=program):
        certificate, _created = Certificate.objects.get_or_create(participant=participant)
        certificate.participant = participant
        issued.append((certificate, summary))
    return issued


@transaction.atomic
def certificates_send(*, program: Program, actor: Any = None) -> SendOut:
    """E-mail every participant who meets the threshold their certificate (the PDF attached,
    rendered at send time in their language). Once per participant and send-out; returns the
    send-out, with `queued_count`."""
    issued = certificates_issue_all(program=program)
    sendout = sendout_create(kind=CERTIFICATE_KIND, program_id=program.pk, created_by=actor)
    messages = [
        OutgoingMessage(
            kind=CERTIFICATE_KIND,
            recipient_email=certificate.participant.email,
            recipient_name=certificate.participant.full_name,
            language=certificate.participant.language,
            payload={"participant_id": certificate.participant_id, "certificate_id": certificate.pk},
            idempotency_key=f"certificate:{sendout.pk}:{certificate.participant_id}",
        )
        for certificate, _summary in issued
        if certificate.participant.email
    ]
    sendout.queued_count = len(notification_enqueue(messages=messages, sendout=sendout))
    return sendout


def render_certificate_email(payload: dict, language: str) -> RenderedMessage:
    """The outbox's renderer: the e-mail and the certificate's PDF, in the participant's language."""
    from notices.services import render_email

    from .certificates import certificate_filename, certificate_pdf

    certificate = (
        Certificate.objects.select_related("participant", "participant__program", "participant__group")
        .filter(pk=payload.get("certificate_id"), participant__anonymised_at__isnull=True)
        .first()
    )
    if certificate is None:
        raise PermanentFailure("the certificate no longer exists")
    participant = certificate.participant
    subject, text, html = render_email(
        "certificate", language, {"participant": participant, "program": participant.program}
    )
    pdf = certificate_pdf(certificate=certificate)
    return RenderedMessage(
        subject=subject,
        text=text,
        html=html,
        attachments=[Attachment(certificate_filename(certificate), pdf, "application/pdf")],
    )


# --- the ZIP of a program's certificates ---------------------------------------------


@transaction.atomic
def certificate_archive_request(*, program: Program, actor: Any = None) -> CertificateArchive:
    """Ask a worker to build the ZIP of the program's certificates (after commit)."""
    from django.contrib.auth import get_user_model

    from .tasks import task_build_certificate_archive

    user = actor if isinstance(actor, get_user_model()) else None
    archive = CertificateArchive.objects.create(program=program, requested_by=user)
    transaction.on_commit(lambda: task_build_certificate_archive.delay(archive_id=archive.pk), robust=True)
    return archive


def certificate_archive_build(*, archive_id: int) -> CertificateArchive:
    """Render every certificate of the archive's program into a ZIP on the default storage,
    one PDF at a time straight into the file (memory stays flat whatever the number)."""
    from .certificates import certificate_filename, certificate_pdf_renderer

    archive = CertificateArchive.objects.select_related("program").get(pk=archive_id)
    if archive.status != ArchiveStatus.PENDING:
        return archive
    program = archive.program
    name = default_storage.generate_filename(f"certificates/{program.slug}-{archive.pk}.zip")
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    try:
        render = certificate_pdf_renderer()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for certificate, summary in certificates_issue_all(program=program):
                bundle.writestr(certificate_filename(certificate), render(certificate=certificate, summary=summary))
                count += 1
    except Exception as exc:  # any failure is the archive's state, shown to the organiser
        logger.exception("certificate archive %s failed", archive.pk)
        CertificateArchive.objects.filter(pk=archive.pk).update(
            status=ArchiveStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        path.unlink(missing_ok=True)
        raise
    CertificateArchive.objects.filter(pk=archive.pk).update(
        status=ArchiveStatus.READY, file=name, count=count, finished_at=timezone.now()
    )
    archive.refresh_from_db()
    return archive


# --- hooks other apps call -------------------------------------------------------------


def participant_outcomes_export(participant: Participant) -> dict[str, Any]:
    """The participant's attendance and certificate, for their personal data export."""
    marks = Attendance.objects.filter(participant=participant).select_related("visit").order_by("visit__starts_at")
    certificate = Certificate.objects.filter(participant=participant).first()
    return {
        "attendance": [
            {"visit": mark.visit.title, "present": mark.present, "marked_at": mark.marked_at.isoformat()}
            for mark in marks
        ],
        "certificate": {"code": certificate.code, "issued_at": certificate.issued_at.isoformat()}
        if certificate
        else None,
    }


def participant_certificate_erase(participant: Participant) -> None:
    """An anonymised participant holds no certificate: its code no longer verifies. Their
    attendance stays (without a name) in the program's statistics."""
    Certificate.objects.filter(participant=participant).delete()


def register_hooks() -> None:
    from participants.privacy import register_anonymiser, register_exporter
    from participants.summaries import register_attendance_summaries

    from .selectors import attendance_summaries_as_dicts

    register_renderer(CERTIFICATE_KIND, render_certificate_email, name=gettext_lazy("Certificates"))
    register_attendance_summaries(lambda people: attendance_summaries_as_dicts(participants=people))
    register_exporter("outcomes", participant_outcomes_export)
    register_anonymiser("outcomes", participant_certificate_erase)


# --- the coordinator's check-in (marks sent from the phone, perhaps late and twice) ----------


@dataclass(frozen=True)
class PhoneMark:
    """A mark as the check-in page keeps it on the phone: its own id, the visit, the participant."""

    id: str
    visit_id: int
    participant_id: int
    present: bool
    marked_at: datetime


def checkin_marks_apply(*, coordinator: Participant, marks: Iterable[PhoneMark], now: datetime | None = None) -> dict:
    """Merge the marks a coordinator's phone sends (attendance_merge, one visit at a time).

    Only visits of the coordinator's group and members of that group may be marked. Returns
    `{"accepted": [mark ids], "refused": [{"id", "reason"}]}`: both are done with (a refused mark,
    e.g. at a visit cancelled meanwhile, will never be accepted), so the phone forgets them."""
    group = coordinator.group
    marks = list(marks)
    if group is None or group.coordinator_id != coordinator.pk:
        reason = _("You no longer coordinate a group.")
        return {"accepted": [], "refused": [{"id": mark.id, "reason": reason} for mark in marks]}
    visits = {visit.pk: visit for visit in SiteVisit.objects.filter(bookings__group=group).select_related("program")}
    member_ids = set(Participant.objects.filter(group=group, anonymised_at__isnull=True).values_list("pk", flat=True))
    by_visit: dict[int, list[PhoneMark]] = {}
    refused = []
    for mark in marks:
        if mark.visit_id not in visits:
            refused.append({"id": mark.id, "reason": _("This visit is not one of your group's.")})
        elif mark.participant_id not in member_ids:
            refused.append({"id": mark.id, "reason": _("This participant is no longer in your group.")})
        else:
            by_visit.setdefault(mark.visit_id, []).append(mark)
    accepted = []
    for visit_id, visit_marks in by_visit.items():
        try:
            attendance_merge(
                visit=visits[visit_id],
                marks=[Mark(m.participant_id, m.present, m.marked_at, m.id) for m in visit_marks],
                marked_by=coordinator.full_name,
                allowed_participant_ids=member_ids,
                now=now,
            )
        except ValidationError as exc:
            reason = " ".join(message for messages in exc.message_dict.values() for message in messages)
            refused.extend({"id": mark.id, "reason": reason} for mark in visit_marks)
        else:
            accepted.extend(mark.id for mark in visit_marks)
    return {"accepted": accepted, "refused": refused}
