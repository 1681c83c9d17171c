"""Done means: a partner app builds the whole demo program through the API alone, then reads
any participant's itinerary as JSON and as a calendar that a calendar app accepts."""

import icalendar
import pytest

from demo.data import load_demo
from itinerary.calendar import visit_uid
from participants.models import Participant
from programs.models import Program
from visits.models import HostOrganisation, SiteVisit

pytestmark = pytest.mark.django_db

PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "phone",
    "position",
    "organisation",
    "region",
    "language",
)


def demo_as_plain_data() -> dict:
    """The demo program as a partner app would hold it in its own system: plain values, names not ids."""
    program, _ = load_demo(scale=1)
    hosts = {host.pk: host for host in HostOrganisation.objects.prefetch_related("contacts")}
    data = {
        "program": {
            "slug": "astana-2026-from-partner",
            "title": program.title,
            "description": program.description,
            "host_institution": program.host_institution,
            "city": program.city,
            "timezone": program.timezone,
            "start_date": program.start_date.isoformat(),
            "end_date": program.end_date.isoformat(),
            "status": program.status,
            "topics": [topic.name for topic in program.topics.all()],
        },
        "groups": [{"name": g.name, "theme": g.theme} for g in program.groups.order_by("pk")],
        "participants": [
            {**{f: getattr(p, f) for f in PARTICIPANT_FIELDS}, "group": p.group.name}
            for p in program.participants.select_related("group").order_by("pk")
        ],
        "hosts": [
            {
                "name": h.name,
                "kind": h.kind,
                "address": h.address,
                "city": h.city,
                "website": h.website,
                "latitude": float(h.latitude),
                "longitude": float(h.longitude),
                "contacts": [
                    {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in h.contacts.all()
                ],
            }
            for h in hosts.values()
        ],
        "visits": [
            {
                "title": v.title,
                "kind": v.kind,
                "host": v.host.name if v.host_id else None,
                "starts_at": v.starts_at.astimezone(program.tzinfo).isoformat(),
                "ends_at": v.ends_at.astimezone(program.tzinfo).isoformat(),
                "location": v.location,
                "meeting_point": v.meeting_point,
                "agenda": v.agenda,
                "status": v.status,
                "capacity": v.capacity,
                "groups": sorted(g.name for g in v.groups.all()),
            }
            for v in program.visits.select_related("host").prefetch_related("groups").order_by("starts_at", "pk")
        ],
    }
    # Start from an empty portal: the partner's data is all there is.
    program.delete()
    HostOrganisation.objects.all().delete()
    return data


def created(response, code=201) -> dict:
    assert response.status_code == code, response.content[:500]
    return response.json()


def test_partner_builds_the_demo_program_and_reads_itineraries_as_json_and_icalendar(api):
    demo = demo_as_plain_data()
    assert not Program.objects.exists()

    # Build it: program, hosts, groups, participants, visits — the API alone.
    program = created(api.post("/api/v1/programs/", demo["program"], format="json"))
    base = f"/api/v1/programs/{program['slug']}"
    host_ids = {h["name"]: created(api.post("/api/v1/hosts/", h, format="json"))["id"] for h in demo["hosts"]}
    group_ids = {g["name"]: created(api.post(f"{base}/groups/", g, format="json"))["id"] for g in demo["groups"]}
    for person in demo["participants"]:
        created(api.post(f"{base}/participants/", {**person, "group": group_ids[person["group"]]}, format="json"))
    visit_ids = []
    for visit in demo["visits"]:
        body = {
            **visit,
            "host": host_ids[visit["host"]] if visit["host"] else None,
            "groups": [group_ids[name] for name in visit["groups"]],
        }
        visit_ids.append(created(api.post(f"{base}/visits/", body, format="json"))["id"])

    # Everything is there, as the partner sent it.
    assert program["topics"] == sorted(demo["program"]["topics"])
    assert api.get(f"{base}/groups/").json()["count"] == 8
    assert api.get(f"{base}/participants/").json()["count"] == len(demo["participants"]) == 96
    assert api.get(f"{base}/visits/?page_size=500").json()["count"] == len(demo["visits"])
    assert api.get("/api/v1/hosts/").json()["count"] == len(demo["hosts"])
    listed = api.get(f"{base}/visits/?page_size=500").json()["results"]
    assert [(v["title"], v["starts_at"], v["ends_at"]) for v in listed] == [
        (v["title"], v["starts_at"], v["ends_at"]) for v in demo["visits"]
    ]

    # Andrey Antonov's itinerary as JSON.
    andrey = Participant.objects.get(program__slug=program["slug"], email__startswith="andrey.antonov.")
    group_name = next(name for name, pk in group_ids.items() if pk == andrey.group_id)
    his_visits = [v for v in demo["visits"] if group_name in v["groups"]]
    itinerary = api.get(f"{base}/participants/{andrey.pk}/itinerary/").json()
    items = [item for day in itinerary["days"] for item in day["items"]]
    assert [(i["title"], i["starts_at"]) for i in items] == [(v["title"], v["starts_at"]) for v in his_visits]
    assert [day["date"] for day in itinerary["days"]] == sorted({v["starts_at"][:10] for v in his_visits})

    # … and as a calendar a calendar app accepts.
    def calendar():
        response = api.get(f"{base}/participants/{andrey.pk}/itinerary.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        return icalendar.Calendar.from_ical(response.content)

    before = calendar()
    events = {str(e["UID"]): e for e in before.walk("VEVENT")}
    assert len(events) == len(his_visits)
    assert [tz["TZID"] for tz in before.walk("VTIMEZONE")] == ["Asia/Almaty"]
    first = before.walk("VEVENT")[0]
    assert first["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert first.decoded("DTSTART").isoformat() == his_visits[0]["starts_at"]
    assert str(first["SUMMARY"]) == his_visits[0]["title"]

    # Move one of his visits, cancel another: same UIDs, SEQUENCE grows, STATUS:CANCELLED.
    his_ids = [visit_ids[demo["visits"].index(v)] for v in his_visits]
    moved, cancelled = SiteVisit.objects.get(pk=his_ids[-2]), SiteVisit.objects.get(pk=his_ids[-1])
    new_end = moved.ends_at.astimezone(moved.program.tzinfo).replace(minute=45).isoformat()
    created(api.patch(f"{base}/visits/{moved.pk}/", {"ends_at": new_end}, format="json"), 200)
    created(api.delete(f"{base}/visits/{cancelled.pk}/"), 200)

    after = calendar()
    events_after = {str(e["UID"]): e for e in after.walk("VEVENT")}
    assert events_after.keys() == events.keys()
    moved_uid, cancelled_uid = visit_uid(moved.pk), visit_uid(cancelled.pk)
    for uid, event in events_after.items():
        old = events[uid]
        if uid == moved_uid:
            assert int(event["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
            assert event.decoded("DTEND").isoformat() == new_end
            assert event.decoded("DTEND") != old.decoded("DTEND")
        elif uid == cancelled_uid:
            assert int(event["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
            assert str(event["STATUS"]) == "CANCELLED"
            assert str(old["STATUS"]) != "CANCELLED"
        else:
            assert int(event["SEQUENCE"]) == int(old["SEQUENCE"])
            assert str(event["STATUS"]) != "CANCELLED"
    assert sum(str(e["STATUS"]) == "CANCELLED" for e in after.walk("VEVENT")) == 1
