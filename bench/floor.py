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

from internship_portal.api.translations import request_asked_language, request_language

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

# The fallbacks of a translated text (internship_portal.translated, MODELTRANSLATION_FALLBACK_LANGUAGES):
# the reader's language first, then its chain; "" when no language has it.
FALLBACKS = {"en": ("en", "ru", "kk"), "ru": ("ru", "en"), "kk": ("kk", "ru", "en")}
LANGUAGES = ("en", "ru", "kk")


def _tr(column: str, language: str = "%(lang)s") -> str:
    """SQL for the text of `column` (e.g. `v.title`) in the language `language` (SQL), with its fallbacks."""
    cases = []
    for lang, chain in FALLBACKS.items():
        texts = ", ".join(f"NULLIF({column}_{each}, '')" for each in chain)
        cases.append(f"WHEN '{lang}' THEN COALESCE({texts}, '')")
    return f"(CASE {language} {' '.join(cases)} END)"


def _i18n(column: str) -> str:
    """SQL for `{"en": …, "ru": …, "kk": …}` of `column` (a missing translation is "")."""
    return "json_build_object(" + ", ".join(f"'{lang}', COALESCE({column}_{lang}, '')" for lang in LANGUAGES) + ")"


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
  SELECT vis.id, 1, __GNAME__, o.visit_id,
         json_build_object('code', 'tight_connection', 'message',
           format('Group “%%s” has only %%s minutes to travel between this visit and “%%s”.', __GNAME__,
                  floor(extract(epoch FROM CASE WHEN o.starts_at >= vis.ends_at THEN o.starts_at - vis.ends_at
                                                  ELSE vis.starts_at - o.ends_at END) / 60)::int, __OHNAME__))
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
""".replace("__GNAME__", _tr("g.name")).replace("__OHNAME__", _tr("oh.name"))


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
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN date_part('microseconds', {column})::int %% 1000000 <> 0 THEN to_char({local}, '.US') "
        "ELSE '' END "
        f"|| CASE WHEN {offset} >= interval '0' "
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
         -- the language asked for, else the participant's (itinerary.api.views)
         COALESCE(%(lang)s, CASE WHEN pa.language IN ('en', 'ru', 'kk') THEN pa.language ELSE 'en' END) AS lang,
         pr.id AS program_id, pr.slug, pr.timezone, pr.start_date, pr.end_date, pr.status,
         pr.certificate_min_attendance,
         pr.title_en, pr.title_ru, pr.title_kk, pr.description_en, pr.description_ru, pr.description_kk,
         pr.host_institution_en, pr.host_institution_ru, pr.host_institution_kk,
         pr.city_en, pr.city_ru, pr.city_kk
  FROM participants_participant pa
  JOIN programs_program pr ON pr.id = pa.program_id
  WHERE pa.id = %(participant_id)s AND pr.slug = %(slug)s AND EXISTS (SELECT 1 FROM client)
),
items AS (
  SELECT v.id, v.starts_at, (v.starts_at AT TIME ZONE p.timezone)::date AS day,
         json_build_object(
           'visit', v.id, 'title', __V_TITLE__, 'kind', v.kind,
           'host', CASE WHEN h.id IS NULL THEN NULL
                        ELSE json_build_object('id', h.id, 'name', __H_NAME__, 'address', __H_ADDRESS__) END,
           'starts_at', __STARTS__, 'ends_at', __ENDS__,
           'location', CASE WHEN __V_LOCATION__ <> '' THEN __V_LOCATION__
                            WHEN h.id IS NULL THEN '' ELSE __H_ADDRESS__ END,
           'meeting_point', __V_MEETING__, 'status', v.status) AS item
  FROM p
  JOIN visits_visitgroup b ON b.group_id = p.group_id
  JOIN visits_sitevisit v ON v.id = b.visit_id
  LEFT JOIN visits_hostorganisation h ON h.id = v.host_id
),
-- the attendance summary (outcomes.selectors.attendance_summaries): the group's non-cancelled visits
att AS (
  SELECT count(*) AS visits,
         count(*) FILTER (WHERE a.present) AS present,
         count(*) FILTER (WHERE NOT a.present) AS absent,
         COALESCE(sum(extract(epoch FROM b.ends_at - b.starts_at)::int) FILTER (WHERE a.present), 0) AS seconds
  FROM p
  JOIN visits_visitgroup b ON b.group_id = p.group_id AND NOT b.is_cancelled
  LEFT JOIN outcomes_attendance a ON a.visit_id = b.visit_id AND a.participant_id = p.id
)
SELECT json_build_object(
  'participant', json_build_object(
    'id', p.id, 'first_name', p.first_name, 'last_name', p.last_name, 'patronymic', p.patronymic,
    'email', p.email, 'phone', p.phone, 'position', p.position, 'organisation', p.organisation,
    'region', p.region, 'language', p.language, 'group', p.group_id,
    'itinerary_url', %(site)s || '/i/' || p.access_token || '/',
    'calendar_url', %(site)s || '/i/' || p.access_token || '.ics',
    'attendance', json_build_object(
      'visits', att.visits, 'present', att.present, 'absent', att.absent,
      -- Python's round(): halves to even
      'percent', CASE WHEN att.visits = 0 THEN NULL
                      ELSE least(100, (100 * att.present) / att.visits
                           + CASE WHEN 2 * ((100 * att.present) %% att.visits) > att.visits THEN 1
                                  WHEN 2 * ((100 * att.present) %% att.visits) = att.visits
                                  THEN ((100 * att.present) / att.visits) %% 2 ELSE 0 END) END,
      'hours', (att.seconds / 900)::float8 / 4)),
  'program', json_build_object(
    'slug', p.slug, 'title', __P_TITLE__, 'title_i18n', __P_TITLE_I18N__,
    'description', __P_DESCRIPTION__, 'description_i18n', __P_DESCRIPTION_I18N__,
    'host_institution', __P_HOST_INSTITUTION__, 'host_institution_i18n', __P_HOST_INSTITUTION_I18N__,
    'city', __P_CITY__, 'city_i18n', __P_CITY_I18N__, 'timezone', p.timezone,
    'start_date', p.start_date, 'end_date', p.end_date, 'status', p.status,
    'certificate_min_attendance', p.certificate_min_attendance,
    'topics', COALESCE((SELECT json_agg(t.name ORDER BY t.name) FROM programs_program_topics pt
                        JOIN programs_topic t ON t.id = pt.topic_id WHERE pt.program_id = p.program_id),
                       '[]'::json)),
  'timezone', p.timezone,
  'days', COALESCE((SELECT json_agg(json_build_object('date', d.day, 'items', d.items) ORDER BY d.day)
                    FROM (SELECT day, json_agg(item ORDER BY starts_at, id) AS items FROM items GROUP BY day) d),
                   '[]'::json)
)::text
FROM p CROSS JOIN att
"""
    )
    .replace("__STARTS__", _iso("p.timezone", "v.starts_at"))
    .replace("__ENDS__", _iso("p.timezone", "v.ends_at"))
    .replace("__V_TITLE__", _tr("v.title", "p.lang"))
    .replace("__V_LOCATION__", _tr("v.location", "p.lang"))
    .replace("__V_MEETING__", _tr("v.meeting_point", "p.lang"))
    .replace("__H_NAME__", _tr("h.name", "p.lang"))
    .replace("__H_ADDRESS__", _tr("h.address", "p.lang"))
)
for _name in ("title", "description", "host_institution", "city"):
    ITINERARY_JSON_SQL = ITINERARY_JSON_SQL.replace(f"__P_{_name.upper()}_I18N__", _i18n(f"p.{_name}")).replace(
        f"__P_{_name.upper()}__", _tr(f"p.{_name}", "p.lang")
    )


