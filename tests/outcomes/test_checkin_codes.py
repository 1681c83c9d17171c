"""The check-in code: the personal page shows it as a QR code, the coordinator's check-in page
carries the codes of the group's members (and of nobody else) for the phone to match a scan."""

import re
from datetime import timedelta

import pytest
import qrcode
from django.core.signing import BadSignature, Signer

from itinerary import views as personal_views
from outcomes import views
from outcomes.checkin_codes import checkin_code
from tests.factories import ParticipantFactory, local

pytestmark = pytest.mark.django_db


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a QR code drawn by qrcode's SvgPathImage (one `Mx,yH…z` square each)."""
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path)}


def modules_of(text: str) -> set[tuple[int, int]]:
    """The dark modules of a QR code of `text`, with the one-module quiet zone the page uses."""
    code = qrcode.QRCode(border=1)
    code.add_data(text)
    code.make(fit=True)
    return {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark}


@pytest.fixture
def during_the_program(held, monkeypatch):
    monkeypatch.setattr(personal_views, "current_time", lambda: local(held.program, held.program.start_date, 9))


def checkin_section(page: str) -> str:
    return re.search(r"<details[^>]*data-checkin-code.*?</details>", page, re.S).group(0)


def test_the_code_is_the_participants_signed_id_and_opens_nothing(held):
    member = held.members[1]

    code = checkin_code(participant_id=member.pk)

    assert Signer(salt="outcomes.checkin").unsign(code) == str(member.pk)
    assert member.access_token not in code
    assert code != checkin_code(participant_id=held.stranger.pk)
    forged = f"{held.stranger.pk}:{code.split(':', 1)[1]}"  # another id under this signature
    with pytest.raises(BadSignature):
        Signer(salt="outcomes.checkin").unsign(forged)


def test_the_personal_page_shows_the_check_in_code_as_a_qr_code(
    held, client, during_the_program, django_assert_num_queries
):
    member = held.members[1]  # Russian

    # as many as without the code (tests/itinerary/test_queries.py): the participant by token,
    # the group's visits with their hosts, the groups of those visits
    with django_assert_num_queries(3):
        page = client.get(f"/i/{member.access_token}/").content.decode()

    section = checkin_section(page)
    assert "Код для отметки" in section
    assert "координатору вашей группы" in section
    assert qr_modules(section) == modules_of(checkin_code(participant_id=member.pk))
    assert qr_modules(section) != modules_of(f"http://testserver/i/{member.access_token}/")
    assert member.access_token not in section
    assert 'role="img" aria-labelledby="checkin-code-title"' in section


def test_the_personal_page_of_a_participant_with_no_group_has_no_check_in_code(held, client, during_the_program):
    loner = ParticipantFactory(program=held.program, group=None, language="en")

    page = client.get(f"/i/{loner.access_token}/").content.decode()

    assert "data-checkin-code" not in page
    assert "Check-in code" not in page


def test_after_the_program_the_personal_page_shows_no_check_in_code(held, client, monkeypatch):
    the_day_after = local(held.program, held.program.end_date, 23) + timedelta(hours=2)
    monkeypatch.setattr(personal_views, "current_time", lambda: the_day_after)

    page = client.get(f"/i/{held.members[2].access_token}/").content.decode()

    assert "data-checkin-code" not in page
    assert "certificate.pdf" in page  # what the page offers instead


def test_the_check_in_page_carries_each_members_code_and_no_one_elses(held, client, monkeypatch):
    monkeypatch.setattr(views, "current_time", lambda: local(held.program, held.program.start_date, 11))

    page = client.get(f"/i/{held.coordinator.access_token}/check-in/").content.decode()

    rows = re.findall(r'data-visit="(\d+)"|data-participant="(\d+)" data-code="([^"]+)"', page)
    codes: dict[int, dict[int, str]] = {}
    visit = None
    for visit_id, participant_id, code in rows:
        if visit_id:
            visit = codes.setdefault(int(visit_id), {})
        else:
            visit[int(participant_id)] = code
    expected = {member.pk: checkin_code(participant_id=member.pk) for member in held.members}
    assert codes == {held.visits[0].pk: expected, held.visits[1].pk: expected}  # the joint visit too
    assert checkin_code(participant_id=held.stranger.pk) not in page
    assert page.count('<button type="button" data-scan ') == 2  # one for each visit not cancelled
    assert "Кодты сканерлеу" in page  # the coordinator's language


def test_the_check_in_page_runs_no_more_queries_for_the_codes(held, client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(views, "current_time", lambda: local(held.program, held.program.start_date, 11))
    ParticipantFactory.create_batch(5, program=held.program, group=held.group)
    url = f"/i/{held.coordinator.access_token}/check-in/"
    client.get(url)  # warm whatever the first request reads once

    # the participant by token, then checkin_day's visits, members and marks
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()

    assert page.count("data-code=") == 2 * 8
