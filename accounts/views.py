"""Login (password, then a code for those with two-factor login), two-factor enrolment,
and password reset by e-mail with Django's own views, throttled, links built on SITE_URL.

Between the password and the code the user is not logged in: the session only holds
who passed the password (`PENDING`), for five minutes.
"""

import io
import math
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from internship_portal.throttling import client_ip
from itinerary.selectors import participations_of_user
from programs.selectors import user_is_organiser
from programs.views import organiser_required

from .forms import CodeForm, EnrolForm, OutboxPasswordResetForm
from .services import (
    password_reset_request_allowed,
    two_factor_confirm,
    two_factor_enrolled,
    two_factor_new_recovery_codes,
    two_factor_pending_device,
    two_factor_recovery_codes_left,
    two_factor_verify,
)

PENDING = "two_factor_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Django's login; a user with an authenticator app goes on to the code step."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    login_user = None

    def get_default_redirect_url(self) -> str:
        """Organisers go to their programs; a participant without organiser rights goes to
        their itinerary, where the organiser pages would only refuse them."""
        user = self.login_user or self.request.user
        if not user_is_organiser(user=user) and participations_of_user(user=user):
            return resolve_url("my-itinerary")
        return super().get_default_redirect_url()

    def form_valid(self, form) -> HttpResponse:
        user = self.login_user = form.get_user()
        if not two_factor_enrolled(user=user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("login-code")


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    user = None
    if pending and time.time() - pending["at"] < PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    credentials = {"username": user.get_username()}
    # Wrong codes count as failed logins: the same lockout as for passwords (django-axes).
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("This code is not right. Check the app for the Internship Portal and try again."))
    return render(request, "registration/login_code.html", {"form": form})


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _qr_svg(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 - our own SVG, drawn by qrcode from the device's URL


@never_cache  # the secret and the recovery codes stay out of every cache
@require_http_methods(["GET", "POST"])
@organiser_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app (a QR code and its secret, confirmed by a code), show
    the recovery codes once; when set up, the status and new recovery codes on request."""
    user = request.user
    next_url = _next_url(request)
    enrolled = two_factor_enrolled(user=user)
    if enrolled and request.method == "POST" and request.POST.get("action") == "recovery-codes":
        codes = two_factor_new_recovery_codes(user=user)
        return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": next_url})
    if enrolled and request.method == "GET" and not request.GET.get("new"):
        left = two_factor_recovery_codes_left(user=user)
        return render(request, "registration/two_factor_status.html", {"left": left, "next": next_url})
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = two_factor_confirm(user=user, code=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": next_url})
        form.add_error("code", _("This code is not right. Check that the phone's clock is set automatically."))
    device = two_factor_pending_device(user=user)
    secret = b32encode(device.bin_key).decode()  # what the app's "enter a key" asks for
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": next_url,
        "replacing": enrolled,
        "required": settings.ORGANISER_2FA_REQUIRED,
    }
    return render(request, "registration/two_factor.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form) -> HttpResponse:
        allowed, retry_after = password_reset_request_allowed(
            client_address=client_ip(self.request), email=form.cleaned_data["email"]
        )
        if not allowed:
            minutes = max(1, math.ceil(retry_after / 60))
            form.add_error(
                None,
                ngettext(
                    "Too many password reset requests. Try again in %(minutes)d minute.",
                    "Too many password reset requests. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(math.ceil(retry_after))
            return response
        # The e-mail (accounts.services.render_password_reset) links to the portal's public
        # address, not to whatever Host the request named.
        return super().form_valid(form)
