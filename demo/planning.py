"""The demo's inputs for the schedule proposer: when each host receives groups, and the visits
each group asks for, so that "Propose" on the seed program returns a full clash-free program.

The requests are the groups' site visits of the seed schedule (ten per group, seven of them
`must`): each request is linked to its visit, so a proposal moves those visits rather than
adding more, and the two further site visits of each group stay where they are. Hosts receive
from the second day to the day before the closing one, 09:30–18:00 (Saturdays 10:00–16:00,
Sundays closed); the universities, tech hubs and the special economic zone take two groups at
once. At a larger scale (the benchmark's ×10) every capacity is multiplied by the scale, as the
seed schedule sends that many more groups.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from planning.enums import Priority
from planning.services import request_create, request_link_visit, window_create
from programs.models import Program
from visits.enums import HostKind, VisitKind
from visits.models import SiteVisit

REQUESTS_PER_GROUP = 10
MUSTS_PER_GROUP = 7
TWO_AT_ONCE = {HostKind.UNIVERSITY, HostKind.TECH_HUB, HostKind.SEZ}


def load_planning(*, program: Program, scale: int = 1) -> None:
    tz = program.tzinfo
    visits = list(
        SiteVisit.objects.filter(program=program, kind=VisitKind.SITE_VISIT, host__isnull=False)
        .select_related("host")
        .prefetch_related("groups")
        .order_by("starts_at", "id")
    )
    hosts = {visit.host_id: visit.host for visit in visits}
    # The visit week: from the second day to the day before the closing one.
    days = [program.start_date + timedelta(days=n) for n in range(1, (program.end_date - program.start_date).days)]
    for host in sorted(hosts.values(), key=lambda host: host.name):
        capacity = (2 if host.kind in TWO_AT_ONCE else 1) * scale
        for day in days:
            if day.weekday() == 6:
                continue
            opens, closes = (time(10, 0), time(16, 0)) if day.weekday() == 5 else (time(9, 30), time(18, 0))
            window_create(
                program=program,
                host=host,
                starts_at=datetime.combine(day, opens, tzinfo=tz),
                ends_at=datetime.combine(day, closes, tzinfo=tz),
                capacity=capacity,
            )
    by_group = defaultdict(list)
    for visit in visits:
        groups = list(visit.groups.all())
        if len(groups) == 1:
            by_group[groups[0].pk].append((groups[0], visit))
    for rows in by_group.values():
        for number, (group, visit) in enumerate(rows[:REQUESTS_PER_GROUP]):
            request = request_create(
                program=program,
                groups=[group],
                host=visit.host,
                duration_minutes=int((visit.ends_at - visit.starts_at).total_seconds() // 60),
                priority=Priority.MUST if number < MUSTS_PER_GROUP else Priority.SHOULD,
                # No label of its own: the linked visit's title (in every language) names it.
            )
            request_link_visit(request=request, visit=visit)
