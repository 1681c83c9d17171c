"""Printable schedules for organisers: a group's and a participant's itinerary on paper."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from participants.models import Participant, ProjectGroup
from programs.views import organiser_required, program_for

from .selectors import group_schedule, participant_itinerary


@require_GET
@organiser_required
def print_group(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    program = program_for(request, slug)
    group = get_object_or_404(ProjectGroup, pk=group_id, program=program)
    group.program = program
    return render(
        request,
        "organiser/print_schedule.html",
        {"program": program, "heading": group.name, "subheading": group.theme, "days": group_schedule(group=group)},
    )


@require_GET
@organiser_required
def print_participant(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    program = program_for(request, slug)
    participant = get_object_or_404(Participant.objects.select_related("group"), pk=participant_id, program=program)
    participant.program = program
    itinerary = participant_itinerary(participant=participant)
    return render(
        request,
        "organiser/print_schedule.html",
        {
            "program": program,
            "heading": participant.full_name,
            "subheading": participant.group.name if participant.group else _("No group"),
            "days": itinerary.days,
        },
    )
