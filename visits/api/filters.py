"""Filters of the visit list: group, host, status, host_status, local date, starts_after, ends_before.

`date` is a day in the program's own zone (a visit at 01:00 in Astana is on that
Astana day, whatever UTC says). `starts_after`/`ends_before` need an offset: a
naive time is refused with 400, like in the request bodies.
"""

from datetime import UTC, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from internship_portal.ids import MAX_ID
from visits.enums import HostStatus, VisitStatus
from visits.models import SiteVisit

# `?host_status=none`: visits never sent to their host (the stored value is "").
NEVER_ASKED = "none"


class AwareDateTimeFormField(forms.Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(
                _("Enter an ISO 8601 date and time with an offset, e.g. 2026-12-08T10:00+05:00.")
            )
        if timezone.is_naive(parsed):
            raise forms.ValidationError(_("Give the time zone offset; a naive time is ambiguous."))
        # In UTC from here on: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError(_("The date is out of range.")) from exc


class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField


class VisitFilter(django_filters.FilterSet):
    group = django_filters.NumberFilter(
        field_name="bookings__group_id", min_value=1, max_value=MAX_ID, label="Only visits of this group (id)."
    )
    host = django_filters.NumberFilter(
        field_name="host_id", min_value=1, max_value=MAX_ID, label="Only visits at this host (id)."
    )
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices)
    host_status = django_filters.ChoiceFilter(
        choices=[(NEVER_ASKED, NEVER_ASKED), *[(value, label) for value, label in HostStatus.choices if value]],
        method="filter_host_status",
        label='The host\'s answer: requested, confirmed, declined, proposed, or "none" (never asked).',
    )
    date = django_filters.DateFilter(method="filter_local_date", label="A day in the program's time zone.")
    starts_after = AwareDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label="Starts at or after (with offset)."
    )
    ends_before = AwareDateTimeFilter(field_name="ends_at", lookup_expr="lte", label="Ends at or before (with offset).")

    class Meta:
        model = SiteVisit
        fields = ("group", "host", "status", "host_status", "date", "starts_after", "ends_before")

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def is_valid(self) -> bool:
        # django-filter skips an empty parameter; the schema promises a value for each, so
        # `?status=` is refused (400 naming it) rather than read as "no filter".
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not str(self.data[name]).strip():
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
        return valid

    def filter_host_status(self, queryset, name, value):
        return queryset.filter(host_status="" if value == NEVER_ASKED else value)

    def filter_local_date(self, queryset, name, value):
        tz = self.program.tzinfo if self.program is not None else timezone.get_current_timezone()
        start = datetime.combine(value, time.min, tzinfo=tz)
        try:
            end = start + timedelta(days=1)
            start.astimezone(UTC), end.astimezone(UTC)
        except OverflowError:  # the first or last day a datetime can hold: no program runs there
            return queryset.none()
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)


class ProgramFilterBackend(DjangoFilterBackend):
    """Hands the view's program to the filterset, for the program's local dates."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["program"] = getattr(view, "program", None)
        return kwargs
