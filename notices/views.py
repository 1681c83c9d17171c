"""Organiser actions that send the schedule's messages: schedules to everyone, change notices."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs.views import organiser_required, program_for

from .services import change_notices_release, schedule_send


@require_POST
@organiser_required
def send_schedules(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    sendout = schedule_send(program=program, actor=request.user)
    messages.success(
        request,
        ngettext(
            "Schedules queued for %(count)d participant; progress below.",
            "Schedules queued for %(count)d participants; progress below.",
            sendout.queued_count,
        )
        % {"count": sendout.queued_count},
    )
    return redirect("program-dashboard", slug=program.slug)


@require_POST
@organiser_required
def notify_changes(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
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
    return redirect("program-dashboard", slug=program.slug)
