"""Messages about the schedule: itineraries, change notices, reminders and host briefings.

Each builder decides *who* gets *what* and hands the messages to the outbox
(`notifications`); the outbox sends them through Celery, exactly once. The
e-mails are rendered at send time by the renderers registered at the bottom
(`register_renderers`, called from `NoticesConfig.ready()`), in the
recipient's language, from `templates/emails/<language>/`.

Change notices are net and batched: every edit raises the program's version
(programs.versions), and the program has changes not yet told while that
version is ahead of the one its notices last covered (`NoticeRelease`); on
release the current itinerary
of each participant is compared with the one they were last sent
(`NotifiedItinerary`), and only a participant whose plan differs gets a
notice, listing old → new per visit. A visit moved away and back differs
from nothing, so it yields nothing.
"""

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.template import Context
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import VISITOR_LIST, data_access_record
from internship_portal.links import feed_link, personal_link
from internship_portal.spreadsheets import csv_bytes
from internship_portal.translated import content_languages, fallback_chain, translations_of
from itinerary.calendar import itinerary_to_ical
from itinerary.selectors import participant_itinerary
from notifications.models import SendOut
from notifications.registry import Attachment, PermanentFailure, RenderedMessage, register_renderer, render
from notifications.selectors import existing_idempotency_keys, notifications_by_payload
from notifications.services import (
    OutgoingMessage,
    notification_enqueue,
    notifications_erase_recipient,
    sendout_create,
)
from participants.models import Participant
from participants.privacy import register_anonymiser, register_exporter, register_message_exporter
from participants.selectors import participants_of_program
from programs.enums import ProgramStatus
from programs.models import Program
from visits.enums import VisitStatus
from visits.models import HostOrganisation, SiteVisit, VisitGroup
from visits.selectors import VisitorList, visit_visitor_list, visit_visitors

from .models import HostBriefing, NoticeRelease, NotifiedItinerary

SCHEDULE_KIND = "visits.schedule"
CHANGE_KIND = "visits.change_notice"
REMINDER_KIND = "visits.reminder"
HOST_BRIEFING_KIND = "visits.host_briefing"

# Programs whose participants hear from us on their own (beat): not drafts or archives.
ACTIVE_STATUSES = (ProgramStatus.PUBLISHED, ProgramStatus.RUNNING)
# A host contact's e-mails go out in their language; Russian, the security desks' language,
# where none is known.
HOST_LANGUAGE = "ru"
LANGUAGE_FALLBACKS = {"kk": ["kk", "ru", "en"], "ru": ["ru", "en"], "en": ["en"]}
SNAPSHOT_FIELDS = ("title", "starts_at", "ends_at", "location", "meeting_point", "status", "host")


# --- links and templates -----------------------------------------------------------


