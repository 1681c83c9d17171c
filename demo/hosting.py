"""The demo's hosts in the loop: each host contact's language, a second contact where a host's
protocol and security desk differ, what each security desk requires of visitors, and a few
answers already in (one host confirmed, one asked), so the board shows markers from the start.

Called from `demo.data.load_demo` with one line; idempotent (a second scale reuses the hosts).
"""

from hosting.services import host_answer
from participants.enums import VisitorField
from programs.models import Program
from visits.enums import HostStatus
from visits.models import HostContact, HostOrganisation, SiteVisit
from visits.services import contact_create, contact_update, host_update, visit_host_request

ID_CARD = [VisitorField.PASSPORT_NAME, VisitorField.DOCUMENT_NUMBER, VisitorField.POSITION]
FULL_DESK = [
    VisitorField.PASSPORT_NAME,
    VisitorField.CITIZENSHIP,
    VisitorField.DOCUMENT_NUMBER,
    VisitorField.DATE_OF_BIRTH,
    VisitorField.POSITION,
    VisitorField.ORGANISATION,
]
# By the seed's key (demo.data): (contact language, required visitor fields, second contact or None).
HOST_LOOP = {
    "academy": ("ru", [VisitorField.POSITION, VisitorField.ORGANISATION], None),
    "aifc": ("en", FULL_DESK, ("Security desk", "Visitor access", "security@aifc.example", "en")),
    "atameken": ("ru", ID_CARD, None),
    "damu": ("kk", ID_CARD, None),
    "sez": ("ru", FULL_DESK, ("Zhanna Omarova", "Security service", "security@sez.example", "ru")),
    "nu": ("en", [VisitorField.PASSPORT_NAME, VisitorField.ORGANISATION], None),
    "hub": ("kk", [VisitorField.POSITION, VisitorField.ORGANISATION], None),
}
CONFIRMED_HOST = "aifc"
ASKED_HOST = "damu"


def hosting_demo(*, program: Program, seeds: list) -> None:
    """Give the demo hosts' contacts their languages and the security desks their required fields
    (`seeds`: demo.data's HostSeed of the academy and the hosts)."""
    seeds = {seed.key: seed for seed in seeds}
    hosts = {host.name: host for host in HostOrganisation.objects.filter(name__in=[s.name for s in seeds.values()])}
    for key, (language, fields, second) in HOST_LOOP.items():
        host = hosts.get(seeds[key].name) if key in seeds else None
        if host is None:
            continue
        host_update(host=host, required_visitor_fields=list(fields))
        for contact in host.contacts.all():
            if contact.language != language:
                contact_update(contact=contact, language=language)
        if second is not None and not HostContact.objects.filter(host=host, email=second[2]).exists():
            name, role, email, contact_language = second
            contact_create(host=host, name=name, role=role, email=email, language=contact_language)
    _answers(program=program, hosts=hosts, seeds=seeds)


def _answers(*, program: Program, hosts: dict, seeds: dict) -> None:
    """One host has confirmed its visits, another has been asked (no e-mail: the demo sends none)."""
    confirmed = hosts.get(seeds[CONFIRMED_HOST].name) if CONFIRMED_HOST in seeds else None
    asked = hosts.get(seeds[ASKED_HOST].name) if ASKED_HOST in seeds else None
    visits = SiteVisit.objects.filter(program=program, host__in=[h for h in (confirmed, asked) if h]).order_by("pk")
    for visit in visits:
        if visit.host_id == getattr(confirmed, "pk", None):
            contact = confirmed.contacts.order_by("pk").first()
            if contact is not None and visit.host_status != HostStatus.CONFIRMED:
                host_answer(contact=contact, visit=visit, answer=HostStatus.CONFIRMED)
        elif visit.host_status == HostStatus.NONE:
            visit_host_request(visit=visit)
