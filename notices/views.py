"""The organiser's send-outs: schedules and change notices, previewed and confirmed before
anything is queued, and each send-out's progress while it runs.

A schedule send-out goes to everyone, to those not yet sent theirs, or to the
participants chosen (on the participant list or a participant's page). The
confirmation page says how many get it, shows the e-mail exactly as one chosen
recipient would get it (the outbox's own renderer, in their language), and
only its POST queues anything.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from internship_portal.ids import id_from_text
from notifications.selectors import sendout_messages
from participants.models import Participant
from programs.views import organiser_required, program_for

from .selectors import (
    CHOSEN,
    EVERYONE,
    NOT_YET_SENT,
    change_notice_audience,
    schedule_audience,
    sendout_of_program,
    sendouts_of_program,
)
from .services import change_notice_preview, change_notices_release, schedule_preview, schedule_send

RECENT_SENDOUTS = 20


def _ids(values: list[str]) -> list[int]:
    """Participant ids from the query or form (64-bit, as the database's); anything else is a page
    that does not exist."""
    ids = [id_from_text(value) for value in values if value.strip()]
    if None in ids:
        raise Http404(_("Participants are chosen by their numbers."))
    return sorted(set(ids))


def _preview_of(people: list[Participant], raw: str) -> Participant | None:
    """The recipient picked for the preview (the first one by default); 404 for anyone else."""
    if not people:
        return None
    if not raw:
        return people[0]
    chosen = next((person for person in people if str(person.pk) == raw), None)
    if chosen is None:
        raise Http404(_("The participant to preview is not among the recipients."))
    return chosen


@require_GET
@organiser_required
def sendouts(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a send-out, and see those so far with their progress."""
    program = program_for(request, slug)
    context = {
        "program": program,
        "sendouts": list(sendouts_of_program(program=program)[:RECENT_SENDOUTS]),
        "changes_pending": len(change_notice_audience(program=program).recipients),
        "everyone": EVERYONE,
        "not_yet_sent": NOT_YET_SENT,
    }
    return render(request, "organiser/sendouts.html", context)


def _schedule_page(request: HttpRequest, program, data: Any, *, status: int = 200, stale: int | None = None):
    who = data.get("who", EVERYONE)
    ids = _ids(data.getlist("participants"))
    try:
        audience = schedule_audience(program=program, who=who, participant_ids=ids)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        target = "participants:list" if who == CHOSEN else "notices:sendouts"
        return redirect(target, slug=program.slug)
    if audience.missing:
        raise Http404(_("Not every participant chosen is a participant of this program."))
    preview_person = _preview_of(audience.recipients, data.get("preview", ""))
    context = {
        "program": program,
        "audience": audience,
        "preview_person": preview_person,
        "preview": schedule_preview(participant=preview_person) if preview_person else None,
        "stale": stale,
        "kind_title": _("Schedules"),
    }
    return render(request, "organiser/sendout_schedules.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organiser_required
def send_schedules(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: who gets their schedule, and the e-mail as one of them gets it. POST: queue them."""
    program = program_for(request, slug)
    if request.method == "GET":
        return _schedule_page(request, program, request.GET)
    who = request.POST.get("who", "")
    ids = _ids(request.POST.getlist("participants"))
    if request.POST.get("step") == "choose":
        # The participant list's ticks, posted with its form: on to the confirmation page.
        if not ids:
            messages.error(request, _("Select at least one participant."))
            return redirect("participants:list", slug=program.slug)
        query = urlencode({"who": CHOSEN, "participants": ids}, doseq=True)
        return redirect(f"{reverse('notices:send_schedules', kwargs={'slug': program.slug})}?{query}")
    try:
        audience = schedule_audience(program=program, who=who, participant_ids=ids)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("participants:list" if who == CHOSEN else "notices:sendouts", slug=program.slug)
    if audience.missing:
        raise Http404(_("Not every participant chosen is a participant of this program."))
    expected = request.POST.get("expected", "")
    if expected != str(len(audience.recipients)):
        # Someone was added, sent or removed since the confirmation was shown: confirm again.
        return _schedule_page(request, program, request.POST, status=409, stale=len(audience.recipients))
    if not audience.recipients:
        messages.info(request, _("Nobody to send to: everyone chosen has been sent their schedule or has no e-mail."))
        return redirect("notices:sendouts", slug=program.slug)
    participant_ids = None if who == EVERYONE else [person.pk for person in audience.recipients]
    sendout = schedule_send(program=program, participant_ids=participant_ids, actor=request.user)
    messages.success(
        request,
        ngettext(
            "Schedules queued for %(count)d participant; progress below.",
            "Schedules queued for %(count)d participants; progress below.",
            sendout.queued_count,
        )
        % {"count": sendout.queued_count},
    )
    return redirect("notices:sendout", slug=program.slug, sendout_id=sendout.pk)


@require_http_methods(["GET", "POST"])
@organiser_required
def notify_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: who would get a change notice now, and one of them as they would get it. POST: send."""
    program = program_for(request, slug)
    if request.method == "POST":
        count = change_notices_release(program=program, actor=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "Change notices queued for %(count)d participant.",
                    "Change notices queued for %(count)d participants.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No participant's itinerary changed since they were last sent it."))
        return redirect("notices:sendouts", slug=program.slug)
    audience = change_notice_audience(program=program)
    preview_person = _preview_of(audience.recipients, request.GET.get("preview", ""))
    preview = None
    if preview_person is not None:
        preview = change_notice_preview(participant=preview_person, snapshots=audience.snapshots)
    context = {
        "program": program,
        "audience": audience,
        "preview_person": preview_person,
        "preview": preview,
        "changes": audience.changes.get(preview_person.pk, []) if preview_person else [],
    }
    return render(request, "organiser/sendout_changes.html", context)


def _progress(sendout) -> dict[str, Any]:
    return {
        "id": sendout.pk,
        "name": sendout.name,
        "total": sendout.progress_total,
        "queued": sendout.progress_queued,
        "sent": sendout.progress_sent,
        "failed": sendout.progress_failed,
        "done": sendout.progress_queued == 0,
        "text": _("%(sent)s of %(total)s sent, %(queued)s waiting, %(failed)s failed")
        % {
            "sent": sendout.progress_sent,
            "total": sendout.progress_total,
            "queued": sendout.progress_queued,
            "failed": sendout.progress_failed,
        },
    }


def _sendout_or_404(request: HttpRequest, slug: str, sendout_id: int):
    program = program_for(request, slug)
    sendout = sendout_of_program(program=program, pk=sendout_id)
    if sendout is None:
        raise Http404(_("No such send-out."))
    return program, sendout


@require_GET
@organiser_required
def sendout_detail(request: HttpRequest, slug: str, sendout_id: int) -> HttpResponse:
    """One send-out: its progress (refreshed while it runs) and each message's state."""
    program, sendout = _sendout_or_404(request, slug, sendout_id)
    context = {
        "program": program,
        "sendout": sendout,
        "progress": _progress(sendout),
        "rows": list(sendout_messages(sendout=sendout)),
        "progress_url": reverse("notices:sendout_progress", kwargs={"slug": program.slug, "sendout_id": sendout.pk}),
    }
    return render(request, "organiser/sendout_detail.html", context)


@require_GET
@organiser_required
def sendout_progress(request: HttpRequest, slug: str, sendout_id: int) -> JsonResponse:
    """A send-out's counts, polled by its page while messages are on their way."""
    _program, sendout = _sendout_or_404(request, slug, sendout_id)
    response = JsonResponse(_progress(sendout))
    response["Cache-Control"] = "no-store"
    return response