def render_email(name: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of `templates/emails/<language>/<name>.{subject,txt,html}`.

    Only the HTML is HTML-escaped: the subject and the text part are plain text,
    where an escaped name ("Smith &amp; Sons") would be read as written.
    A language without its own templates falls back (kk → ru → en)."""
    languages = LANGUAGE_FALLBACKS.get(language, ["en"])
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "language": language}
        parts = []
        for suffix in ("subject", "txt", "html"):
            template = select_template([f"emails/{lang}/{name}.{suffix}" for lang in languages])
            if suffix == "html":
                parts.append(template.render(context))
            else:  # the engine's template itself, to render with autoescape off (includes inherit it)
                parts.append(template.template.render(Context(context, autoescape=False)))
    subject = " ".join(parts[0].split())
    return subject, parts[1].strip() + "\n", parts[2]


# --- snapshots and differences --------------------------------------------------------


# Texts kept in every language: a snapshot taken while one reader's language is active compares
# equal with one taken in another's, and each notice shows them in its recipient's language.
TRANSLATED_SNAPSHOT_FIELDS = ("title", "location", "meeting_point", "host")


def _entry(visit: SiteVisit, tz) -> dict[str, Any]:
    locations = {}
    for language in content_languages():
        with translation.override(language):
            locations[language] = visit.effective_location
    return {
        "title": translations_of(visit, "title"),
        "starts_at": visit.starts_at.astimezone(tz).isoformat(),
        "ends_at": visit.ends_at.astimezone(tz).isoformat(),
        "location": locations,
        "meeting_point": translations_of(visit, "meeting_point"),
        "status": visit.status,
        "host": translations_of(visit.host, "name") if visit.host_id else "",
    }


def snapshot_text(value: Any, language: str | None = None) -> str:
    """A text of a snapshot in `language` (default: the active one) or its first fallback that has
    it; a snapshot written before texts were kept in every language holds one plain text."""
    if not isinstance(value, dict):
        return value or ""
    return next((value[candidate] for candidate in fallback_chain(language) if value.get(candidate)), "")


def _same(before: Any, after: Any) -> bool:
    """Equal snapshot values; a plain text of an older snapshot equals its language's text of a newer one."""
    if isinstance(before, dict) != isinstance(after, dict):
        plain, texts = (before, after) if isinstance(after, dict) else (after, before)
        return (plain or "") in texts.values() or (not plain and not any(texts.values()))
    return before == after


def group_snapshots(*, program: Program) -> dict[int, dict[str, dict[str, str]]]:
    """What each group's itinerary shows now, as plain data keyed by visit id. One query."""
    tz = program.tzinfo
    snapshots: dict[int, dict[str, dict[str, str]]] = defaultdict(dict)
    bookings = VisitGroup.objects.filter(visit__program=program).select_related("visit", "visit__host")
    for booking in bookings:
        snapshots[booking.group_id][str(booking.visit_id)] = _entry(booking.visit, tz)
    return dict(snapshots)


def itinerary_diff(*, old: dict[str, dict], new: dict[str, dict]) -> list[dict[str, Any]]:
    """Per visit that differs: {"visit", "title", "old", "new"} (None where absent), in time order."""
    changes = []
    for key in set(old) | set(new):
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None:
            before = {name: before.get(name) for name in SNAPSHOT_FIELDS}
            after = {name: after.get(name) for name in SNAPSHOT_FIELDS}
            if all(_same(before[name], after[name]) for name in SNAPSHOT_FIELDS):
                continue
        current = after or before
        changes.append({"visit": int(key), "title": current["title"], "old": before, "new": after})
    changes.sort(key=lambda change: ((change["new"] or change["old"])["starts_at"], change["visit"]))
    return changes


def _set_notified(*, participants: Iterable[Participant], snapshots: dict[int, dict], now: datetime) -> dict[int, int]:
    """Record what each participant is being sent; return their new revision numbers."""
    participants = list(participants)
    existing = {
        row.participant_id: row
        for row in NotifiedItinerary.objects.select_for_update().filter(participant__in=participants)
    }
    to_update, to_create = [], []
    for participant in participants:
        snapshot = snapshots.get(participant.group_id, {})
        row = existing.get(participant.pk)
        if row is None:
            to_create.append(NotifiedItinerary(participant=participant, snapshot=snapshot, revision=1, notified_at=now))
        else:
            row.snapshot, row.revision, row.notified_at = snapshot, row.revision + 1, now
            to_update.append(row)
    NotifiedItinerary.objects.bulk_update(to_update, ["snapshot", "revision", "notified_at"], batch_size=500)
    NotifiedItinerary.objects.bulk_create(to_create, batch_size=500)
    return {row.participant_id: row.revision for row in [*to_update, *to_create]}


# --- the schedule ----------------------------------------------------------------------


def _participant_message(kind: str, participant: Participant, key: str, **payload: Any) -> OutgoingMessage:
    return OutgoingMessage(
        kind=kind,
        recipient_email=participant.email,
        recipient_name=participant.full_name,
        language=participant.language,
        payload={"participant_id": participant.pk, **payload},
        idempotency_key=key,
    )


def _clean_participant_ids(program: Program, participant_ids: Iterable[Any]) -> set[int]:
    try:
        wanted = {int(pk) for pk in participant_ids}
    except (TypeError, ValueError):
        raise ValidationError({"participants": _("Give participant ids as whole numbers.")}) from None
    found = set(Participant.objects.filter(program=program, pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise ValidationError(
            {
                "participants": _("These are not participants of this program: %(ids)s.")
                % {"ids": ", ".join(map(str, missing))}
            }
        )
    return wanted


LABEL_NAMES = 3


def recipients_label(participants: list[Participant]) -> str:
    """Whom a send-out to chosen people went to, as data for its name: up to three names, then "+N"."""
    names = ", ".join(participant.full_name for participant in participants[:LABEL_NAMES])
    rest = len(participants) - LABEL_NAMES
    return f"{names} +{rest}" if rest > 0 else names


@transaction.atomic
def schedule_send(*, program: Program, participant_ids: Iterable[int] | None = None, actor: Any = None) -> SendOut:
    """Queue one e-mail per participant (all of the program, or those listed) with their itinerary
    as text and HTML, their personal link and the `.ics` attached.

    Participants without an e-mail address are skipped. Records the itinerary
    sent as each participant's baseline for change notices. Returns the
    send-out, named after the people listed (none for everyone);
    `sendout.queued_count` is how many e-mails were queued. Fails with
    ValidationError naming ids that are not participants of the program;
    nothing is written then."""
    participants = participants_of_program(program=program).exclude(email="")
    if participant_ids is not None:
        participants = participants.filter(pk__in=_clean_participant_ids(program, participant_ids))
    participants = list(participants)
    now = timezone.now()
    label = recipients_label(participants) if participant_ids is not None else ""
    sendout = sendout_create(kind=SCHEDULE_KIND, program_id=program.pk, created_by=actor, label=label)
    _set_notified(participants=participants, snapshots=group_snapshots(program=program), now=now)
    messages = [
        _participant_message(SCHEDULE_KIND, participant, f"schedule:{sendout.pk}:{participant.pk}")
        for participant in participants
    ]
    ids = notification_enqueue(messages=messages, sendout=sendout)
    sendout.queued_count = len(ids)
    return sendout


def schedule_preview(*, participant: Participant) -> RenderedMessage:
    """The schedule e-mail exactly as `participant` would get it now: the same message the
    send-out queues, rendered by the same renderer the outbox calls, in their language.
    Writes nothing."""
    message = _participant_message(SCHEDULE_KIND, participant, "preview")
    return render(message.kind, message.payload, message.language)


def change_notice_preview(
    *, participant: Participant, snapshots: dict[int, dict] | None = None
) -> RenderedMessage | None:
    """The change notice `participant` would get if the notices were released now (rendered as
    the outbox renders it), or None when they would get none: never sent their schedule, or
    nothing changed for them. Writes nothing."""
    row = NotifiedItinerary.objects.filter(participant=participant).first()
    if row is None:
        return None
    if snapshots is None:
        snapshots = group_snapshots(program=participant.program)
    changes = itinerary_diff(old=row.snapshot, new=snapshots.get(participant.group_id, {}))
    if not changes:
        return None
    message = _participant_message(CHANGE_KIND, participant, "preview", changes=changes)
    return render(message.kind, message.payload, message.language)


# --- change notices ------------------------------------------------------------------------


@transaction.atomic
def change_notices_release(*, program: Program, actor: Any = None) -> int:
    """Queue one notice per participant whose itinerary differs from the one they were last sent,
    carrying only the net difference; return how many were queued.

    Participants who were never sent their schedule have nothing to compare
    with and get nothing (their first message is the schedule itself).
    Records the program's version as told."""
    # One release at a time per program: the second waits and then finds nothing new.
    version = Program.objects.select_for_update().values_list("version", flat=True).get(pk=program.pk)
    now = timezone.now()
    NoticeRelease.objects.update_or_create(program=program, defaults={"released_version": version, "released_at": now})
    snapshots = group_snapshots(program=program)
    notified = (
        NotifiedItinerary.objects.select_for_update(of=("self",))
        .filter(participant__program=program, participant__anonymised_at__isnull=True)
        .select_related("participant")
        .order_by("participant_id")
    )
    messages, rows = [], []
    for row in notified:
        participant = row.participant
        current = snapshots.get(participant.group_id, {})
        changes = itinerary_diff(old=row.snapshot, new=current)
        if not changes:
            continue
        row.snapshot, row.revision, row.notified_at = current, row.revision + 1, now
        rows.append(row)
        key = f"change-notice:{participant.pk}:{row.revision}"
        messages.append(_participant_message(CHANGE_KIND, participant, key, changes=changes))
    if not messages:
        return 0
    NotifiedItinerary.objects.bulk_update(rows, ["snapshot", "revision", "notified_at"], batch_size=500)
    sendout = sendout_create(kind=CHANGE_KIND, program_id=program.pk, created_by=actor)
    return len(notification_enqueue(messages=messages, sendout=sendout))


def change_notices_release_quiet(*, now: datetime | None = None) -> int:
    """Beat: release the notices of every program whose last edit is older than the quiet period."""
    now = now or timezone.now()
    quiet = timedelta(minutes=int(getattr(settings, "CHANGE_NOTICE_QUIET_MINUTES", 15)))
    programs = programs_with_changes_untold().filter(version_changed_at__lte=now - quiet)
    return sum(change_notices_release(program=program) for program in programs)


def programs_with_changes_untold():
    """Programs changed since their change notices were last released (or never released)."""
    return Program.objects.exclude(notice_release__released_version__gte=F("version"))


# --- evening-before reminders -----------------------------------------------------------------


def evening_reminders_enqueue(*, now: datetime | None = None) -> int:
    """Beat: in every active program where it is evening (`REMINDER_LOCAL_HOUR` or later, local
    time), queue each participant with visits tomorrow a reminder of tomorrow's plan, once per day."""
    now = now or timezone.now()
    hour = int(getattr(settings, "REMINDER_LOCAL_HOUR", 18))
    queued = 0
    programs = Program.objects.filter(
        status__in=ACTIVE_STATUSES,
        start_date__lte=(now + timedelta(days=2)).date(),
        end_date__gte=(now - timedelta(days=1)).date(),
    )
    for program in programs:
        local_now = now.astimezone(program.tzinfo)
        tomorrow = local_now.date() + timedelta(days=1)
        if local_now.hour < hour or not program.start_date <= tomorrow <= program.end_date:
            continue
        day_start = datetime.combine(tomorrow, time.min, tzinfo=program.tzinfo)
        group_ids = set(
            VisitGroup.objects.filter(
                visit__program=program,
                is_cancelled=False,
                starts_at__gte=day_start,
                starts_at__lt=day_start + timedelta(days=1),
            ).values_list("group_id", flat=True)
        )
        participants = list(participants_of_program(program=program).filter(group_id__in=group_ids))
        keys = {p.pk: f"reminder:{p.pk}:{tomorrow.isoformat()}" for p in participants}
        already = existing_idempotency_keys(keys=keys.values())
        messages = [
            _participant_message(REMINDER_KIND, p, keys[p.pk], date=tomorrow.isoformat())
            for p in participants
            if keys[p.pk] not in already
        ]
        if messages:
            with transaction.atomic():
                sendout = sendout_create(kind=REMINDER_KIND, program_id=program.pk, label=tomorrow.isoformat())
                queued += len(notification_enqueue(messages=messages, sendout=sendout))
    return queued


# --- host briefings ------------------------------------------------------------------------------


def _visitor_digest(visit: SiteVisit) -> str:
    """What the security desk would be sent, as a keyed digest (the ID details never leave the
    encrypted table: the outbox row carries only the visit; the list is built at send time)."""
    visitors = visit_visitor_list(visit=visit)
    data = json.dumps([visitors.columns, [[row["name"], row["group"], *row["values"]] for row in visitors.rows]])
    return hmac.new(settings.SECRET_KEY.encode(), data.encode(), hashlib.sha256).hexdigest()


def host_briefings_enqueue(*, now: datetime | None = None) -> int:
    """Beat: brief the contacts of each host whose visit is within its `visitor_list_days_ahead`
    (local days), with the visitor list and a CSV; again whenever the list changes later."""
    now = now or timezone.now()
    horizon = HostOrganisation.objects.aggregate(days=Max("visitor_list_days_ahead"))["days"] or 0
    visits = (
        SiteVisit.objects.filter(
            host__isnull=False, starts_at__gt=now, starts_at__lte=now + timedelta(days=horizon + 1)
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("host", "program")
        .prefetch_related("host__contacts")
        .order_by("starts_at", "id")
    )
    queued = 0
    for visit in visits:
        tz = visit.program.tzinfo
        days_before = (visit.starts_at.astimezone(tz).date() - now.astimezone(tz).date()).days
        contacts = [contact for contact in visit.host.contacts.all() if contact.email]
        if days_before > visit.host.visitor_list_days_ahead or not contacts:
            continue
        if not visit_visitors(visit=visit).exists():
            continue
        details = _entry(visit, tz)
        digest = hashlib.sha256(json.dumps([_visitor_digest(visit), details], sort_keys=True).encode()).hexdigest()
        with transaction.atomic():
            briefing = HostBriefing.objects.select_for_update().filter(visit=visit).first()
            if briefing is not None and briefing.digest == digest:
                continue
            if briefing is None:
                briefing = HostBriefing(visit=visit, revision=0)
            briefing.digest, briefing.revision, briefing.sent_at = digest, briefing.revision + 1, now
            briefing.save()
            messages = [
                OutgoingMessage(
                    kind=HOST_BRIEFING_KIND,
                    recipient_email=contact.email,
                    recipient_name=contact.name,
                    language=contact.language or HOST_LANGUAGE,
                    payload={
                        "visit_id": visit.pk,
                        "contact_id": contact.pk,
                        "revision": briefing.revision,
                        "contact_name": contact.name,
                        "visit": details,
                        "program": visit.program.title,
                    },
                    idempotency_key=f"host-briefing:{visit.pk}:{briefing.revision}:{contact.pk}",
                )
                for contact in contacts
            ]
            sendout = sendout_create(kind=HOST_BRIEFING_KIND, program_id=visit.program_id, label=visit.title)
            queued += len(notification_enqueue(messages=messages, sendout=sendout))
    return queued


# --- renderers (called by the outbox at send time) ---------------------------------------------------


def _participant(payload: dict) -> Participant:
    participant = (
        Participant.objects.select_related("program", "group").filter(pk=payload.get("participant_id")).first()
    )
    if participant is None:
        raise PermanentFailure("the participant no longer exists")
    if participant.anonymised_at is not None:
        raise PermanentFailure("the participant was anonymised")
    return participant


def _itinerary_context(participant: Participant) -> dict[str, Any]:
    itinerary = participant_itinerary(participant=participant)
    return {
        "participant": participant,
        "program": participant.program,
        "itinerary": itinerary,
        "personal_url": personal_link(participant.access_token),
        "feed_url": feed_link(participant.access_token),
    }


def render_schedule(payload: dict, language: str) -> RenderedMessage:
    participant = _participant(payload)
    context = _itinerary_context(participant)
    subject, text, html = render_email("schedule", language, context)
    ics = itinerary_to_ical(itinerary=context["itinerary"], personal_url=context["personal_url"], language=language)
    return RenderedMessage(
        subject=subject, text=text, html=html, attachments=[Attachment("itinerary.ics", ics, "text/calendar")]
    )


def _parse_entry(entry: dict | None, language: str | None = None) -> dict | None:
    if entry is None:
        return None
    return {
        **entry,
        **{name: snapshot_text(entry.get(name), language) for name in TRANSLATED_SNAPSHOT_FIELDS},
        "starts": datetime.fromisoformat(entry["starts_at"]),
        "ends": datetime.fromisoformat(entry["ends_at"]),
        "status_label": VisitStatus(entry["status"]).label if entry.get("status") in VisitStatus.values else "",
    }


def render_change_notice(payload: dict, language: str) -> RenderedMessage:
    participant = _participant(payload)
    changes = [
        {
            **change,
            "title": snapshot_text(change["title"], language),
            "old": _parse_entry(change["old"], language),
            "new": _parse_entry(change["new"], language),
        }
        for change in payload.get("changes", [])
    ]
    context = {**_itinerary_context(participant), "changes": changes}
    subject, text, html = render_email("change_notice", language, context)
    ics = itinerary_to_ical(itinerary=context["itinerary"], personal_url=context["personal_url"], language=language)
    return RenderedMessage(
        subject=subject, text=text, html=html, attachments=[Attachment("itinerary.ics", ics, "text/calendar")]
    )


def render_reminder(payload: dict, language: str) -> RenderedMessage:
    participant = _participant(payload)
    day = date.fromisoformat(payload["date"])
    context = _itinerary_context(participant)
    items = [item for item in context["itinerary"].items if item.starts_at.date() == day]
    subject, text, html = render_email("reminder", language, {**context, "day": day, "items": items})
    return RenderedMessage(subject=subject, text=text, html=html)


def visitors_csv(visitors: VisitorList, language: str) -> bytes:
    """The security desk's CSV, the same table as the pages' download (`VisitorList.table`),
    headed in the contact's language."""
    with translation.override(language):
        header, rows = visitors.table()
    return csv_bytes(header=header, rows=rows)


def render_host_briefing(payload: dict, language: str) -> RenderedMessage:
    """The visitor list as it is when the message goes out, with the fields the host requires; the
    read is recorded in the audit trail (a briefing is a read of the visitor list)."""
    visit = SiteVisit.objects.select_related("host", "program").filter(pk=payload.get("visit_id")).first()
    if visit is None or visit.host_id is None:
        raise PermanentFailure("the visit or its host no longer exists")
    # The visit and program as they read in the contact's language now, whatever language queued it.
    with translation.override(language):
        visitors = visit_visitor_list(visit=visit)
        details = _entry(visit, visit.program.tzinfo)
        program_title = visit.program.title
    data_access_record(
        what=VISITOR_LIST,
        object_id=visit.pk,
        program_id=visit.program_id,
        actor=f"e-mail to host contact {payload.get('contact_name', '')}".strip(),
        object_label=visit.title,
        channel="email",
    )
    context = {
        **payload,
        "visit": _parse_entry(details, language),
        "program": program_title,
        "updated": payload.get("revision", 1) > 1,
        "visitors": visitors.rows,
        "columns": visitors.columns,
    }
    subject, text, html = render_email("host_briefing", language, context)
    attachment = Attachment(f"visitors-{payload['visit_id']}.csv", visitors_csv(visitors, language), "text/csv")
    return RenderedMessage(subject=subject, text=text, html=html, attachments=[attachment])


# --- personal data (participants.privacy calls these) ------------------------------------------------


def participant_messages_erase(participant: Participant) -> None:
    """An anonymised participant: the outbox forgets their address, nothing more goes out to
    them, and no itinerary is kept as sent to them."""
    notifications_erase_recipient(key="participant_id", values=[participant.pk])
    NotifiedItinerary.objects.filter(participant=participant).delete()


def participant_messages_export(participant: Participant) -> list[dict[str, Any]]:
    """The schedules, change notices and reminders sent (or queued) to the participant."""
    return notifications_by_payload(key="participant_id", values=[participant.pk])


def participant_notified_itinerary_export(participant: Participant) -> dict[str, Any] | None:
    """The itinerary last sent to the participant, which change notices are compared with."""
    row = NotifiedItinerary.objects.filter(participant=participant).first()
    if row is None:
        return None
    return {"revision": row.revision, "notified_at": row.notified_at.isoformat(), "snapshot": row.snapshot}


def register_privacy() -> None:
    register_message_exporter("visits.messages", participant_messages_export)
    register_exporter("notified_itinerary", participant_notified_itinerary_export)
    register_anonymiser("visits.messages", participant_messages_erase)


def register_renderers() -> None:
    register_renderer(SCHEDULE_KIND, render_schedule, name=gettext_lazy("Schedules"))
    register_renderer(CHANGE_KIND, render_change_notice, name=gettext_lazy("Change notice"))
    register_renderer(REMINDER_KIND, render_reminder, name=gettext_lazy("Evening reminders"))
    register_renderer(HOST_BRIEFING_KIND, render_host_briefing, name=gettext_lazy("Host briefing"))


__all__ = [
    "change_notice_preview",
    "change_notices_release",
    "change_notices_release_quiet",
    "evening_reminders_enqueue",
    "host_briefings_enqueue",
    "schedule_preview",
    "schedule_send",
]
