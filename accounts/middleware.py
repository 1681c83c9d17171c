"""Two-factor login in front of the organiser pages, the admin and the session API.

For an organiser (or superuser) on those pages: a session verified by a code passes;
a session without a code whose user has an authenticator app (logged in before the
app was set up) is logged out, so it must log in with the code; a user without an app
passes, unless `ORGANISER_2FA_REQUIRED` sends them to set one up first.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from programs.selectors import user_is_organiser

from .services import two_factor_enrolled

PROTECTED = ("/organiser/", "/admin/", "/api/v1/", "/account/")


class OrganiserTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            path.startswith(PROTECTED)
            and DEVICE_ID_SESSION_KEY not in request.session
            and user_is_organiser(user=request.user)
        ):
            if two_factor_enrolled(user=request.user):
                logout(request)
                return redirect_to_login(request.get_full_path())
            enrol = reverse("two-factor")
            if settings.ORGANISER_2FA_REQUIRED and path != enrol:
                return redirect(f"{enrol}?{urlencode({'next': request.get_full_path()}, safe='/')}")
        return self.get_response(request)
