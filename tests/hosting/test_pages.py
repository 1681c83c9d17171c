"""The host contact's link: their visits, their answers, nothing of anyone else's; the organiser's pages."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from audit.models import DataAccess
from hosting.services import host_answer
from programs.selectors import ORGANISERS_GROUP
from tests.factories import HostContactFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.models import SiteVisit
from visits.services import contact_rotate_token, visit_create

from .conftest import DAY, MINISTRY_CSV_HEADER_RU, mails_to

pytestmark = pytest.mark.django_db


def page(client, contact, **params):
    return client.get(f"/h/{contact.access_token}/", params)


def answer(client, contact, visit, **data):
    return client.post(f"/h/{contact.access_token}/visits/{visit.pk}/answer/", data)


def test_host_page_shows_the_visits_at_the_contacts_organisation_only(client, scene):
    response = page(client, scene.hub_contact)
    body = response.content.decode()

    assert response.status_code == 200
    assert "Astana Hub tour" in body
    assert "Startups and the tech park" in body
    assert "Group 1: Digital state" in body
    assert "10:00–12:00" in body  # the program's zone
    assert "2 people" in body
    assert "Academy of Public Administration" in body
    assert "Ministry briefing" not in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]
    for label in ("Confirm", "Decline", "Propose another time"):
        assert f">{label}</button>" in body


def test_another_hosts_token_sees_nothing_of_this_visit(client, scene):
    body = page(client, scene.ministry_contact).content.decode()
    answered = answer(client, scene.ministry_contact, scene.hub_visit, answer="confirmed")
    visitors = client.get(f"/h/{scene.ministry_contact.access_token}/visits/{scene.hub_visit.pk}/visitors/")
    csv = client.get(f"/h/{scene.ministry_contact.access_token}/visits/{scene.hub_visit.pk}/visitors.csv")

    assert "Astana Hub tour" not in body
    assert answered.status_code == 404
    assert visitors.status_code == 404
    assert csv.status_code == 404
    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == ""


def test_a_rotated_token_is_dead(client, scene):
    old = scene.hub_contact.access_token
    contact_rotate_token(contact=scene.hub_contact)

    assert client.get(f"/h/{old}/").status_code == 404
    assert client.post(f"/h/{old}/visits/{scene.hub_visit.pk}/answer/", {"answer": "confirmed"}).status_code == 404
    assert page(client, scene.hub_contact).status_code == 200


@pytest.mark.parametrize("token", ["x", "not-a-real-token-" + "z" * 30, "../etc/passwd"])
def test_a_wrong_token_is_404(client, scene, token):
    assert client.get(f"/h/{token}/").status_code == 404


def test_the_contact_confirms(client, scene):
    response = answer(client, scene.hub_contact, scene.hub_visit, answer="confirmed")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#visit-{scene.hub_visit.pk}")
    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "confirmed"
    assert scene.hub_visit.host_answered_at is not None
    assert "Confirmed by the host" in page(client, scene.hub_contact).content.decode()
    assert scene.hub_visit.history.first().history_actor == "host contact (link)"


def test_the_contact_declines_with_a_reason_and_without_one_is_told(client, scene):
    refused = answer(client, scene.hub_contact, scene.hub_visit, answer="declined", note="")
    declined = answer(client, scene.hub_contact, scene.hub_visit, answer="declined", note="Closed for a state audit")

    assert refused.status_code == 400
    assert "Say why the visit cannot take place." in refused.content.decode()
    assert declined.status_code == 302
    scene.hub_visit.refresh_from_db()
    assert (scene.hub_visit.host_status, scene.hub_visit.host_note) == ("declined", "Closed for a state audit")


def test_the_contact_proposes_another_time_within_the_program(client, scene):
    outside = answer(
        client, scene.hub_contact, scene.hub_visit,
        answer="proposed", proposed_date="2027-02-01", proposed_start="10:00", proposed_end="12:00",
    )  # fmt: skip
    unreadable = answer(client, scene.hub_contact, scene.hub_visit, answer="proposed", proposed_date="soon")
    inside = answer(
        client, scene.hub_contact, scene.hub_visit,
        answer="proposed", proposed_date="2026-12-09", proposed_start="09:30", proposed_end="11:00", note="Mornings",
    )  # fmt: skip

    assert outside.status_code == 400
    assert "within the program" in outside.content.decode()
    assert unreadable.status_code == 400
    assert "Give the day and the start and end times." in unreadable.content.decode()
    assert inside.status_code == 302
    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "proposed"
    assert scene.hub_visit.host_proposed_starts_at == local(scene.program, DAY + timedelta(days=1), 9, 30)
    assert scene.hub_visit.host_proposed_ends_at == local(scene.program, DAY + timedelta(days=1), 11)


def test_host_page_is_in_the_contacts_language_and_switches(client, scene):
    russian = page(client, scene.ministry_contact).content.decode()
    english = page(client, scene.ministry_contact, lang="en").content.decode()

    assert "Подтвердить" in russian
    assert ">Confirm</button>" in english
    # Times are the program city's, with the offset: an Astana program's zone is named for Almaty.
    assert "(Astana, UTC+5)" in english
    assert "Almaty" not in english
    assert "Алматы" not in russian


def _populate(scene, size):
    for index in range(size):
        group = ProjectGroupFactory(program=scene.program, name=f"Extra group {index}")
        for _ in range(3):
            ParticipantFactory(program=scene.program, group=group)
        visit_create(
            program=scene.program, groups=[group], host=scene.hub, title=f"Hub visit {index}",
            starts_at=local(scene.program, DAY + timedelta(days=1 + index % 5), 9 + index // 5),
            ends_at=local(scene.program, DAY + timedelta(days=1 + index % 5), 10 + index // 5),
        )  # fmt: skip


# contact with host, visits with programs, bookings with groups, program organisers, group sizes
HOST_PAGE_QUERIES = 5


@pytest.mark.parametrize("size", [1, 4, 12])
def test_host_page_query_count_is_flat(client, scene, size, django_assert_num_queries):
    _populate(scene, size)

    with django_assert_num_queries(HOST_PAGE_QUERIES):
        response = page(client, scene.hub_contact)

    assert response.content.decode().count('class="host-visit"') == size + 1


def test_host_visitor_list_has_the_required_fields_and_its_read_is_recorded(client, scene):
    response = client.get(f"/h/{scene.ministry_contact.access_token}/visits/{scene.ministry_visit.pk}/visitors/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "Chernov" in body
    assert "Antonov" not in body  # not of this visit
    record = DataAccess.objects.get()
    assert (record.what, record.object_id, record.program_id) == (
        "visitor_list",
        scene.ministry_visit.pk,
        scene.program.pk,
    )
    assert record.actor == "host contact Aigerim Min (link)"


def test_host_visitor_csv_has_the_list_and_its_read_is_recorded(client, scene):
    response = client.get(f"/h/{scene.ministry_contact.access_token}/visits/{scene.ministry_visit.pk}/visitors.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="visitors-{scene.ministry_visit.pk}.csv"'
    # The header row in the contact's language (Russian), as the security desk reads it.
    assert rows[0] == MINISTRY_CSV_HEADER_RU
    assert [row[0] for row in rows[1:]] == ["Chernov"]
    record = DataAccess.objects.get()
    assert (record.what, record.object_id, record.program_id, record.channel) == (
        "visitor_list",
        scene.ministry_visit.pk,
        scene.program.pk,
        "host CSV",
    )
    assert (record.actor, record.object_label) == ("host contact Aigerim Min (link)", scene.ministry_visit.title)


# --- the organiser's pages ---------------------------------------------------------------


@pytest.fixture
def organiser_client(client, scene):
    user = get_user_model().objects.create_user("org", "org@academy.example", "pw-for-tests-only")
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    scene.program.organisers.add(user)
    client.force_login(user)
    return client


def confirmations_url(scene):
    return f"/organiser/programs/{scene.program.slug}/hosts/confirmations/"


def test_organiser_sends_a_visit_for_confirmation_from_the_page(
    organiser_client, scene, django_capture_on_commit_callbacks, celery_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(confirmations_url(scene), {"action": "request", "visit": scene.hub_visit.pk})

    assert response.status_code == 302
    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "requested"
    assert len(mails_to("dana@hub.example")) == 1
    body = organiser_client.get(confirmations_url(scene)).content.decode()
    assert "Awaiting the host&#x27;s answer" in body
    assert f"/h/{scene.hub_contact.access_token}/" in body


def test_organiser_accepts_a_proposal_on_the_page(organiser_client, scene):
    start = local(scene.program, DAY, 15)
    host_answer(
        contact=scene.hub_contact, visit=scene.hub_visit, answer="proposed",
        proposed_starts_at=start, proposed_ends_at=start + timedelta(hours=1),
    )  # fmt: skip

    organiser_client.post(confirmations_url(scene), {"action": "accept", "visit": scene.hub_visit.pk})

    scene.hub_visit.refresh_from_db()
    assert (scene.hub_visit.starts_at, scene.hub_visit.host_status) == (start, "confirmed")


def _propose(scene, hour):
    start = local(scene.program, DAY, hour)
    host_answer(
        contact=scene.hub_contact, visit=scene.hub_visit, answer="proposed",
        proposed_starts_at=start, proposed_ends_at=start + timedelta(hours=1),
    )  # fmt: skip
    return start


def board_url(scene):
    return f"/organiser/programs/{scene.program.slug}/board/?day={DAY.isoformat()}"


def test_the_board_lists_a_hosts_proposal_and_accepting_it_there_comes_back_to_the_board(organiser_client, scene):
    start = _propose(scene, 15)

    board = organiser_client.get(board_url(scene)).content.decode()
    section = board.split('id="board-proposals"')[1].split("</section>")[0]
    response = organiser_client.post(
        confirmations_url(scene), {"action": "accept", "visit": scene.hub_visit.pk, "next": board_url(scene)}
    )

    assert "A host proposes another time" in section
    assert "Astana Hub tour" in section
    assert "10:00–12:00" in section
    assert "15:00–16:00" in section
    assert response.status_code == 302
    assert response["Location"] == board_url(scene)
    scene.hub_visit.refresh_from_db()
    assert (scene.hub_visit.starts_at, scene.hub_visit.host_status) == (start, "confirmed")
    after = organiser_client.get(board_url(scene)).content.decode()
    assert 'id="board-proposals"' not in after  # answered: the board asks no more
    assert "moved to the time its host proposed" in after


def test_keeping_the_time_from_the_board_asks_the_host_again(organiser_client, scene):
    _propose(scene, 15)

    organiser_client.post(
        confirmations_url(scene), {"action": "refuse", "visit": scene.hub_visit.pk, "next": board_url(scene)}
    )

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "requested"
    assert scene.hub_visit.starts_at == local(scene.program, DAY, 10)


@pytest.mark.parametrize(
    "back", ["https://evil.example/organiser/", "//evil.example/", "/organiser/programs/other/board/"]
)
def test_an_answer_never_goes_back_to_another_site_or_program(organiser_client, scene, back):
    _propose(scene, 15)

    response = organiser_client.post(
        confirmations_url(scene), {"action": "refuse", "visit": scene.hub_visit.pk, "next": back}
    )

    assert response["Location"] == confirmations_url(scene)


def test_organiser_renews_a_contacts_link(organiser_client, scene):
    old = scene.hub_contact.access_token

    organiser_client.post(confirmations_url(scene), {"action": "rotate", "contact": scene.hub_contact.pk})

    scene.hub_contact.refresh_from_db()
    assert scene.hub_contact.access_token != old


def test_dashboard_lists_open_host_answers_oldest_request_first(organiser_client, scene):
    from hosting.services import host_confirmation_request

    host_confirmation_request(program=scene.program, visits=[scene.ministry_visit], now=local(scene.program, DAY, 1))
    host_confirmation_request(program=scene.program, visits=[scene.hub_visit], now=local(scene.program, DAY, 2))
    confirmed = visit_create(
        program=scene.program, groups=[], host=scene.hub, title="Confirmed one",
        starts_at=local(scene.program, DAY, 18), ends_at=local(scene.program, DAY, 19),
    )  # fmt: skip
    host_answer(contact=scene.hub_contact, visit=confirmed, answer="confirmed")

    page = organiser_client.get(f"/organiser/programs/{scene.program.slug}/").content.decode()
    section = page.split('id="host-answers-title"')[1].split("</section>")[0]

    assert section.index("Ministry briefing") < section.index("Astana Hub tour")
    assert "Confirmed one" not in section


def test_organiser_sees_who_misses_what_and_reminds_them(
    organiser_client, scene, django_capture_on_commit_callbacks, celery_eager
):
    url = f"/organiser/programs/{scene.program.slug}/hosts/visitor-details/"
    body = organiser_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url, {"host": scene.ministry.pk})

    section = body.split(f'id="host-{scene.ministry.pk}"')[1].split("</section>")[0]
    assert "Chernov" in section
    assert "Passport or ID document number" in section
    assert "Antonov" not in section
    [reminder] = mails_to(scene.others[0].email)
    assert f"/i/{scene.others[0].access_token}/visitor-details/" in reminder.body


def test_other_contact_of_the_same_host_sees_the_same_visits(client, scene):
    second = HostContactFactory(host=scene.hub, name="Second")

    assert "Astana Hub tour" in page(client, second).content.decode()


def test_board_blocks_carry_the_host_status_and_the_badge_shows_it(scene):
    from django.template.loader import render_to_string

    from visits.selectors import board_for_program

    host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="confirmed")

    board = board_for_program(program=scene.program, day=DAY)
    blocks = {block.visit.pk: block for day in board.days for cell in day.cells for block in cell.blocks}
    confirmed = render_to_string("organiser/_block_badges.html", {"block": blocks[scene.hub_visit.pk]})
    never_asked = render_to_string("organiser/_block_badges.html", {"block": blocks[scene.ministry_visit.pk]})

    assert blocks[scene.hub_visit.pk].host_status == "confirmed"
    assert 'data-host-status="confirmed"' in confirmed
    assert "Confirmed by the host" in confirmed
    assert never_asked.strip() == ""


# session, user, organiser check, authenticator app, program, visits with hosts, contacts
CONFIRMATIONS_QUERIES = 7
# session, user, organiser check, authenticator app, program, visits with hosts, bookings, visitors with details
VISITOR_DETAILS_QUERIES = 8


@pytest.mark.parametrize("size", [1, 4])
def test_organiser_pages_run_fixed_queries(organiser_client, scene, size, django_assert_num_queries):
    _populate(scene, size)

    with django_assert_num_queries(CONFIRMATIONS_QUERIES):
        confirmations = organiser_client.get(confirmations_url(scene))
    with django_assert_num_queries(VISITOR_DETAILS_QUERIES):
        details = organiser_client.get(f"/organiser/programs/{scene.program.slug}/hosts/visitor-details/")

    assert confirmations.status_code == 200
    assert confirmations.content.decode().count('data-host-status="') >= size + 2
    assert details.status_code == 200


def test_renewing_the_link_of_a_host_with_several_visits(organiser_client, scene):
    visit_create(
        program=scene.program, groups=[], host=scene.hub, title="Second hub visit",
        starts_at=local(scene.program, DAY, 17), ends_at=local(scene.program, DAY, 18),
    )  # fmt: skip
    old = scene.hub_contact.access_token

    response = organiser_client.post(confirmations_url(scene), {"action": "rotate", "contact": scene.hub_contact.pk})

    assert response.status_code == 302
    scene.hub_contact.refresh_from_db()
    assert scene.hub_contact.access_token != old


@pytest.mark.parametrize("field", ["visit", "host", "contact"])
@pytest.mark.parametrize("forged", ["²", "99999999999999999999999"])
def test_confirmations_with_an_id_that_is_no_id_does_nothing_and_says_so(organiser_client, scene, field, forged):
    action = {"visit": "request", "host": "request_host", "contact": "rotate"}[field]
    token = scene.hub_contact.access_token

    response = organiser_client.post(confirmations_url(scene), {"action": action, field: forged}, follow=True)

    assert response.status_code == 200
    assert "Nothing was done: choose a visit, host or contact of this program." in response.content.decode()
    scene.hub_contact.refresh_from_db()
    assert scene.hub_contact.access_token == token
    assert not SiteVisit.objects.filter(host_status="requested").exists()


@pytest.mark.parametrize("forged", ["²", "99999999999999999999999"])
def test_visitor_details_reminder_for_a_host_that_is_no_id_is_404(organiser_client, scene, forged):
    response = organiser_client.post(
        f"/organiser/programs/{scene.program.slug}/hosts/visitor-details/", {"host": forged}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("answer_kind", ["declined", "confirmed"])
def test_a_note_holding_a_nul_is_refused_on_the_page_and_nothing_changes(client, scene, answer_kind):
    # A browser never sends one, PostgreSQL cannot store one: the page says so instead of failing.
    response = answer(client, scene.hub_contact, scene.hub_visit, answer=answer_kind, note="Closed\x00 for audit")

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    scene.hub_visit.refresh_from_db()
    assert (scene.hub_visit.host_status, scene.hub_visit.host_note) == ("", "")


def test_a_note_longer_than_the_page_allows_is_refused_and_nothing_changes(client, scene):
    # The page's text box stops at 2,000 characters; a hand-made request must not store more.
    response = answer(client, scene.hub_contact, scene.hub_visit, answer="declined", note="x" * 100_000)

    assert response.status_code == 400
    assert "At most 2000 characters, please." in response.content.decode()
    assert 'name="note" maxlength="2000"' in page(client, scene.hub_contact).content.decode()
    scene.hub_visit.refresh_from_db()
    assert (scene.hub_visit.host_status, scene.hub_visit.host_note) == ("", "")
