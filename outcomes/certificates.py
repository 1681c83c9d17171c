"""The certificate of completion as a PDF (WeasyPrint), in the participant's language.

It carries the name, the program and its dates, the hours of the visits attended, the
group's theme, a signature block, and the verification code with a QR code of
`<SITE_URL>/verify/<code>/`, the same address printed under it. Fonts: DejaVu (Debian's
fonts-dejavu-core, scripts/ensure-pdf.sh), which covers Cyrillic and the Kazakh letters.
"""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from .models import Certificate
from .qr import qr_svg
from .selectors import AttendanceSummary, attendance_summary

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def verify_link(code: str) -> str:
    """The public address that checks a certificate: `<SITE_URL>/verify/<code>/`."""
    return settings.SITE_URL.rstrip("/") + reverse("outcomes-verify", kwargs={"code": code})


def certificate_filename(certificate: Certificate) -> str:
    participant = certificate.participant
    name = slugify(f"{participant.last_name} {participant.first_name}", allow_unicode=True) or "participant"
    return f"certificate-{name}-{certificate.code}.pdf"


def certificate_html(*, certificate: Certificate, summary: AttendanceSummary) -> str:
    participant = certificate.participant
    language = participant.language if participant.language in LANGUAGES else settings.LANGUAGE_CODE
    link = verify_link(certificate.code)
    with translation.override(language):
        return render_to_string(
            "outcomes/certificate.html",
            {
                "certificate": certificate,
                "participant": participant,
                "program": participant.program,
                "group": participant.group,
                "summary": summary,
                "verify_url": link,
                "qr": mark_safe(qr_svg(link)),  # noqa: S308 - an SVG the qrcode library drew from our own link
                "language": language,
            },
        )


def certificate_pdf_renderer() -> Callable[..., bytes]:
    """A function `render(certificate=, summary=None) -> PDF bytes` that shares its font setup
    between calls (a ZIP of hundreds renders much faster with one)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()

    def render(*, certificate: Certificate, summary: AttendanceSummary | None = None) -> bytes:
        if summary is None:
            summary = attendance_summary(participant=certificate.participant)
        html = certificate_html(certificate=certificate, summary=summary)
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=fonts)

    return render


def certificate_pdf(*, certificate: Certificate, summary: AttendanceSummary | None = None) -> bytes:
    """One certificate as a PDF."""
    return certificate_pdf_renderer()(certificate=certificate, summary=summary)
