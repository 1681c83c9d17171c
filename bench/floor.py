"""The floor: bare views that answer the benchmarked questions the fastest honest way.

Each view runs one hand-written SQL query (plus, for organiser pages, the
session lookup that any logged-in page needs) and builds its answer without a
serializer, a template engine or an ORM model: JSON built by PostgreSQL
(`json_agg`) or by orjson, HTML and iCalendar joined from strings. The
benchmark reports every real endpoint as a ratio to its floor, measured in the
same gunicorn in the same run.

The floor must answer the *same* question as the real endpoint: the same
participant, visits, times, places, statuses, group names and soft warnings,
and the same access check (the personal token, the API token, the organiser).
tests/bench/test_floor.py compares each floor with its real endpoint.

Mounted at `/bench-floor/` only when the environment has `BENCH_FLOOR=1`
(internship_portal/urls.py); PostgreSQL only.
"""

from __future__ import annotations

import hashlib
import html
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import orjson
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext

# --- shared pieces of SQL -----------------------------------------------------------

# The participant behind a personal token and each of their group's visits,
# with the host and the names of every group on the visit. A participant
# without visits still yields one row (visit columns NULL), so "no such token"
# (no rows) and "empty itinerary" stay apart.
ITINERARY_SQL = """
WITH p AS (
  SELECT pa.id AS participant_id, pa.first_name, pa.patronymic, pa.last_name, pa.group_id,
         pr.slug, pr.title AS program_title, pr.timezone, pa.language
  FROM participants_participant pa
  JOIN programs_program pr ON pr.id = pa.program_id
  WHERE pa.access_token = %s
)
SELECT p.participant_id, p.first_name, p.patronymic, p.last_name, p.slug, p.program_title, p.timezone,
       v.id, v.title, v.kind, v.status, v.sequence, v.starts_at, v.ends_at, v.location, v.meeting_point,
       v.agenda, v.updated_at, h.name, h.address, h.latitude, h.longitude,
       (SELECT array_agg(g.name ORDER BY g.name, g.id)
          FROM visits_visitgroup b2 JOIN participants_projectgroup g ON g.id = b2.group_id
         WHERE b2.visit_id = v.id) AS group_names,
       p.language
FROM p
LEFT JOIN visits_visitgroup b ON b.group_id = p.group_id
LEFT JOIN visits_sitevisit v ON v.id = b.visit_id
LEFT JOIN visits_hostorganisation h ON h.id = v.host_id
ORDER BY v.starts_at, v.id
"""

ICAL_STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "cancelled": "CANCELLED"}


def _itinerary_rows(token: str) -> list[tuple]:
    if not token or len(token) > 64:
        return []
    with connection.cursor() as cursor:
        cursor.execute(ITINERARY_SQL, [token])
        return cursor.fetchall()


def _not_found() -> HttpResponse:
    return HttpResponse("Not found", status=404, content_type="text/plain")


# --- iCalendar ----------------------------------------------------------------------


