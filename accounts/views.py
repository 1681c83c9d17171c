"""Password reset by e-mail with Django's own views, throttled, and links built on SITE_URL."""

import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import ngettext

from internship_portal.throttling import client_ip

from .services import password_reset_request_allowed


class PasswordResetView(auth_views.PasswordResetView):
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
        # The link goes to the portal's public address, not to whatever Host the request named.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)
