"""QR codes drawn on the server as inline SVG: the certificate's verification link and the
participant's check-in code."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> str:
    """A QR code of `text` as an inline SVG element (no XML declaration)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
