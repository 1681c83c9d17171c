"""Where webhooks may point: public addresses only.

A partner registers the URL, so the portal must not be turned into a probe of
its own network (SSRF): a host that resolves to a loopback, private,
link-local or otherwise reserved address is refused at registration and again
before each delivery (the name may resolve differently later).
`PARTNERS_WEBHOOK_ALLOW_PRIVATE=1` lifts this for a partner on the same
private network (and for tests with a receiver on 127.0.0.1).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class ForbiddenDestination(ValueError):
    pass


def check_destination(url: str) -> None:
    """Raise ForbiddenDestination naming why this URL may not receive webhooks."""
    if settings.PARTNERS_WEBHOOK_ALLOW_PRIVATE:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as exc:
        raise ForbiddenDestination(_("The host name %(host)s does not resolve.") % {"host": host}) from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise ForbiddenDestination(
                _("%(host)s resolves to a non-public address (%(ip)s); webhooks go to public addresses only.")
                % {"host": host, "ip": ip}
            )
