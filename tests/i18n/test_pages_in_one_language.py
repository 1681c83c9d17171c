"""Every page a participant, a group coordinator, a host contact or an organiser sees is in their
language alone (issue 14): no English word among the visible texts of the demo's pages.

The pages are read as their users read them: the text between the tags (scripts and styles left
out) and the attributes a reader sees or hears (placeholder, title, aria-label, alt, the value of a
button). A run fails on a Latin word of three letters or more that is not on the allow-list below;
the failure names the page and the text.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from demo.data import load_demo
from notices.selectors import change_notice_audience
from notices.services import change_notice_preview, schedule_send
from participants.models import Participant
from planning.models import HostWindow, VisitRequest
from surveys.enums import QuestionKind
from surveys.services import survey_create, survey_send
from tests.factories import local
from tests.web.conftest import make_organiser
from visits.enums import VisitKind
from visits.models import HostContact, SiteVisit
from visits.services import visit_update

pytestmark = pytest.mark.django_db

# Latin words a reader of Russian or Kazakh reads as they are, each with its reason.
ALLOWED = {
    # File formats and standards, named so on the buttons and in the texts of every language.
    "CSV": "a file format",
    "XLSX": "a file format",
    "PDF": "a file format",
    "ICS": "the calendar file format",
    "JSON": "a file format",
    "API": "the programming interface, so called in Russian and Kazakh too",
    "URL": "a web address",
    "ZIP": "an archive format",
    "UTC": "the time standard the offsets of time zones are given in",
    "HTML": "the format of an e-mail's richer part",
    "IANA": "the registry of time zone names the zone field takes",
    # Names written in Latin by their owners (demo/texts.py keeps them so in ru and kk).
    "EXPO": "the EXPO business centre, so named in every language",
    "GovTech": "the programme's own name at Astana Hub",
    # Keys, named as they are printed on the keyboard.
    "Shift": "a key's name on the keyboard",
    "Enter": "a key's name on the keyboard",
    "Escape": "a key's name on the keyboard",
}
# Names of several words written in Latin by their owners, taken out of a run before its words.
ALLOWED_NAMES = {
    "Astana IT University": "the university's own name, Latin in Russian and Kazakh too",
    "Astana Hub": "the technopark's own name, Latin in Russian and Kazakh too",
    "EcoPack Astana": "the company's own name, Latin in Russian and Kazakh too",
    "Internship Portal": "the name the authenticator app shows for the portal (OTP_TOTP_ISSUER)",
    "FreeOTP": "an authenticator app's name",
    "Aegis": "an authenticator app's name",
    "Google Authenticator": "an authenticator app's name",
    "Microsoft Authenticator": "an authenticator app's name",
    "eGov mobile": "the e-government app's own name",
    "Asia/Tomsk": "the example of the zone field's value, a name Latin in every language",
}

# A run's parts that are not words of a language: addresses, e-mails, times, codes, tokens.
NOT_WORDS = re.compile(
    r"https?://\S+"  # a web address
    r"|[\w.+-]+@[\w-]+(\.[\w-]+)+"  # an e-mail address
    r"|(?<!\w)/[\w/.<>-]*"  # a path on the portal
    r"|\b[A-Za-z0-9_-]{20,}\b"  # a token or a secret
    r"|\b[A-Z0-9]{4}( [A-Z0-9]{4})+\b"  # a two-factor secret in groups of four
    r"|[\w-]*\.(?i:csv|xlsx|pdf|ics|json)\b"  # a file's name or its extension
)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Texts(HTMLParser):
    """The visible text runs of a page and the attribute values its reader sees or hears.

    Left out: scripts and styles, `<code>` (the literal names a file's columns must have), and
    what the page marks as another language than its own
    (`lang="en"` on the English button of the language switch, on the English input of a form
    that takes a text in three languages): a reader is shown it as that language on purpose."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self.language = ""
        self._hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang") or ""
        foreign = tag != "html" and attrs.get("lang") not in (None, self.language)
        if tag in VOID:
            if foreign:
                return
        elif tag in ("script", "style", "template", "code") or foreign or self._hidden:
            self._hidden.append(tag)
        if self._hidden:
            return
        for name in READ_ATTRIBUTES & attrs.keys():
            self.runs.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.runs.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.runs.append(data)


def english_runs(html: str, personal: list[str]) -> list[str]:
    """The runs of `html` with a Latin word not on the allow-list; `personal` are data kept as written."""
    parser = _Texts()
    parser.feed(html)
    found = []
    for run in parser.runs:
        text = " ".join(run.split())
        rest = NOT_WORDS.sub(" ", text)
        for value in (*ALLOWED_NAMES, *personal):
            if value in rest:
                rest = rest.replace(value, " ")
        if any(word not in ALLOWED for word in LATIN_WORD.findall(rest)):
            found.append(text)
    return found


def personal_data(program) -> list[str]:
    """What the portal shows as it was written, in no language of its own: people's names, their
    positions and organisations, their e-mail addresses and logins (the demo writes them in Latin
    letters, as a passport does). The longest first, so that a name inside another goes with it."""
    values = set()
    for person in Participant.objects.filter(program=program):
        values |= {person.first_name, person.last_name, person.patronymic, person.full_name}
        values |= {person.position, person.organisation, person.region, person.email}
    for contact in HostContact.objects.all():
        values |= {contact.name, contact.role, contact.email}
    values |= set(get_user_model().objects.values_list("username", flat=True))
    return sorted((value for value in values if value and LATIN_WORD.search(value)), key=len, reverse=True)


@pytest.fixture
def demo(django_capture_on_commit_callbacks, celery_eager):
    program, _ = load_demo()
    visit = SiteVisit.objects.filter(program=program, kind=VisitKind.SITE_VISIT, host__isnull=False).first()
    survey = survey_create(
        program=program,
        visit=visit,
        title="How was the visit?",
        title_ru="Как прошёл визит?",
        title_kk="Сапар қалай өтті?",
        opens_at=local(program, program.start_date, 12) - timedelta(days=30),
        closes_at=local(program, program.end_date, 20) + timedelta(days=30),
        questions=[
            {"kind": QuestionKind.RATING, "text": "Overall", "text_ru": "В целом", "text_kk": "Жалпы"},
            {
                "kind": QuestionKind.CHOICE,
                "text": "Most useful part",
                "text_ru": "Самое полезное",
                "text_kk": "Ең пайдалысы",
                "choices": ["Talks", "Tour"],
                "choices_ru": ["Доклады", "Экскурсия"],
                "choices_kk": ["Баяндамалар", "Экскурсия"],
            },
            {
                "kind": QuestionKind.TEXT,
                "text": "Anything else?",
                "text_ru": "Что-нибудь ещё?",
                "text_kk": "Тағы не айтасыз?",
                "required": False,
            },
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        # A send-out keeps the survey's title in the language of the organiser who sent it.
        with translation.override("kk"):
            survey_send(survey=survey)
        sendout = schedule_send(program=program)
    program.survey, program.sendout, program.site_visit = survey, sendout, visit
    return program


def organiser_pages(program) -> list[str]:
    base = f"/organiser/programs/{program.slug}"
    visit = program.site_visit
    host = visit.host
    contact = host.contacts.order_by("pk").first()
    participant = Participant.objects.filter(program=program).order_by("pk").first()
    group = participant.group
    survey = program.survey
    window = HostWindow.objects.filter(program=program).first()
    request = VisitRequest.objects.filter(program=program).first()
    day = (program.start_date + timedelta(days=1)).isoformat()
    return [
        "/organiser/",
        f"{base}/",
        f"{base}/board/",
        f"{base}/board/?day={day}",
        f"{base}/board/?view=all",
        f"{base}/visits/new/",
        f"{base}/visits/{visit.pk}/",
        f"{base}/visits/{visit.pk}/visitors/",
        f"{base}/participants/",
        f"{base}/participants/new/",
        f"{base}/participants/{participant.pk}/",
        f"{base}/participants/import/",
        f"{base}/hosts/",
        f"{base}/hosts/new/",
        f"{base}/hosts/{host.pk}/",
        f"{base}/hosts/{host.pk}/contacts/new/",
        f"{base}/hosts/{host.pk}/contacts/{contact.pk}/",
        f"{base}/hosts/confirmations/",
        f"{base}/hosts/visitor-details/",
        f"{base}/print/groups/{group.pk}/",
        f"{base}/print/participants/{participant.pk}/",
        f"{base}/send/",
        f"{base}/send/schedules/",
        f"{base}/send/schedules/?preview={participant.pk}",
        f"{base}/send/changes/",
        f"{base}/send/{program.sendout.pk}/",
        f"{base}/surveys/",
        f"{base}/surveys/new/",
        f"{base}/surveys/{survey.pk}/",
        f"{base}/surveys/{survey.pk}/invitations/",
        f"{base}/surveys/{survey.pk}/results/",
        f"{base}/feedback/",
        f"{base}/propose/",
        f"{base}/propose/windows/{window.pk}/",
        f"{base}/propose/requests/{request.pk}/",
        f"{base}/outcomes/",
        f"{base}/outcomes/visits/{visit.pk}/",
        f"{base}/outcomes/participants/{participant.pk}/",
        "/account/two-factor/",
    ]


def _read(client, url, language, personal, expected=(200,)) -> list[str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    if response.status_code not in expected:
        return [f"{url}: answered {response.status_code}"]
    return [f"{url}: {run}" for run in english_runs(response.content.decode(), personal)]


def test_a_kazakh_organiser_reads_every_page_in_kazakh(demo):
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", demo))
    personal = personal_data(demo)

    found = [run for url in organiser_pages(demo) for run in _read(client, url, "kk", personal)]

    assert not found, "English on the Kazakh organiser's pages:\n" + "\n".join(found)


def test_the_login_pages_are_in_kazakh():
    anonymous = Client(HTTP_HOST="localhost")

    found = [run for url in ("/login/", "/password-reset/") for run in _read(anonymous, url, "kk", [])]

    assert not found, "English on the Kazakh login pages:\n" + "\n".join(found)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_participant_and_a_coordinator_read_their_pages_in_their_language(demo, language):
    personal = personal_data(demo)
    survey_invitation = demo.survey.invitations.select_related("participant").order_by("pk").first()
    participant = survey_invitation.participant
    coordinator = participant.group.coordinator
    member = Participant.objects.filter(group=participant.group).exclude(pk=coordinator.pk).order_by("pk").first()
    Participant.objects.filter(pk__in=[participant.pk, coordinator.pk, member.pk]).update(language=language)
    client = Client(HTTP_HOST="localhost")

    found = []
    for person in (member, coordinator):
        token = Participant.objects.get(pk=person.pk).access_token
        found += _read(client, f"/i/{token}/", "en", personal)
        found += _read(client, f"/i/{token}/visitor-details/", "en", personal)
        found += _read(client, f"/i/{token}/certificate.pdf", "en", personal, expected=(404,))
    coordinator_token = Participant.objects.get(pk=coordinator.pk).access_token
    member_token = Participant.objects.get(pk=member.pk).access_token
    found += _read(client, f"/i/{coordinator_token}/check-in/", "en", personal)
    found += _read(client, f"/i/{member_token}/check-in/", "en", personal, expected=(404,))
    found += _read(client, f"/s/{survey_invitation.token}/", language, personal)
    found += _read(client, "/verify/0000-0000-0000/", language, personal, expected=(404,))

    assert not found, f"English on the {language} participant's pages:\n" + "\n".join(found)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_host_contact_reads_their_page_in_their_language(demo, language):
    personal = personal_data(demo)
    contact = demo.site_visit.host.contacts.order_by("pk").first()
    HostContact.objects.filter(pk=contact.pk).update(language=language)
    client = Client(HTTP_HOST="localhost")

    found = _read(client, f"/h/{contact.access_token}/", "en", personal)
    found += _read(client, f"/h/{contact.access_token}/visits/{demo.site_visit.pk}/visitors/", "en", personal)

    assert not found, f"English on the {language} host contact's page:\n" + "\n".join(found)


def test_a_schedule_sent_in_one_language_is_no_change_in_another(demo):
    """The schedules went out with English active (a task); a Kazakh organiser's page sees no change."""
    with translation.override("kk"):
        assert change_notice_audience(program=demo).recipients == []


def test_a_change_notice_is_in_its_recipients_language_whoever_releases_it(demo):
    participant = Participant.objects.filter(program=demo, language="ru").order_by("pk").first()
    opening = SiteVisit.objects.get(program=demo, title_en="Opening ceremony")
    visit_update(visit=opening, starts_at=opening.starts_at + timedelta(minutes=30))

    with translation.override("kk"):
        preview = change_notice_preview(participant=participant)

    assert "Церемония открытия" in preview.text
    assert "Ашылу салтанаты" not in preview.text
    assert preview.text.count("Церемония") == 1


def test_the_scan_finds_english_and_leaves_what_is_allowed():
    page = (
        '<html lang="kk"><head><title>Басты бет</title><style>.a{color:red}</style></head><body>'
        "<p>Open this page</p><p>Кестені CSV түрінде жүктеу: schedule.csv</p>"
        '<input type="submit" value="Save"><input placeholder="Search here">'
        '<button lang="en">English</button><textarea lang="en">Opening ceremony</textarea>'
        "<p>Andrey Antonov, andrey@delegation.example</p><code>given_name</code>"
        "<script>const x = 'not text';</script><p>DUYY RWTR YDG3 F2AT</p></body></html>"
    )

    found = english_runs(page, personal=["Andrey Antonov"])

    assert found == ["Open this page", "Save", "Search here"]
