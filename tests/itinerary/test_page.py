"""The personal itinerary page `/i/<token>/`: what a participant reads on their phone."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from participants.services import participant_rotate_token, participant_update
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.services import visit_cancel

from .conftest import schedule

pytestmark = pytest.mark.django_db


def page(client, participant, **params):
    return client.get(f"/i/{participant.access_token}/", params)


def text_of(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed, for plain assertions."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(time|del|strong|a|span)\b[^>]*>", "", html)  # inline: no space
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(response, css_class: str) -> str:
    """The HTML of the first element with this class, up to the matching close of a `<section>`."""
    html = response.content.decode()
    start = html.index(f'class="{css_class}')
    return html[start : html.index("</section>", start)]


def test_page_shows_visit_in_program_zone_with_host_address_meeting_point_agenda_group(
    client, program, group, participant
):
    host = HostOrganisationFactory(name="Astana Hub", address="55/5 Mangilik El Ave, Astana", city="Astana")
    schedule(
        program,
        [group],
        1,
        10,
        12,
        host=host,
        title="Astana Hub: the IT startup ecosystem",
        meeting_point="Hotel lobby, 09:30",
        agenda="Tour of the technopark.\nMeeting with residents.",
    )

    response = page(client, participant)

    assert response.status_code == 200
    text = text_of(response)
    # 10:00–12:00 in Astana (UTC+5), whatever the server's zone.
    assert "10:00–12:00" in text
    assert "Astana Hub: the IT startup ecosystem" in text
    assert "55/5 Mangilik El Ave, Astana" in text
    assert "Hotel lobby, 09:30" in text
    assert "Tour of the technopark." in text
    assert "Meeting with residents." in text
    assert group.name in text
    assert "Andrey Viktorovich Antonov" in text
    assert "https://www.openstreetmap.org/search?query=55%2F5%20Mangilik%20El%20Ave%2C%20Astana" in (
        response.content.decode()
    )


def test_page_shows_the_host_city_once_when_the_address_already_names_it(client, program, group, participant):
    host = HostOrganisationFactory(address="55/5 Mangilik El Ave, Astana", city="Astana")
    schedule(program, [group], 1, 10, 12, host=host)

    response = page(client, participant)

    text = text_of(response)
    assert "55/5 Mangilik El Ave, Astana" in text
    assert "Astana, Astana" not in text
    assert "Astana%2C%20Astana" not in response.content.decode()


def test_page_adds_the_host_city_to_an_address_without_it(client, program, group, participant):
    host = HostOrganisationFactory(address="2 Turan Ave", city="Astana")
    schedule(program, [group], 1, 10, 12, host=host)

    response = page(client, participant)

    assert "2 Turan Ave, Astana" in text_of(response)
    assert "https://www.openstreetmap.org/search?query=2%20Turan%20Ave%2C%20Astana" in response.content.decode()


def test_page_map_link_uses_coordinates_when_the_host_has_them(client, program, group, participant):
    host = HostOrganisationFactory(latitude="51.089000", longitude="71.416000")
    schedule(program, [group], 0, 10, 12, host=host)

    html = page(client, participant).content.decode()

    assert "https://www.openstreetmap.org/?mlat=51.089000&amp;mlon=71.416000#map=17/51.089000/71.416000" in html
    assert 'rel="noreferrer noopener"' in html


def test_page_shows_home_time_beside_when_the_home_zone_differs(client, program, group, participant):
    schedule(program, [group], 1, 10, 12)

    text = text_of(page(client, participant))

    # Tomsk is UTC+7, Astana UTC+5: the same visit is 12:00–14:00 at home.
    assert "10:00–12:00" in text
    assert "12:00–14:00 Tomsk" in text
    assert "Tomsk (UTC+7)" in text
    assert "(UTC+5)" in text


def test_page_shows_one_time_when_the_home_zone_has_the_same_offset(client, program, group, participant):
    participant_update(participant=participant, home_timezone="Asia/Tashkent")  # UTC+5 like Astana
    schedule(program, [group], 1, 10, 12)

    text = text_of(page(client, participant))

    assert "10:00–12:00" in text
    assert "Tashkent" not in text
    assert "visit-home" not in page(client, participant).content.decode()


def test_page_marks_cancelled_visits_struck_through_and_labelled(client, program, group, participant):
    kept = schedule(program, [group], 1, 10, 12, title="Nazarbayev University")
    dropped = schedule(program, [group], 1, 14, 16, title="Baiterek holding")
    visit_cancel(visit=dropped)

    response = page(client, participant)
    html = response.content.decode()

    cancelled = html[html.index(f'id="visit-{dropped.pk}"') :]
    cancelled = cancelled[: cancelled.index("</article>")]
    assert "<del>Baiterek holding</del>" in cancelled
    assert "Cancelled" in cancelled
    live = html[html.index(f'id="visit-{kept.pk}"') :]
    live = live[: live.index("</article>")]
    assert "<del>" not in live
    assert "Cancelled" not in live


def test_page_before_the_program_shows_first_day_and_next_visit_on_top(client, clock, program, group, participant):
    first = schedule(program, [group], 0, 10, 12, title="Opening ceremony")
    schedule(program, [group], 3, 10, 12, title="Astana Hub")
    clock(local(program, program.start_date - timedelta(days=5), 9))

    response = page(client, participant)

    top = section(response, "itin-top")
    assert "Next" in top
    assert "Opening ceremony" in top
    assert "First day" in top
    assert "Astana Hub" not in top
    assert f'href="#visit-{first.pk}"' in top


def test_page_during_the_program_shows_today_and_the_next_visit_on_top(client, clock, program, group, participant):
    schedule(program, [group], 2, 9, 10, title="Morning lecture")
    schedule(program, [group], 2, 11, 13, title="Astana Hub")
    cancelled = schedule(program, [group], 2, 14, 15, title="Baiterek holding")
    visit_cancel(visit=cancelled)
    schedule(program, [group], 3, 10, 12, title="Tomorrow's visit")
    clock(local(program, program.start_date + timedelta(days=2), 10, 30))

    top = section(page(client, participant), "itin-top")

    # Next: the first visit not over yet; today: every visit of the day, the cancelled one struck through.
    next_card = top[: top.index("</article>")]
    assert "Next" in next_card
    assert "Astana Hub" in next_card
    assert "Morning lecture" not in next_card
    assert "Today" in top
    assert "Morning lecture" in top
    assert "<del>Baiterek holding</del>" in top
    assert "Tomorrow's visit" not in top


def test_page_shows_now_while_a_visit_runs(client, clock, program, group, participant):
    schedule(program, [group], 2, 11, 13, title="Astana Hub")
    clock(local(program, program.start_date + timedelta(days=2), 12))

    top = section(page(client, participant), "itin-top")

    assert ">Now" in top
    assert "Astana Hub" in top


def test_page_next_skips_cancelled_visits(client, clock, program, group, participant):
    cancelled = schedule(program, [group], 1, 9, 10, title="Cancelled lecture")
    visit_cancel(visit=cancelled)
    schedule(program, [group], 1, 11, 12, title="Astana Hub")
    clock(local(program, program.start_date, 8))

    top = section(page(client, participant), "itin-top")
    next_card = top[: top.index("</article>")]

    assert "Astana Hub" in next_card
    assert "Cancelled lecture" not in next_card


def test_page_lists_every_day_in_order_with_only_the_participants_group(
    client, program, group, other_group, participant
):
    schedule(program, [group], 3, 10, 12, title="Day four visit")
    schedule(program, [group], 0, 10, 12, title="Day one visit")
    schedule(program, [other_group], 0, 14, 16, title="Other group's visit")

    text = text_of(page(client, participant))

    assert text.index("Day one visit") < text.index("Day four visit")
    assert "Other group's visit" not in text


def test_page_names_all_groups_of_a_joint_visit(client, program, group, other_group, participant):
    schedule(program, [group, other_group], 0, 10, 12, title="Plenary")

    text = text_of(page(client, participant))

    assert f"Groups {group.name}, {other_group.name}" in text


def test_page_without_group_says_so(client, program):
    participant = ParticipantFactory(program=program, group=None, language="en")

    response = page(client, participant)

    assert response.status_code == 200
    assert "not been placed in a project group" in text_of(response)


def test_page_offers_calendar_links_and_qr_code(client, program, group, participant):
    token = participant.access_token

    html = page(client, participant).content.decode()

    assert f'href="webcal://testserver/i/{token}.ics"' in html
    assert f'href="/i/{token}.ics?download=1"' in html
    assert f'src="/i/{token}/qr.svg"' in html
    assert f'value="http://testserver/i/{token}.ics"' in html


def test_page_headers_keep_the_personal_link_private(client, participant):
    response = page(client, participant)

    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_page_has_no_inline_script(client, participant):
    html = page(client, participant).content.decode()

    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads its script from a static file"
    assert all(body.strip() == "" for body in scripts)
    assert " on" not in re.sub(r"\s+", " ", " ".join(re.findall(r"<[^>]+>", html))).replace(" only", "")


def test_page_stamps_when_it_was_rendered_for_the_offline_copy(client, clock, program, participant):
    clock(local(program, program.start_date, 7, 45))

    response = page(client, participant)
    html = response.content.decode()

    assert 'datetime="2026-12-07T07:45:00+05:00"' in html
    assert "Last updated: 7 December, 07:45" in text_of(response)
    assert 'data-served-by="network"' in html
    assert 'rel="manifest"' in html


def test_page_unknown_token_is_a_404_page(client, participant):
    response = client.get("/i/not-a-real-token-at-all/")

    assert response.status_code == 404
    assert "This link does not open an itinerary" in text_of(response)
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/i/{long}/", "/i/bad.token/", "/i/%00/", "/i/{long}.ics", "/i/%20/qr.svg"])
def test_page_malformed_token_is_404_not_500(client, path):
    response = client.get(path.format(long="a" * 65))

    assert response.status_code == 404


def test_page_rotated_token_is_404_and_the_new_one_works(client, program, group, participant):
    schedule(program, [group], 0, 10, 12, title="Opening ceremony")
    old = participant.access_token
    participant_rotate_token(participant=participant)

    for path in (f"/i/{old}/", f"/i/{old}.ics", f"/i/{old}/qr.svg", f"/i/{old}/manifest.webmanifest"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/i/{old}/language/", {"language": "kk"}).status_code == 404
    response = client.get(f"/i/{participant.access_token}/")
    assert response.status_code == 200
    assert "Opening ceremony" in text_of(response)


def test_page_refuses_post(client, participant):
    assert client.post(f"/i/{participant.access_token}/").status_code == 405


def test_page_escapes_what_organisers_typed(client, program, group, participant):
    schedule(program, [group], 0, 10, 12, title="<script>alert(1)</script>", agenda="<b>bold</b>")

    html = page(client, participant).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_page_for_another_group_member_shows_their_own_name(client, program):
    group = ProjectGroupFactory(program=program)
    other = ParticipantFactory(program=program, group=group, first_name="Irina", patronymic="", last_name="Petrova")

    assert "Irina Petrova" in text_of(page(Client(), other))


def test_coordinator_sees_the_group_members_and_their_contacts_not_their_notes(client):
    from tests.factories import ParticipantFactory, ProjectGroupFactory

    group = ProjectGroupFactory(name="Group 2: Digital state")
    coordinator = ParticipantFactory(program=group.program, group=group, first_name="Aigerim")
    member = ParticipantFactory(
        program=group.program, group=group, phone="+7 700 111 2233", email="member@tomsk.example", notes="Wheelchair"
    )
    group.coordinator = coordinator
    group.save()

    coordinator_page = client.get(f"/i/{coordinator.access_token}/").content.decode()
    member_page = client.get(f"/i/{member.access_token}/").content.decode()

    assert "Group 2: Digital state" in coordinator_page
    assert "+7 700 111 2233" in coordinator_page
    assert "member@tomsk.example" in coordinator_page
    assert "Wheelchair" not in coordinator_page  # the notes are for the organisers
    assert "+7 700 111 2233" not in member_page
    assert "member@tomsk.example" not in member_page


def test_coordinator_does_not_see_anonymised_members(client):
    from participants.privacy import participant_anonymise
    from tests.factories import ParticipantFactory, ProjectGroupFactory

    group = ProjectGroupFactory(name="Group 2: Digital state")
    coordinator = ParticipantFactory(program=group.program, group=group, first_name="Aigerim")
    ParticipantFactory(program=group.program, group=group, first_name="Irina", patronymic="", last_name="Petrova")
    gone = participant_anonymise(participant=ParticipantFactory(program=group.program, group=group))
    group.coordinator = coordinator
    group.save()

    coordinator_page = client.get(f"/i/{coordinator.access_token}/").content.decode()

    assert "Irina Petrova" in coordinator_page
    assert f"Participant {gone.pk}" not in coordinator_page
    assert gone.email not in coordinator_page
