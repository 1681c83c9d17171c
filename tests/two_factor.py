"""Authenticator-app codes for the two-factor tests, computed from the enrolment's secret as the
organiser's phone does."""

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

STEP = 30  # seconds


def app_code(secret: str, *, step: int | None = None) -> str:
    """The code the app shows now, or in the given 30-second step."""
    totp = TOTP(b32decode(secret), step=STEP, t0=0, digits=6)
    totp.time = time.time() if step is None else step * STEP
    return f"{totp.token():06d}"


def next_code(secret: str, username: str) -> str:
    """The first code the portal takes after the last one used: the step after it.

    A used code's step cannot be used again, and django-otp keeps the phone's drift: an
    enrolment code read just before a 30-second boundary and checked just after sets a drift
    of -1, after which "the code of the next step from now" lies outside the one step of
    tolerance. The step after the last one used is always inside it."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return app_code(secret, step=device.last_t + 1)