def api_itinerary(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    """A participant's itinerary as the API's JSON, built by PostgreSQL in one query (token check included)."""
    token_hash = _bearer_hash(request)
    if token_hash is None:
        return _unauthorised()
    params = {
        "token_hash": token_hash,
        "slug": slug,
        "participant_id": participant_id,
        "site": settings.SITE_URL,
        "lang": request_asked_language(request),
    }
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
         'id', vis.id, 'title', __TITLE__, 'title_i18n', __TITLE_I18N__, 'kind', vis.kind, 'host', vis.host_id,
         'starts_at', __STARTS__, 'ends_at', __ENDS__,
         'location', __LOCATION__, 'location_i18n', __LOCATION_I18N__,
         'meeting_point', __MEETING_POINT__, 'meeting_point_i18n', __MEETING_POINT_I18N__,
         'agenda', __AGENDA__, 'agenda_i18n', __AGENDA_I18N__,
         'status', vis.status, 'capacity', vis.capacity,
         'groups', COALESCE((SELECT json_agg(b.group_id ORDER BY b.group_id) FROM visits_visitgroup b
                             WHERE b.visit_id = vis.id), '[]'::json),
         'warnings', COALESCE(warned.warnings, '[]'::json),
         'host_status', vis.host_status, 'host_note', vis.host_note,
         'host_proposed_starts_at', __PROPOSED_STARTS__, 'host_proposed_ends_at', __PROPOSED_ENDS__,
         'host_requested_at', __REQUESTED__, 'host_answered_at', __ANSWERED__
       ) ORDER BY vis.starts_at, vis.id), '[]'::json)::text,
       EXISTS (SELECT 1 FROM prog)