def ical_escape(text: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def ical_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:  # continuation byte
            end -= 1
        parts.append(encoded[start:end].decode())
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def itinerary_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The itinerary feed: the same events as `/i/<token>.ics`, times in UTC (no VTIMEZONE needed)."""
    rows = _itinerary_rows(token)
    if not rows:
        return _not_found()
    first = rows[0]
    domain = urlsplit(settings.SITE_URL).hostname or "internship-portal"
    # The labels in the participant's language, as the real feed writes them.
    with translation.override(first[23]):
        meeting_label, host_label = gettext("Meeting point"), gettext("Host")
    page_url = request.build_absolute_uri(f"/i/{token}/")
    full_name = " ".join(part for part in first[1:4] if part)
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Internship Portal//Itinerary floor//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ical_escape(f"{first[5]} — {full_name}"),
        "X-WR-TIMEZONE:" + first[6],
    ]
    for row in rows:
        (visit_id, title, _kind, status, sequence, starts_at, ends_at, location, meeting_point, agenda, updated_at) = (
            row[7:18]
        )
        if visit_id is None:
            continue
        host_name, host_address, latitude, longitude = row[18:22]
        lines += [
            "BEGIN:VEVENT",
            f"UID:visit-{visit_id}@{domain}",
            f"SEQUENCE:{sequence}",
            f"DTSTAMP:{_utc(updated_at)}",
            f"LAST-MODIFIED:{_utc(updated_at)}",
            f"DTSTART:{_utc(starts_at)}",
            f"DTEND:{_utc(ends_at)}",
            "SUMMARY:" + ical_escape(title),
        ]
        where = location or host_address or ""
        if where:
            lines.append("LOCATION:" + ical_escape(where))
        description = []
        if meeting_point:
            description.append(f"{meeting_label}: {meeting_point}")
        if host_name:
            description.append(f"{host_label}: {host_name}")
        if agenda:
            description += ["", agenda]
        if description:
            lines.append("DESCRIPTION:" + ical_escape("\n".join(description)))
        lines += [f"URL:{page_url}", f"STATUS:{ICAL_STATUS[status]}"]
        if latitude is not None and longitude is not None:
            lines.append(f"GEO:{float(latitude)};{float(longitude)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    body = "\r\n".join(ical_fold(line) for line in lines) + "\r\n"
    return HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")


# --- the personal page ----------------------------------------------------------------


def itinerary_page(request: HttpRequest, token: str) -> HttpResponse:
    """The personal itinerary as HTML: days, and per visit its local times, title, host,
    address, meeting point, agenda, groups and status; strings joined by hand."""
    rows = _itinerary_rows(token)
    if not rows:
        return _not_found()
    first = rows[0]
    tz = zoneinfo.ZoneInfo(first[6])
    esc = html.escape
    full_name = " ".join(part for part in first[1:4] if part)
    out = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(first[5])}</title></head><body><main>"
        f"<h1>{esc(full_name)}</h1><p>{esc(first[5])}</p>"
        f'<p><a href="/i/{esc(token)}.ics">Add to calendar</a></p>'
    ]
    day = None
    for row in rows:
        visit_id, title, kind, status, _seq, starts_at, ends_at, location, meeting_point, agenda = row[7:17]
        if visit_id is None:
            continue
        host_name, host_address = row[18], row[19]
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        if start.date() != day:
            if day is not None:
                out.append("</ol></section>")
            day = start.date()
            out.append(f'<section><h2><time datetime="{day.isoformat()}">{day:%A %d %B %Y}</time></h2><ol>')
        out.append(
            f'<li class="visit {esc(kind)} {esc(status)}"><p><time>{start:%H:%M}</time>–<time>{end:%H:%M}</time> '
            f"<strong>{esc(title)}</strong> ({esc(status)})</p>"
        )
        if host_name:
            out.append(f"<p>{esc(host_name)}</p>")
        where = location or host_address or ""
        if where:
            out.append(f"<p>{esc(where)}</p>")
        if meeting_point:
            out.append(f"<p>Meeting point: {esc(meeting_point)}</p>")
        if agenda:
            out.append(f"<p>{esc(agenda)}</p>")
        if row[22]:
            out.append(f"<p>Groups: {esc(', '.join(row[22]))}</p>")
        out.append("</li>")
    if day is not None:
        out.append("</ol></section>")
    out.append("</main></body></html>")
    return HttpResponse("".join(out), content_type="text/html; charset=utf-8")


# --- soft warnings in SQL (visits list and board) --------------------------------------

# The same two warnings as visits.selectors.visits_warnings: a visit outside
# 08:00–20:00 local time, and a group left less than 30 minutes to travel to
# or from a visit at another host. `vis` is the CTE of the visits in question.
WARNINGS_SQL = """
warn AS (
  SELECT vis.id AS visit_id, 0 AS ord, NULL::text AS group_name, 0 AS other_id,
         json_build_object('code', 'outside_working_hours', 'message',
           format('The visit runs outside 08:00–20:00 local time (%%s–%%s).',
                  to_char(vis.starts_at AT TIME ZONE vis.tz, 'HH24:MI'),
                  to_char(vis.ends_at AT TIME ZONE vis.tz, 'HH24:MI'))) AS warning
  FROM vis
  WHERE vis.status <> 'cancelled'
    AND ((vis.starts_at AT TIME ZONE vis.tz)::time < '08:00'
         OR (vis.ends_at AT TIME ZONE vis.tz)::date <> (vis.starts_at AT TIME ZONE vis.tz)::date
         OR (vis.ends_at AT TIME ZONE vis.tz)::time > '20:00')
  UNION ALL
  SELECT vis.id, 1, g.name, o.visit_id,
         json_build_object('code', 'tight_connection', 'message',
           format('Group “%%s” has only %%s minutes to travel between this visit and “%%s”.', g.name,
                  floor(extract(epoch FROM CASE WHEN o.starts_at >= vis.ends_at THEN o.starts_at - vis.ends_at
                                                  ELSE vis.starts_at - o.ends_at END) / 60)::int, oh.name))
  FROM vis
  JOIN visits_visitgroup mine ON mine.visit_id = vis.id
  JOIN visits_visitgroup o ON o.group_id = mine.group_id AND o.visit_id <> vis.id AND NOT o.is_cancelled
       AND o.starts_at < vis.ends_at + interval '30 minutes' AND o.ends_at > vis.starts_at - interval '30 minutes'
       AND (o.starts_at >= vis.ends_at OR o.ends_at <= vis.starts_at)
  JOIN visits_sitevisit ov ON ov.id = o.visit_id
  JOIN visits_hostorganisation oh ON oh.id = ov.host_id
  JOIN participants_projectgroup g ON g.id = mine.group_id
  WHERE vis.status <> 'cancelled' AND vis.host_id IS NOT NULL AND ov.host_id <> vis.host_id
),
warned AS (
  SELECT visit_id, json_agg(warning ORDER BY ord, group_name, other_id) AS warnings FROM warn GROUP BY visit_id
)
"""


def _local_bounds(day: date, tz_name: str) -> tuple[datetime, datetime]:
    tz = zoneinfo.ZoneInfo(tz_name)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)


# --- the API: a participant's itinerary as JSON -----------------------------------------

# The API token's check (active client, read scope, every program or this one)
# sits in the same query as the data.
API_CLIENT_SQL = """
client AS (
  SELECT c.id FROM partners_apiclient c
  WHERE c.token_hash = %(token_hash)s AND c.is_active AND c.scopes::jsonb ? 'read'
    AND (NOT EXISTS (SELECT 1 FROM partners_apiclient_programs cp WHERE cp.apiclient_id = c.id)
         OR EXISTS (SELECT 1 FROM partners_apiclient_programs cp
                    JOIN programs_program pp ON pp.id = cp.program_id
                    WHERE cp.apiclient_id = c.id AND pp.slug = %(slug)s))
)
"""


def _bearer_hash(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme not in ("Bearer", "Token") or not token:
        return None
    return hashlib.sha256(token.strip().encode()).hexdigest()


def _iso(tz_expr: str, column: str) -> str:
    """SQL for `column` (timestamptz) as ISO 8601 in the zone `tz_expr`, with its offset."""
    local = f"({column} AT TIME ZONE {tz_expr})"
    offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    return (
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN {offset} >= interval '0' "
        f"THEN '+' || to_char({offset}, 'HH24:MI') ELSE '-' || to_char(-{offset}, 'HH24:MI') END"
    )


def _unauthorised() -> JsonResponse:
    return JsonResponse({"detail": "Authentication credentials were not provided or are not valid."}, status=401)


ITINERARY_JSON_SQL = (
    (
        "WITH "  # noqa: S608 - SQL joined from constants; every value is a bound parameter
        + API_CLIENT_SQL
        + """,
p AS (
  SELECT pa.id, pa.first_name, pa.last_name, pa.patronymic, pa.email, pa.phone, pa.position, pa.organisation,
         pa.region, pa.language, pa.group_id, pa.access_token,
         pr.id AS program_id, pr.slug, pr.title, pr.description, pr.host_institution, pr.city, pr.timezone,
         pr.start_date, pr.end_date, pr.status
  FROM participants_participant pa
  JOIN programs_program pr ON pr.id = pa.program_id
  WHERE pa.id = %(participant_id)s AND pr.slug = %(slug)s AND EXISTS (SELECT 1 FROM client)
),
items AS (
  SELECT v.id, v.starts_at, (v.starts_at AT TIME ZONE p.timezone)::date AS day,
         json_build_object(
           'visit', v.id, 'title', v.title, 'kind', v.kind,
           'host', CASE WHEN h.id IS NULL THEN NULL
                        ELSE json_build_object('id', h.id, 'name', h.name, 'address', h.address) END,
           'starts_at', __STARTS__, 'ends_at', __ENDS__,
           'location', CASE WHEN v.location <> '' THEN v.location ELSE COALESCE(h.address, '') END,
           'meeting_point', v.meeting_point, 'status', v.status) AS item
  FROM p
  JOIN visits_visitgroup b ON b.group_id = p.group_id
  JOIN visits_sitevisit v ON v.id = b.visit_id
  LEFT JOIN visits_hostorganisation h ON h.id = v.host_id
)
SELECT json_build_object(
  'participant', json_build_object(
    'id', p.id, 'first_name', p.first_name, 'last_name', p.last_name, 'patronymic', p.patronymic,
    'email', p.email, 'phone', p.phone, 'position', p.position, 'organisation', p.organisation,
    'region', p.region, 'language', p.language, 'group', p.group_id,
    'itinerary_url', %(site)s || '/i/' || p.access_token || '/',
    'calendar_url', %(site)s || '/i/' || p.access_token || '.ics'),
  'program', json_build_object(
    'slug', p.slug, 'title', p.title, 'description', p.description, 'host_institution', p.host_institution,
    'city', p.city, 'timezone', p.timezone, 'start_date', p.start_date, 'end_date', p.end_date,
    'status', p.status,
    'topics', COALESCE((SELECT json_agg(t.name ORDER BY t.name) FROM programs_program_topics pt
                        JOIN programs_topic t ON t.id = pt.topic_id WHERE pt.program_id = p.program_id),
                       '[]'::json)),
  'timezone', p.timezone,
  'days', COALESCE((SELECT json_agg(json_build_object('date', d.day, 'items', d.items) ORDER BY d.day)
                    FROM (SELECT day, json_agg(item ORDER BY starts_at, id) AS items FROM items GROUP BY day) d),
                   '[]'::json)
)::text
FROM p
"""
    )
    .replace("__STARTS__", _iso("p.timezone", "v.starts_at"))
    .replace("__ENDS__", _iso("p.timezone", "v.ends_at"))
)


def api_itinerary(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    """A participant's itinerary as the API's JSON, built by PostgreSQL in one query (token check included)."""
    token_hash = _bearer_hash(request)
    if token_hash is None:
        return _unauthorised()
    params = {"token_hash": token_hash, "slug": slug, "participant_id": participant_id, "site": settings.SITE_URL}
    with connection.cursor() as cursor:
        cursor.execute(ITINERARY_JSON_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"detail": "Not found."}, status=404)
    return HttpResponse(row[0], content_type="application/json")


VISITS_JSON_SQL = (
    (
        "WITH "  # noqa: S608 - SQL joined from constants; every value is a bound parameter
        + API_CLIENT_SQL
        + """,
prog AS (SELECT pr.id, pr.timezone FROM programs_program pr
         WHERE pr.slug = %(slug)s AND EXISTS (SELECT 1 FROM client)),
allv AS (SELECT v.id, v.starts_at FROM visits_sitevisit v JOIN prog ON v.program_id = prog.id
         WHERE v.starts_at >= (%(day)s::date::timestamp AT TIME ZONE prog.timezone)
           AND v.starts_at < ((%(day)s::date + 1)::timestamp AT TIME ZONE prog.timezone)),
vis AS (SELECT v.*, prog.timezone AS tz FROM visits_sitevisit v JOIN prog ON v.program_id = prog.id
        WHERE v.id IN (SELECT id FROM allv ORDER BY starts_at, id LIMIT %(size)s OFFSET %(offset)s)),
"""
        + WARNINGS_SQL
        + """
SELECT (SELECT count(*) FROM allv),
       COALESCE(json_agg(json_build_object(
         'id', vis.id, 'title', vis.title, 'kind', vis.kind, 'host', vis.host_id,
         'starts_at', __STARTS__, 'ends_at', __ENDS__,
         'location', vis.location, 'meeting_point', vis.meeting_point, 'agenda', vis.agenda,
         'status', vis.status, 'capacity', vis.capacity,
         'groups', COALESCE((SELECT json_agg(b.group_id ORDER BY b.group_id) FROM visits_visitgroup b
                             WHERE b.visit_id = vis.id), '[]'::json),
         'warnings', COALESCE(warned.warnings, '[]'::json)
       ) ORDER BY vis.starts_at, vis.id), '[]'::json)::text,
       EXISTS (SELECT 1 FROM prog)
FROM vis LEFT JOIN warned ON warned.visit_id = vis.id
"""
    )
    .replace("__STARTS__", _iso("vis.tz", "vis.starts_at"))
    .replace("__ENDS__", _iso("vis.tz", "vis.ends_at"))
)


def api_visits(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of the program's visits of one local day, as the API's JSON: PostgreSQL builds the results
    (soft warnings included) in one query that also checks the token."""
    token_hash = _bearer_hash(request)
    if token_hash is None:
        return _unauthorised()
    try:
        day = date.fromisoformat(request.GET["date"])
        size = int(request.GET.get("page_size", "50"))
        page = int(request.GET.get("page", "1"))
    except (KeyError, ValueError):
        return JsonResponse({"detail": "date (YYYY-MM-DD), page_size and page are required."}, status=400)
    if not 1 <= size <= 500 or page < 1:
        return JsonResponse({"detail": "page_size must be 1–500, page at least 1."}, status=400)
    params = {"token_hash": token_hash, "slug": slug, "day": day, "size": size, "offset": (page - 1) * size}
    with connection.cursor() as cursor:
        cursor.execute(VISITS_JSON_SQL, params)
        row = cursor.fetchone()
    if row is None or not row[2]:
        return JsonResponse({"detail": "Not found."}, status=404)
    count, results = row[0], row[1]
    base = request.build_absolute_uri(request.path)

    def link(number: int) -> str:
        # As DRF's pagination builds it: the query's keys sorted, no `page` for the first page.
        query = {key: request.GET.getlist(key) for key in request.GET}
        if number == 1:
            query.pop("page", None)
        else:
            query["page"] = [str(number)]
        encoded = urlencode(sorted(query.items()), doseq=True)
        return orjson.dumps(base + ("?" + encoded if encoded else "")).decode()

    next_link = link(page + 1) if page * size < count else "null"
    previous_link = link(page - 1) if page > 1 else "null"
    body = f'{{"count":{count},"next":{next_link},"previous":{previous_link},"results":{results}}}'
    return HttpResponse(body, content_type="application/json")


# --- the schedule board, one day -------------------------------------------------------

BOARD_SQL = (
    """
WITH prog AS (
  SELECT pr.id, pr.timezone FROM programs_program pr
  WHERE pr.slug = %(slug)s
    AND (%(superuser)s OR EXISTS (SELECT 1 FROM programs_program_organisers o
                                  WHERE o.program_id = pr.id AND o.user_id = %(user_id)s))
),
vis AS (
  SELECT v.*, prog.timezone AS tz FROM visits_sitevisit v JOIN prog ON v.program_id = prog.id
  WHERE v.starts_at < ((%(day)s::date + 1)::timestamp AT TIME ZONE prog.timezone)
    AND v.ends_at > (%(day)s::date::timestamp AT TIME ZONE prog.timezone)
),
"""  # noqa: S608 - SQL joined from constants; every value is a bound parameter
    + WARNINGS_SQL
    + """
SELECT g.id, g.name, vis.id, vis.title, vis.kind, vis.status, vis.starts_at, vis.ends_at, h.name, prog.timezone,
       warned.warnings::text
FROM prog
JOIN participants_projectgroup g ON g.program_id = prog.id
LEFT JOIN visits_visitgroup b ON b.group_id = g.id AND b.visit_id IN (SELECT id FROM vis)
LEFT JOIN vis ON vis.id = b.visit_id
LEFT JOIN warned ON warned.visit_id = vis.id
LEFT JOIN visits_hostorganisation h ON h.id = vis.host_id
ORDER BY g.name, g.id, vis.starts_at, vis.id
"""
)


def board_day(request: HttpRequest, slug: str, day: str) -> HttpResponse:
    """One day of the schedule board as HTML: a column per group, each visit a block placed by its
    local time (08:00–20:00), with host, status and soft warnings. The organiser check is the
    session's user (the two lookups every logged-in page makes) and a join in the one query."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponse("Log in first", status=302, headers={"Location": "/login/"})
    try:
        board_date = date.fromisoformat(day)
    except ValueError:
        return HttpResponse("Not a date", status=404, content_type="text/plain")
    params = {"slug": slug, "day": board_date, "user_id": user.pk, "superuser": user.is_superuser}
    with connection.cursor() as cursor:
        cursor.execute(BOARD_SQL, params)
        rows = cursor.fetchall()
    if not rows:
        return _not_found()
    esc = html.escape
    tz = zoneinfo.ZoneInfo(rows[0][9])
    window_start, window_end = 8 * 60, 20 * 60
    span = window_end - window_start
    out = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Board</title></head><body>'
        f'<h1>{board_date.isoformat()}</h1><div class="board">'
    ]
    current = None
    for group_id, group_name, visit_id, title, kind, status, starts_at, ends_at, host_name, _tz, warnings in rows:
        if group_id != current:
            if current is not None:
                out.append("</ol></section>")
            current = group_id
            out.append(f'<section class="column" data-group="{group_id}"><h2>{esc(group_name)}</h2><ol>')
        if visit_id is None:
            continue
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        start_min = max(start.hour * 60 + start.minute, window_start)
        end_min = min(end.hour * 60 + end.minute if end.date() == start.date() else 24 * 60, window_end)
        top = round((start_min - window_start) * 100 / span, 3)
        height = round(max(end_min - start_min, 1) * 100 / span, 3)
        out.append(
            f'<li class="block {esc(kind)} {esc(status)}" data-visit="{visit_id}" style="top:{top}%;height:{height}%">'
            f'<a href="/organiser/programs/{esc(slug)}/visits/{visit_id}/">{esc(title)}</a> '
            f"<time>{start:%H:%M}</time>–<time>{end:%H:%M}</time> {esc(host_name or '')}"
        )
        if warnings:
            for warning in orjson.loads(warnings):
                out.append(f'<p class="warning">{esc(warning["message"])}</p>')
        out.append("</li>")
    if current is not None:
        out.append("</ol></section>")
    out.append("</div></body></html>")
    return HttpResponse("".join(out), content_type="text/html; charset=utf-8")
