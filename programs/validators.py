"""Field validators shared by every app that stores a time zone."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    """Accept only IANA time zone names that this machine's tz database knows."""
    if not value or value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known IANA time zone (e.g. Asia/Almaty)."), params={"value": value})
