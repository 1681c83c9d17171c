"""The one-field forms of two-factor login, and the password-reset form that mails through the outbox."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .services import password_reset_send


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form (it finds the accounts of the address and says the same whether or not there
    is one), with its e-mail queued in the outbox instead of sent from the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        password_reset_send(user=context["user"], language=translation.get_language() or "en")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        help_text=_("The six digits the app shows for the Internship Portal."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
