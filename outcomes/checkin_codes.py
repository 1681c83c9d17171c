"""The check-in code: what a participant's personal page shows as a QR code, and what the
coordinator's check-in page matches a scanned code against, on the phone.

It is the participant's id signed with the site's secret (`Signer`, salt "outcomes.checkin"):
short, not to be forged for another participant, and it opens nothing. The personal link is a
password, so it never goes into the code. Computing a code runs no query.
"""

from functools import lru_cache

from django.core.signing import Signer

from .qr import qr_svg

SALT = "outcomes.checkin"


def checkin_code(*, participant_id: int) -> str:
    """The participant's check-in code, e.g. `1234:bDNMXvyw…` (48 characters for a 4-digit id)."""
    return Signer(salt=SALT).sign(str(participant_id))


@lru_cache(maxsize=1024)
def _qr_of(code: str) -> str:
    # Drawing a QR code takes milliseconds, several times the personal page's own work; a code
    # never changes for a participant, so each process keeps the last thousand (8 kB each).
    return qr_svg(code)


def checkin_qr_svg(*, participant_id: int) -> str:
    """The participant's check-in code as an inline SVG QR code."""
    return _qr_of(checkin_code(participant_id=participant_id))
