"""The rules of organisers' accounts: how often a password reset may be asked for, its e-mail
(through the outbox, like every message), and two-factor login (a TOTP authenticator app with
recovery codes, django-otp's devices)."""

import hashlib
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from internship_portal.cache import count_in_window
from notifications.registry import PermanentFailure, RenderedMessage
from notifications.services import OutgoingMessage, notification_enqueue

RESET_WINDOW_SECONDS = 3600
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


def password_reset_request_allowed(*, client_address: str | None, email: str) -> tuple[bool, float]:
    """Count one password-reset request against two budgets, the client's address and the
    e-mail address asked for (`PASSWORD_RESET_LIMIT` an hour each), and say whether it may
    go ahead, with the seconds until the fuller budget opens again.

    Per address, one client cannot mail many people; per e-mail, many clients cannot
    flood one person. Counted in the cache (nothing is counted while Redis is down)."""
    limit = settings.PASSWORD_RESET_LIMIT
    allowed, retry_after = True, 0.0
    for scope, ident in (("addr", client_address or "unknown"), ("email", email.strip().lower())):
        digest = hashlib.sha256(ident.encode()).hexdigest()  # no address in the cache's key names
        count, left = count_in_window(cache, f"password-reset:{scope}:{digest}", RESET_WINDOW_SECONDS)
        if count > limit:
            allowed, retry_after = False, max(retry_after, left)
    return allowed, retry_after


RESET_EMAIL_KIND = "password_reset"


def password_reset_send(*, user: AbstractBaseUser, language: str) -> None:
    """Queue the password-reset e-mail in the outbox. The row holds only whom it is for: the
    link's token is made when the message is rendered (`render_password_reset`), so no working
    token is ever stored."""
    notification_enqueue(
        messages=[
            OutgoingMessage(
                kind=RESET_EMAIL_KIND,
                recipient_email=user.email,
                recipient_name=user.get_full_name() or user.get_username(),
                language=language,
                payload={"user_id": user.pk},
                idempotency_key=f"password-reset:{user.pk}:{uuid.uuid4().hex}",
            )
        ]
    )


def render_password_reset(payload: dict, language: str) -> RenderedMessage:
    """The reset e-mail with a fresh link to the portal's public address (SITE_URL)."""
    user = get_user_model().objects.filter(pk=payload.get("user_id"), is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        raise PermanentFailure("the account is gone, inactive or cannot log in with a password")
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = render_to_string("registration/password_reset_subject.txt", context)
        text = render_to_string("registration/password_reset_email.txt", context)
    return RenderedMessage(subject=" ".join(subject.split()), text=text.strip() + "\n")


def two_factor_enrolled(*, user: AbstractBaseUser) -> bool:
    """Whether the user has a confirmed authenticator app (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def two_factor_pending_device(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator the user is setting up: its secret stays the same until it is
    confirmed, so reloading the page does not invalidate the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: AbstractBaseUser, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code it shows, and give the user fresh
    recovery codes (any earlier app and codes are removed). None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, two_factor_new_recovery_codes(user=user)


@transaction.atomic
def two_factor_new_recovery_codes(*, user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with `RECOVERY_CODE_COUNT` new ones, each good once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


def two_factor_recovery_codes_left(*, user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_verify(*, user: AbstractBaseUser, code: str) -> Device | None:
    """The device (authenticator or recovery codes) that accepts this code, or None.

    A TOTP code is refused again once used, a recovery code is used up; each wrong
    code makes django-otp wait longer before it checks the next (1 s, doubling)."""
    code = code.strip().replace(" ", "").lower()
    if not code:
        return None
    # Six digits come from the app, anything else is a recovery code: a code is checked
    # against one kind only, so a recovery code does not count as the app's wrong code.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in kind.objects.filter(user=user, confirmed=True):
        if verify_token(user, device.persistent_id, code) is not None:
            return device
    return None
