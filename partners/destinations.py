"""Where webhooks may point: public addresses only, and exactly the address checked.

A partner registers the URL, so the portal must not be turned into a probe of
its own network (SSRF): a host that resolves to a loopback, private,
link-local or otherwise reserved address is refused at registration and again
before each delivery (the name may resolve differently later). A delivery
resolves the name once, checks the addresses and connects to the one checked
(`resolve_destination`), so that a second lookup cannot answer differently
(DNS rebinding); the Host header and TLS server name stay the partner's.
`PARTNERS_WEBHOOK_ALLOW_PRIVATE=1` lifts the check for a partner on the same
private network (and for tests with a receiver on 127.0.0.1).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class ForbiddenDestination(ValueError):
    pass


@dataclass(frozen=True)
class Destination:
    """A webhook URL with its host name resolved: connect to `address`, speak to `host`."""

    scheme: str
    host: str
    port: int
    address: str
    target: str  # path and query, as sent in the request line


def resolve_destination(url: str) -> Destination:
    """Resolve the URL's host once; raise ForbiddenDestination if it does not resolve or
    (unless private addresses are allowed) if any of its addresses is not public."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ForbiddenDestination(_("The host name %(host)s does not resolve.") % {"host": host}) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise ForbiddenDestination(_("The host name %(host)s does not resolve.") % {"host": host})
    if not settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not ip.is_global or ip.is_multicast:
                raise ForbiddenDestination(
                    _("%(host)s resolves to a non-public address (%(ip)s); webhooks go to public addresses only.")
                    % {"host": host, "ip": ip}
                )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(scheme=parts.scheme, host=host, port=port, address=addresses[0], target=target)


def check_destination(url: str) -> None:
    """Raise ForbiddenDestination naming why this URL may not receive webhooks."""
    if settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE:
        return
    resolve_destination(url)
