"""The demo's hosts in the loop: languages, required visitor fields, answers already in."""

import pytest
from django.core.management import call_command

from visits.models import HostContact, HostOrganisation, SiteVisit

pytestmark = pytest.mark.django_db


def test_demo_hosts_have_contacts_with_languages_and_security_desk_fields():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    call_command("load_demo", scale=2, stdout=open("/dev/null", "w"))  # noqa: SIM115 - the hosts are shared

    languages = set(HostContact.objects.values_list("language", flat=True))
    aifc = HostOrganisation.objects.get(name__startswith="Astana International Financial Centre")

    assert languages == {"ru", "en", "kk"}
    assert aifc.required_visitor_fields == [
        "passport_name", "citizenship", "document_number", "date_of_birth", "position", "organisation",
    ]  # fmt: skip
    assert aifc.contacts.count() == 2
    statuses = set(SiteVisit.objects.exclude(host_status="").values_list("host_status", flat=True))
    assert statuses == {"confirmed", "requested"}
    assert SiteVisit.objects.filter(host_status="").exists()  # the rest is for the organiser to send