FROM vis LEFT JOIN warned ON warned.visit_id = vis.id
"""
    )
    .replace("__STARTS__", _iso("vis.tz", "vis.starts_at"))
    .replace("__ENDS__", _iso("vis.tz", "vis.ends_at"))
    .replace("__PROPOSED_STARTS__", _iso("vis.tz", "vis.host_proposed_starts_at"))
    .replace("__PROPOSED_ENDS__", _iso("vis.tz", "vis.host_proposed_ends_at"))
    .replace("__REQUESTED__", _iso("vis.tz", "vis.host_requested_at"))
    .replace("__ANSWERED__", _iso("vis.tz", "vis.host_answered_at"))
)
for _name in ("title", "location", "meeting_point", "agenda"):
    VISITS_JSON_SQL = VISITS_JSON_SQL.replace(f"__{_name.upper()}_I18N__", _i18n(f"vis.{_name}")).replace(
        f"__{_name.upper()}__", _tr(f"vis.{_name}")
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
    params = {
        "token_hash": token_hash,
        "slug": slug,
        "day": day,
        "size": size,
        "offset": (page - 1) * size,
        "lang": request_language(request),
    }
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
    AND v.starts_at >= (%(day)s::date::timestamp AT TIME ZONE prog.timezone)
),
"""  # noqa: S608 - SQL joined from constants; every value is a bound parameter
    + WARNINGS_SQL
    + """
SELECT prog.timezone,
       (SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name, g.id)
          FROM (SELECT g.id, __G_NAME__ AS name FROM participants_projectgroup g WHERE g.program_id = prog.id) g)::text,
       vis.id, __V_TITLE__, vis.kind, vis.status, vis.starts_at, vis.ends_at, __H_NAME__, warned.warnings::text,
       (SELECT array_agg(b.group_id ORDER BY b.group_id) FROM visits_visitgroup b WHERE b.visit_id = vis.id)
FROM prog
LEFT JOIN vis ON true
LEFT JOIN warned ON warned.visit_id = vis.id
LEFT JOIN visits_hostorganisation h ON h.id = vis.host_id
ORDER BY vis.starts_at, vis.id
""".replace("__G_NAME__", _tr("g.name"))
    .replace("__V_TITLE__", _tr("vis.title"))
    .replace("__H_NAME__", f"CASE WHEN h.id IS NULL THEN '' ELSE {_tr('h.name')} END")
)


