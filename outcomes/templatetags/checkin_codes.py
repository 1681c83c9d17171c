"""`{% checkin_qr participant %}`: the participant's check-in code (outcomes.checkin_codes) as
an inline SVG QR code, for the personal page, which lives in a lower app than outcomes."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from outcomes.checkin_codes import checkin_qr_svg

register = template.Library()


@register.simple_tag
def checkin_qr(participant, *, labelled_by: str = "") -> SafeString:
    """The SVG, named for screen readers by the element whose id is `labelled_by`."""
    svg = checkin_qr_svg(participant_id=participant.pk)
    if labelled_by:
        svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{escape(labelled_by)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - an SVG the qrcode library drew from our own signed code
