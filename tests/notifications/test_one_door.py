"""Every e-mail goes through the outbox (notifications.services.notification_enqueue): recorded,
retried, idempotent, counted in its send-out, redacted in the logs. Only the outbox imports
Django's mail; a view or task that sent directly would bypass all of that. (import-linter cannot
name a module inside an external package, so this test checks the imports itself.)"""

import ast
from pathlib import Path

import pytest

from notifications.backends import StrayEmail

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts", "audit", "demo", "hosting", "internship_portal", "itinerary", "notices", "outcomes",
    "participants", "partners", "planning", "programs", "surveys", "visits",
)  # fmt: skip
MAIL_NAMES = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def _is_mail_call(node: ast.AST) -> bool:
    """`mail.send_mail(...)` and the like, after `from django.core import mail`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MAIL_NAMES
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "mail"
    )


def _mail_imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("django.core.mail"):
                found.append((node.lineno, node.module))
            elif node.module == "django.core" and any(alias.name == "mail" for alias in node.names):
                found.append((node.lineno, "django.core.mail"))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("django.core.mail"))
        elif _is_mail_call(node):
            found.append((node.lineno, f"mail.{node.func.attr}"))
    return found


def test_no_app_but_the_outbox_sends_email():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, what in _mail_imports(path.read_text())
    ]
    assert found == [], "queue the message with notifications.services.notification_enqueue instead"


def test_the_check_sees_each_way_of_importing_mail():
    source = (
        "from django.core.mail import send_mail\n"
        "from django.core import mail\n"
        "import django.core.mail.backends.smtp\n"
        "mail.send_mail('s', 'b', 'f', ['t'])\n"
        "from django.core.exceptions import ValidationError\n"
    )
    assert _mail_imports(source) == [
        (1, "django.core.mail"),
        (2, "django.core.mail"),
        (3, "django.core.mail.backends.smtp"),
        (4, "mail.send_mail"),
    ]


def test_the_outbox_itself_is_where_mail_is_sent():
    assert _mail_imports((ROOT / "notifications" / "services.py").read_text()) != []


@pytest.mark.django_db
def test_an_email_sent_around_the_outbox_is_refused_loudly(settings):
    settings.EMAIL_BACKEND = "notifications.backends.OutboxOnlyBackend"
    settings.OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail as django_mail

    with pytest.raises(StrayEmail, match="around the outbox"):
        django_mail.EmailMessage("Hello", "Body", "portal@example.org", ["someone@example.org"]).send(
            fail_silently=True
        )

    assert django_mail.outbox == []


@pytest.mark.django_db
def test_djangos_own_password_reset_form_would_be_refused(caplog):
    # The form the portal replaced (accounts.forms.OutboxPasswordResetForm) mails directly: were
    # it wired again, the guard stops it (the form logs the refusal as a failure to send).
    from django.contrib.auth import get_user_model
    from django.contrib.auth.forms import PasswordResetForm
    from django.core import mail as django_mail

    get_user_model().objects.create_user("dana", "dana@academy.example", "a-long-passphrase")
    form = PasswordResetForm({"email": "dana@academy.example"})
    assert form.is_valid()

    form.save(domain_override="portal.example")

    assert django_mail.outbox == []
    [failure] = [record for record in caplog.records if record.exc_info]
    assert isinstance(failure.exc_info[1], StrayEmail)
