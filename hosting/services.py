"""Hosts in the loop: asking host contacts to confirm visits, their answers from their link,
reminders, and asking participants for the ID details their hosts' security desks require.

The host's answer is a field of the visit (`SiteVisit.host_status`), written by
`visits.services`; this app decides who is told and sends it through the outbox, in the
recipient's language. Every message here has an idempotency key, so a double click, a retried
request or a second beat run sends nothing twice.

- `host_confirmation_request`: visits → `requested`, one e-mail per contact with the link.
- `host_answer`: the contact's Confirm / Decline / Propose another time.
- `host_proposal_accept` / `host_proposal_refuse`: the organiser's decision on a proposal.
- `host_tell_visit_changed`: a confirmed visit moved or re-staffed (registered in programs.rules).
- `host_requests_remind`: beat, once per request after `HOST_CONFIRMATION_REMIND_AFTER_HOURS`.
- `visitor_details_remind`: e-mail participants who miss a field their hosts require.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from internship_portal.links import host_link, personal_link
from notices.services import render_email
from notifications.registry import PermanentFailure, RenderedMessage
from notifications.services import OutgoingMessage, notification_enqueue, sendout_create
from participants.enums import VisitorField
from participants.models import Participant
from participants.services import visitor_details_retention_ends
from programs.models import Program
from visits.enums import HostStatus, VisitStatus
from visits.models import HostContact, HostOrganisation, SiteVisit
from visits.selectors import program_visitor_details_gaps
from visits.services import (
    visit_host_answer,
    visit_host_proposal_accept,
    visit_host_reminded,
    visit_host_request,
)

HOST_REQUEST_KIND = "hosting.host_request"
VISITOR_DETAILS_KIND = "hosting.visitor_details"

# Why a host contact gets a message about their visits (the e-mail's wording follows it).
ASKED = "asked"  # please confirm these visits
REMINDED = "reminded"  # you have not answered yet
CHANGED = "changed"  # a visit you confirmed changed: confirm it again
REFUSED = "refused"  # the academy keeps the original time: confirm or decline it
REASONS = (ASKED, REMINDED, CHANGED, REFUSED)


def _contacts_with_email(host: HostOrganisation) -> list[HostContact]:
    return [contact for contact in host.contacts.all() if contact.email]


def _host_message(
    *, contact: HostContact, visits: list[SiteVisit], reason: str, key_extra: str = ""
) -> OutgoingMessage:
    """One e-mail to a contact about these visits; its key names the contact, the reason and each
    visit at its current `sequence` (its version for calendars), so the same request twice is one."""
    marks = ",".join(f"{visit.pk}:{visit.sequence}" for visit in sorted(visits, key=lambda visit: visit.pk))
    digest = hashlib.sha256(f"{marks}|{key_extra}".encode()).hexdigest()[:24]
    return OutgoingMessage(
        kind=HOST_REQUEST_KIND,
        recipient_email=contact.email,
        recipient_name=contact.name,
        language=contact.language or "ru",
        payload={"contact_id": contact.pk, "visit_ids": [visit.pk for visit in visits], "reason": reason},
        idempotency_key=f"host-{reason}:{contact.pk}:{digest}",
    )


def _enqueue(*, program_id: int, messages: list[OutgoingMessage], actor: Any = None) -> int:
    if not messages:
        return 0
    sendout = sendout_create(kind=HOST_REQUEST_KIND, program_id=program_id, created_by=actor)
    return len(notification_enqueue(messages=messages, sendout=sendout))


@transaction.atomic
def host_confirmation_request(
    *, program: Program, visits: Iterable[SiteVisit], actor: Any = None, now: datetime | None = None
) -> int:
    """Ask the hosts of these visits (all of the program) to confirm them: each visit's
    `host_status` becomes requested, and each contact with an e-mail gets one message with their
    link listing their visits (once: asking again for the same visits sends nothing new).

    Returns how many e-mails were queued. Fails with ValidationError naming the visit when one is
    cancelled, has no host, or its host has no contact with an e-mail; nothing is written then."""
    now = now or timezone.now()
    visits = list(
        SiteVisit.objects.filter(program=program, pk__in=[visit.pk for visit in visits])
        .select_related("host")
        .prefetch_related("host__contacts")
        .order_by("starts_at", "id")
    )
    by_host: dict[int, list[SiteVisit]] = defaultdict(list)
    for visit in visits:
        if visit.status == VisitStatus.CANCELLED:
            raise ValidationError({"visit": _("“%(visit)s” is cancelled.") % {"visit": visit.title}})
        if visit.host_id is None:
            raise ValidationError({"host": _("“%(visit)s” has no host organisation.") % {"visit": visit.title}})
        if not _contacts_with_email(visit.host):
            raise ValidationError(
                {
                    "host": _("%(host)s has no contact with an e-mail address: add one first.")
                    % {"host": visit.host.name}
                }
            )
        by_host[visit.host_id].append(visit)
    messages = []
    for host_visits in by_host.values():
        for visit in host_visits:
            if visit.host_status != HostStatus.REQUESTED:
                visit_host_request(visit=visit, now=now)
        # Asked again after an answer is a new request; the same request twice is one e-mail.
        stamp = max(visit.host_requested_at for visit in host_visits).isoformat()
        for contact in _contacts_with_email(host_visits[0].host):
            messages.append(_host_message(contact=contact, visits=host_visits, reason=ASKED, key_extra=stamp))
    return _enqueue(program_id=program.pk, messages=messages, actor=actor)


def host_visits_request(*, program: Program, host: HostOrganisation, actor: Any = None) -> int:
    """Ask a host to confirm all of its visits in the program that are not cancelled or confirmed."""
    visits = (
        SiteVisit.objects.filter(program=program, host=host)
        .exclude(status=VisitStatus.CANCELLED)
        .exclude(host_status=HostStatus.CONFIRMED)
    )
    if not visits.exists():
        raise ValidationError({"host": _("%(host)s has no visits left to confirm.") % {"host": host.name}})
    return host_confirmation_request(program=program, visits=visits, actor=actor)


@transaction.atomic
def host_answer(
    *,
    contact: HostContact,
    visit: SiteVisit,
    answer: str,
    note: str = "",
    proposed_starts_at: datetime | None = None,
    proposed_ends_at: datetime | None = None,
) -> SiteVisit:
    """A host contact's answer from their link: `confirmed`, `declined` (with a reason) or
    `proposed` (another time within the program). Only a visit at the contact's own organisation;
    the rest is `visits.services.visit_host_answer` (webhooks included)."""
    if visit.host_id != contact.host_id:
        raise ValidationError({"visit": _("This visit is not at your organisation.")})
    return visit_host_answer(
        visit=visit,
        status=answer,
        note=note,
        proposed_starts_at=proposed_starts_at,
        proposed_ends_at=proposed_ends_at,
    )


@transaction.atomic
def host_proposal_accept(*, visit: SiteVisit) -> SiteVisit:
    """The organiser takes the host's proposed time: the visit moves there through the scheduling
    rules (a clash is refused with ScheduleConflict naming it) and is confirmed."""
    return visit_host_proposal_accept(visit=visit)


@transaction.atomic
def host_proposal_refuse(*, visit: SiteVisit, actor: Any = None) -> int:
    """The organiser keeps the visit's time: the host is asked again to confirm or decline it
    (one e-mail per contact). Fails with ValidationError when no proposal is pending."""
    if visit.host_status != HostStatus.PROPOSED:
        raise ValidationError({"host_status": _("The host has no pending proposal for this visit.")})
    proposed = f"{visit.host_proposed_starts_at.isoformat()}/{visit.host_proposed_ends_at.isoformat()}"
    visit_host_request(visit=visit)
    host = HostOrganisation.objects.prefetch_related("contacts").get(pk=visit.host_id)
    messages = [
        _host_message(contact=contact, visits=[visit], reason=REFUSED, key_extra=proposed)
        for contact in _contacts_with_email(host)
    ]
    return _enqueue(program_id=visit.program_id, messages=messages, actor=actor)


def host_tell_visit_changed(*, visit: SiteVisit) -> None:
    """A visit its host had confirmed moved or changed groups, and is back to requested: each
    contact gets one e-mail asking them to confirm it again (per version of the visit)."""
    host = HostOrganisation.objects.prefetch_related("contacts").get(pk=visit.host_id)
    messages = [
        _host_message(contact=contact, visits=[visit], reason=CHANGED) for contact in _contacts_with_email(host)
    ]
    _enqueue(program_id=visit.program_id, messages=messages)


def host_requests_remind(*, now: datetime | None = None) -> int:
    """Beat: remind, once per request, the contacts of visits still awaiting an answer
    `HOST_CONFIRMATION_REMIND_AFTER_HOURS` after they were asked (coming visits only)."""
    now = now or timezone.now()
    after = timedelta(hours=settings.HOST_CONFIRMATION_REMIND_AFTER_HOURS)
    due = (
        SiteVisit.objects.filter(
            host_status=HostStatus.REQUESTED,
            host_requested_at__lte=now - after,
            host_reminded_at__isnull=True,
            starts_at__gt=now,
            host__isnull=False,
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("host")
        .prefetch_related("host__contacts")
        .order_by("program_id", "host_id", "starts_at", "id")
    )
    grouped: dict[tuple[int, int], list[SiteVisit]] = defaultdict(list)
    for visit in due:
        grouped[(visit.program_id, visit.host_id)].append(visit)
    queued = 0
    for (program_id, _host_id), visits in grouped.items():
        with transaction.atomic():
            for visit in visits:
                visit_host_reminded(visit=visit, now=now)
            stamp = max(visit.host_requested_at for visit in visits).isoformat()
            messages = [
                _host_message(contact=contact, visits=visits, reason=REMINDED, key_extra=stamp)
                for contact in _contacts_with_email(visits[0].host)
            ]
            queued += _enqueue(program_id=program_id, messages=messages)
    return queued


def visitor_details_remind(
    *, program: Program, host: HostOrganisation | None = None, actor: Any = None, now: datetime | None = None
) -> int:
    """E-mail each participant who misses a field the hosts of their coming visits require (of one
    host, or of all), once a day, with their personal link. Returns how many were queued."""
    now = now or timezone.now()
    gaps = program_visitor_details_gaps(program=program, now=now)
    if host is not None:
        gaps = [gap for gap in gaps if gap.host.pk == host.pk]
    wanted: dict[int, set[int]] = defaultdict(set)
    for gap in gaps:
        for row in gap.missing:
            wanted[row["participant_id"]].add(gap.host.pk)
    people = Participant.objects.filter(pk__in=wanted, anonymised_at__isnull=True).order_by("pk")
    today = now.astimezone(program.tzinfo).date().isoformat()
    messages = [
        OutgoingMessage(
            kind=VISITOR_DETAILS_KIND,
            recipient_email=person.email,
            recipient_name=person.full_name,
            language=person.language,
            payload={"participant_id": person.pk, "host_ids": sorted(wanted[person.pk])},
            idempotency_key=f"visitor-details:{person.pk}:{today}:{','.join(map(str, sorted(wanted[person.pk])))}",
        )
        for person in people
    ]
    if not messages:
        return 0
    with transaction.atomic():
        sendout = sendout_create(kind=VISITOR_DETAILS_KIND, program_id=program.pk, created_by=actor)
        return len(notification_enqueue(messages=messages, sendout=sendout))


# --- renderers (called by the outbox at send time) -------------------------------------------


def render_host_request(payload: dict, language: str) -> RenderedMessage:
    contact = HostContact.objects.select_related("host").filter(pk=payload.get("contact_id")).first()
    if contact is None:
        raise PermanentFailure("the host contact no longer exists")
    visits = list(
        SiteVisit.objects.filter(pk__in=payload.get("visit_ids", []), host_id=contact.host_id)
        .select_related("program")
        .order_by("starts_at", "id")
    )
    if not visits:
        raise PermanentFailure("none of the visits is at the contact's organisation any more")
    for visit in visits:
        tz = visit.program.tzinfo
        visit.local_starts_at = visit.starts_at.astimezone(tz)
        visit.local_ends_at = visit.ends_at.astimezone(tz)
    reason = payload.get("reason") if payload.get("reason") in REASONS else ASKED
    context = {
        "contact": contact,
        "host": contact.host,
        "visits": visits,
        "program": visits[0].program,
        "reason": reason,
        "link": host_link(contact.access_token),
    }
    subject, text, html = render_email("host_request", language, context)
    return RenderedMessage(subject=subject, text=text, html=html)


def render_visitor_details_request(payload: dict, language: str) -> RenderedMessage:
    participant = Participant.objects.select_related("program").filter(pk=payload.get("participant_id")).first()
    if participant is None or participant.anonymised_at is not None:
        raise PermanentFailure("the participant no longer exists or was anonymised")
    hosts = list(HostOrganisation.objects.filter(pk__in=payload.get("host_ids", [])).order_by("name"))
    with translation.override(language):
        labels = dict(VisitorField.choices)
        fields = [
            str(labels[name])
            for name in VisitorField.values
            if any(name in (host.required_visitor_fields or []) for host in hosts)
        ]
    context = {
        "participant": participant,
        "program": participant.program,
        "hosts": hosts,
        "fields": fields,
        "kept_until": visitor_details_retention_ends(program=participant.program),
        "link": personal_link(participant.access_token) + "visitor-details/",
    }
    subject, text, html = render_email("visitor_details_request", language, context)
    return RenderedMessage(subject=subject, text=text, html=html)
