"""The proposer's reasons in words, in the active language.

A reason is stored as a code with parameters (planning.reasons) and the names it needs, so
that the API and the page say it in the reader's language: "AIFC has no window of 2 h on
8–10 December that Group 3 is free for"."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from internship_portal.dates import format_day


def duration_text(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


def dates_text(first: date, last: date) -> str:
    if first == last:
        return format_day(first, "day_month")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_day(last, 'day_month')}"
    return f"{format_day(first, 'day_month')} – {format_day(last, 'day_month')}"


def reason_text(reason: dict, *, start: date) -> str:
    """The sentence for a stored reason (`start`: the program's first day, day index 0)."""
    code = reason.get("code", "no_room")
    first = start + timedelta(days=int(reason.get("first_day", 0)))
    last = start + timedelta(days=int(reason.get("last_day", 0)))
    if last < first:
        last = first
    values = {
        "host": reason.get("host_name", ""),
        "duration": duration_text(reason.get("duration", 0)),
        "dates": dates_text(first, last),
        "groups": ", ".join(reason.get("group_names", [])),
    }
    if code == "no_window":
        return _("%(host)s has no window in this program.") % values
    if code == "no_window_in_dates":
        return _("%(host)s has no window of %(duration)s within the group's day on %(dates)s.") % values
    if code == "day_too_full":
        return _("%(group)s needs %(load)s of visits on %(dates)s, a day of %(day)s.") % {
            "group": reason.get("group_name", ""),
            "load": duration_text(reason.get("load", 0)),
            "dates": values["dates"],
            "day": duration_text(reason.get("day_length", 0)),
        }
    if code == "groups_busy":
        return _("%(host)s has no window of %(duration)s on %(dates)s that %(groups)s is free for.") % values
    if code == "host_full":
        return _("%(host)s is fully booked by other groups in every window of %(duration)s on %(dates)s.") % values
    if code == "per_day":
        return (
            _("%(groups)s already has the most visits a day allowed on every day %(host)s can receive (%(dates)s).")
            % values
        )
    if code == "lunch":
        return _("A visit of %(duration)s at %(host)s on %(dates)s would leave %(groups)s no lunch break.") % values
    if code == "travel":
        return _("%(groups)s cannot reach %(host)s and be back in time on %(dates)s.") % values
    if code == "not_chosen":
        return (
            _("There is room at %(host)s on %(dates)s, but not without leaving out a visit that ranks higher.") % values
        )
    return _("No room for %(duration)s at %(host)s on %(dates)s with the other visits of the proposal.") % values