def board_day(request: HttpRequest, slug: str, day: str) -> HttpResponse:
    """One day of the schedule board as HTML, drawn as the board draws it (visits.selectors.board_for_program):
    a column per group, each visit one block across each run of adjacent columns of its groups, placed by
    its local time in 08:00–20:00 widened to whole hours to fit, with host, status and soft warnings. The
    organiser check is the session's user (the two lookups every logged-in page makes) and a join in the one query."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponse("Log in first", status=302, headers={"Location": "/login/"})
    try:
        board_date = date.fromisoformat(day)
    except ValueError:
        return HttpResponse("Not a date", status=404, content_type="text/plain")
    params = {
        "slug": slug,
        "day": board_date,
        "user_id": user.pk,
        "superuser": user.is_superuser,
        "lang": request_language(request),
    }
    with connection.cursor() as cursor:
        cursor.execute(BOARD_SQL, params)
        rows = cursor.fetchall()
    if not rows:
        return _not_found()
    esc = html.escape
    tz = zoneinfo.ZoneInfo(rows[0][0])
    groups = orjson.loads(rows[0][1] or "[]")
    column_of = {group["id"]: index for index, group in enumerate(groups)}
    name_of = {group["id"]: group["name"] for group in groups}
    visits = []
    window_start, window_end = 8 * 60, 20 * 60
    for _tz, _groups, visit_id, title, kind, status, starts_at, ends_at, host_name, warnings, group_ids in rows:
        if visit_id is None or not group_ids:
            continue
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        start_min = start.hour * 60 + start.minute
        end_min = 24 * 60 if end.date() > start.date() else end.hour * 60 + end.minute
        window_start = min(window_start, start_min // 60 * 60)
        window_end = max(window_end, min(24 * 60, -(-end_min // 60) * 60))
        visits.append((visit_id, title, kind, status, start, end, start_min, end_min, host_name, warnings, group_ids))
    span = window_end - window_start
    width = 100 / max(len(groups), 1)
    out = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Board</title></head><body>'
        f'<h1>{board_date.isoformat()}</h1><div class="board">'
    ]
    out.extend(f'<h2 class="column" data-group="{group["id"]}">{esc(group["name"])}</h2>' for group in groups)
    for visit_id, title, kind, status, start, end, start_min, end_min, host_name, warnings, group_ids in visits:
        top = round((max(start_min, window_start) - window_start) * 100 / span, 3)
        height = round(max(min(end_min, window_end) - max(start_min, window_start), 1) * 100 / span, 3)
        messages = [warning["message"] for warning in orjson.loads(warnings)] if warnings else []
        names = ", ".join(esc(name_of[group_id]) for group_id in group_ids if group_id in name_of)
        runs: list[list[int]] = []
        for column in sorted(column_of[group_id] for group_id in group_ids if group_id in column_of):
            if runs and column == runs[-1][-1] + 1:
                runs[-1].append(column)
            else:
                runs.append([column])
        for run in runs:
            out.append(
                f'<a class="block {esc(kind)} {esc(status)}" data-visit="{visit_id}" '
                f'data-groups="{",".join(map(str, group_ids))}" data-column="{run[0]}" data-span="{len(run)}" '
                f'style="top:{top}%;height:{height}%;left:{run[0] * width:.3f}%;width:{len(run) * width:.3f}%" '
                f'href="/organiser/programs/{esc(slug)}/visits/{visit_id}/">'
                f"<time>{start:%H:%M}</time>–<time>{end:%H:%M}</time> {esc(title)} {esc(host_name)} ({names})"
                + "".join(f'<span class="warning">{esc(message)}</span>' for message in messages)
                + "</a>"
            )
    out.append("</div></body></html>")
    return HttpResponse("".join(out), content_type="text/html; charset=utf-8")
