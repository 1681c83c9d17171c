"""The program's dashboard: the organiser's hub, composed from every app's reads.

It stands at the top of the layers (beside the URLs) because it shows what each
app holds: today's and tomorrow's visits and open warnings (visits), recent
send-outs (notifications), survey response rates (surveys) and the host answers still open (hosting).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.models import SendOut
from notifications.selectors import sendout_progress
from programs.models import Program
from programs.views import organiser_required, program_for
from surveys.selectors import surveys_of_program
from visits.selectors import program_dashboard, program_open_host_answers

RECENT_SENDOUTS = 5


def _sendouts(program: Program) -> list[dict]:
    """The program's last few send-outs with their progress: at most 1 + RECENT_SENDOUTS queries."""
    recent = SendOut.objects.filter(program=program).select_related("created_by")[:RECENT_SENDOUTS]
    return [{"sendout": sendout, **sendout_progress(sendout=sendout)} for sendout in recent]


def _survey_rates(program: Program) -> list:
    """Response rate per survey, in one query."""
    surveys = list(surveys_of_program(program=program))
    for survey in surveys:
        survey.rate = round(100 * survey.responded / survey.invited) if survey.invited else 0
    return surveys


@require_GET
@organiser_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for(request, slug)
    context = {
        "program": program,
        **program_dashboard(program=program),
        "can_send": True,
        "sendouts": _sendouts(program),
        "surveys": _survey_rates(program),
        # Visits at hosts not confirmed yet (never asked, awaiting, declined, proposed), oldest request first.
        "open_host_answers": program_open_host_answers(program=program),
    }
    return render(request, "organiser/dashboard.html", context)
