"""The board's own writes: a dropped block (JSON), the Shift and Duplicate forms, Undo; and a visit
of several groups drawn once across their columns."""

import json
import re
from datetime import date

import pytest
from django.db import connection

from tests.factories import ProgramFactory, ProjectGroupFactory, local
from visits.models import BoardAction, SiteVisit, VisitGroup
from visits.services import visit_create

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def book(program, groups, start, end, title="Visit", day=DAY, host=None):
    return visit_create(
        program=program, groups=groups, title=title, host=host,
        starts_at=local(program, day, *start), ends_at=local(program, day, *end),
    )  # fmt: skip


def times(visit):
    fresh = SiteVisit.objects.get(pk=visit.pk)
    tz = fresh.program.tzinfo
    return f"{fresh.starts_at.astimezone(tz):%H:%M}–{fresh.ends_at.astimezone(tz):%H:%M}"


def move(client, program, **body):
    return client.post(url(program, "board/move/"), json.dumps(body), content_type="application/json")


def board(client, program):
    return client.get(url(program, "board/?day=2026-12-08")).content.decode()


# --- one block per visit ---------------------------------------------------------------


def test_a_visit_of_adjacent_groups_is_one_block_across_their_columns(client, program):
    first, second, _third = (ProjectGroupFactory(program=program, name=f"Group {n}") for n in (1, 2, 3))
    plenary = book(program, [first, second], (10,), (11,), "Plenary")

    body = board(client, program)

    assert body.count(f'data-visit="{plenary.pk}"') == 1
    block = re.search(rf'<a class="block[^"]*"\s+id="visit-{plenary.pk}".*?</a>', body, re.S).group(0)
    assert "block--wide" in block
    assert f'data-groups="{first.pk},{second.pk}" data-column="0" data-span="2"' in block
    assert "width: calc(66.667% - 6px)" in block
    assert "(Group 1, Group 2)" in block  # read out to screen readers


def test_a_visit_of_groups_apart_is_one_block_and_a_joined_part(client, program):
    first, _second, third = (ProjectGroupFactory(program=program, name=f"Group {n}") for n in (1, 2, 3))
    visit = book(program, [first, third], (10,), (11,), "Split")

    body = board(client, program)

    assert body.count(f'data-visit="{visit.pk}"') == 2
    assert body.count(f'id="visit-{visit.pk}"') == 1
    part = re.search(
        rf'<a class="block[^"]*block--part"\s+tabindex="-1" aria-hidden="true" data-visit="{visit.pk}"', body
    )
    assert part


def test_a_block_shows_the_whole_lines_its_height_holds(client, program, group):
    short = book(program, [group], (10,), (10, 30), "Short")
    long = book(program, [group], (12,), (14,), "Long")

    body = board(client, program)

    # 30 minutes is 1.6rem of the 3.2rem hour: one line of 1rem; two hours hold six.
    assert "--lines: 1" in re.search(rf'id="visit-{short.pk}".*?style="([^"]*)"', body, re.S).group(1)
    assert "--lines: 6" in re.search(rf'id="visit-{long.pk}".*?style="([^"]*)"', body, re.S).group(1)


# --- a dropped block ---------------------------------------------------------------------


def test_drop_on_a_free_slot_saves_and_says_so(client, program, group):
    visit = book(program, [group], (10,), (11,), "Astana Hub")

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=13 * 60 + 15, end=14 * 60 + 45)

    assert response.status_code == 200
    assert response.json()["message"] == "“Astana Hub” saved: 13:15–14:45."
    assert times(visit) == "13:15–14:45"
    assert SiteVisit.objects.get(pk=visit.pk).sequence == 1
    assert "Undo the move of “Astana Hub”" in board(client, program)


def test_drop_into_another_groups_column_moves_a_single_group_visit(client, program, group, other_group):
    visit = book(program, [group], (10,), (11,))

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=600, end=660, group=other_group.pk)

    assert response.status_code == 200
    assert list(VisitGroup.objects.filter(visit=visit).values_list("group_id", flat=True)) == [other_group.pk]


def test_drop_onto_a_clash_is_409_naming_visit_and_group_and_saves_nothing(client, program, group):
    taken = book(program, [group], (12,), (13,), "Nazarbayev University")
    visit = book(program, [group], (10,), (11,), "Astana Hub")

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=12 * 60 + 30, end=13 * 60 + 30)

    assert response.status_code == 409
    body = response.json()
    assert "Nazarbayev University" in body["detail"]
    assert body["conflicts"][0]["visit"] == taken.pk
    assert body["conflicts"][0]["visit_title"] == "Nazarbayev University"
    assert body["conflicts"][0]["group_name"] == group.name
    assert times(visit) == "10:00–11:00"
    assert not BoardAction.objects.exists()


def test_drop_gives_the_soft_warnings_at_once(client, program, group):
    visit = book(program, [group], (10,), (11,))

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=19 * 60, end=21 * 60)

    assert response.status_code == 200
    assert "outside 08:00–20:00" in response.json()["warnings"][0]


def test_resize_across_midnight_ends_on_the_next_day(client, program, group):
    visit = book(program, [group], (22,), (23,))

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=22 * 60, end=24 * 60 + 30)

    assert response.status_code == 200
    assert SiteVisit.objects.get(pk=visit.pk).ends_at == local(program, date(2026, 12, 9), 0, 30)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"visit": "x", "date": "2026-12-08", "start": 600, "end": 660}, "visit"),
        ({"visit": 999999, "date": "2026-12-08", "start": 600, "end": 660}, "visit"),
        ({"visit": None, "date": "2026-12-08", "start": 600.5, "end": 660}, "visit"),
        ({"date": "8 Dec", "start": 600, "end": 660}, "date"),
        ({"date": "2026-12-08", "start": -5, "end": 660}, "start"),
        ({"date": "2026-12-08", "start": True, "end": 660}, "start"),
        ({"date": "2026-12-08", "start": 600, "end": 10**9}, "end"),
        ({"date": "2026-12-08", "start": 700, "end": 600}, "ends_at"),
        ({"date": "2027-06-01", "start": 600, "end": 660}, "date"),
        ({"date": "9999-12-31", "start": 4000, "end": 4300}, "date"),
        ({"date": "2026-12-16", "start": 1400, "end": 1500}, "ends_at"),
        ({"date": "2026-12-08", "start": 600, "end": 660, "group": 999999}, "group"),
        ({"date": "2026-12-08", "start": 600, "end": 660, "group": 10**20}, "group"),
        ({"date": "2026-12-08", "start": 600, "end": 660, "group": -3}, "group"),
    ],
)
def test_drop_with_bad_input_is_400_naming_the_field(client, program, group, body, field):
    visit = book(program, [group], (10,), (11,))
    body = {"visit": visit.pk, **body} if "visit" not in body else body

    response = move(client, program, **body)

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert times(visit) == "10:00–11:00"


def _next_visit_id_from(first_id):
    table = SiteVisit._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first_id - 1])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first_id - 1, table])


def test_drop_of_a_visit_with_a_large_id_is_saved(client, program, group):
    # A long-lived database's visit ids pass any bound on minutes: an id is only a positive number.
    book(program, [group], (8,), (9,))
    _next_visit_id_from(100_000)
    visit = book(program, [group], (10,), (11,))
    assert visit.pk >= 100_000

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=720, end=780)

    assert response.status_code == 200, response.content
    assert times(visit) == "12:00–13:00"


@pytest.mark.parametrize("visit", [0, -1, 10**20])
def test_drop_of_no_such_visit_is_400_naming_the_visit(client, program, group, visit):
    response = move(client, program, visit=visit, date="2026-12-08", start=720, end=780)

    assert response.status_code == 400
    assert "visit" in response.json()["errors"]


def test_drop_that_is_not_json_is_400(client, program):
    response = client.post(url(program, "board/move/"), "visit=1", content_type="application/json")
    assert response.status_code == 400


def test_drop_of_a_visit_of_another_program_is_refused(client, program):
    elsewhere = ProgramFactory()
    foreign = book(elsewhere, [ProjectGroupFactory(program=elsewhere)], (10,), (11,))

    response = move(client, program, visit=foreign.pk, date="2026-12-08", start=600, end=720)

    assert response.status_code == 400
    assert times(foreign) == "10:00–11:00"


def test_a_visit_of_several_groups_moves_in_time_only(client, program, group, other_group):
    visit = book(program, [group, other_group], (10,), (11,))

    response = move(client, program, visit=visit.pk, date="2026-12-08", start=600, end=660, group=group.pk)

    assert response.status_code == 400
    assert "group" in response.json()["errors"]


def test_the_board_writes_need_an_organiser_of_the_program(anonymous, program, group):
    visit = book(program, [group], (10,), (11,))

    response = anonymous.post(
        url(program, "board/move/"), json.dumps({"visit": visit.pk, "date": "2026-12-08", "start": 700, "end": 760}),
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 302
    assert times(visit) == "10:00–11:00"


def test_the_board_writes_refuse_a_get(client, program):
    assert client.get(url(program, "board/move/")).status_code == 405
    assert client.get(url(program, "board/shift/")).status_code == 405


# --- shift, duplicate, undo forms ---------------------------------------------------------


def test_shift_form_moves_the_day_and_says_how_many(client, program, group, other_group):
    first = book(program, [group], (9,), (10,))
    second = book(program, [other_group], (11,), (12,))

    response = client.post(url(program, "board/shift/"), {"date": "2026-12-08", "minutes": "-30"}, follow=True)

    assert "2 visits moved by -30 minutes." in response.content.decode()
    assert (times(first), times(second)) == ("08:30–09:30", "10:30–11:30")


def test_shift_form_for_some_groups(client, program, group, other_group):
    first = book(program, [group], (9,), (10,))
    second = book(program, [other_group], (11,), (12,))

    client.post(url(program, "board/shift/"), {"date": "2026-12-08", "minutes": "15", "groups": [other_group.pk]})

    assert (times(first), times(second)) == ("09:00–10:00", "11:15–12:15")


def test_shift_form_on_a_day_without_visits_says_so(client, program, group):
    book(program, [group], (9,), (10,))

    response = client.post(url(program, "board/shift/"), {"date": "2026-12-09", "minutes": "60"}, follow=True)

    assert "No visit of that day to move." in response.content.decode()


def test_shift_form_clash_names_each_one(client, program, group, other_group):
    tomorrow = date(2026, 12, 9)
    book(program, [group], (23, 30), (23, 59), "Late talk")
    book(program, [group], (0, 0), (1, 0), "Night bus", day=tomorrow)
    book(program, [other_group], (23,), (23, 45), "Late dinner")
    book(program, [other_group], (0, 0), (0, 30), "Night tea", day=tomorrow)

    response = client.post(url(program, "board/shift/"), {"date": "2026-12-08", "minutes": "45"}, follow=True)

    text = response.content.decode()
    assert "Nothing was moved." in text
    assert "“Late talk” would meet “Night bus”" in text
    assert "“Late dinner” would meet “Night tea”" in text
    assert SiteVisit.objects.filter(sequence__gt=0).count() == 0


@pytest.mark.parametrize("minutes", ["", "abc", "0", "99999"])
def test_shift_form_bad_minutes_says_so(client, program, group, minutes):
    visit = book(program, [group], (9,), (10,))

    response = client.post(url(program, "board/shift/"), {"date": "2026-12-08", "minutes": minutes}, follow=True)

    assert 'class="message message--error"' in response.content.decode()
    assert times(visit) == "09:00–10:00"


def test_duplicate_form_copies_and_undo_removes_the_copy(client, program, group, other_group):
    source = book(program, [group], (10,), (11, 30), "Astana Hub")

    response = client.post(
        url(program, "board/duplicate/"),
        {"visit": source.pk, "date": "2026-12-09", "time": "15:00", "groups": [other_group.pk]},
        follow=True,
    )

    copy = SiteVisit.objects.exclude(pk=source.pk).get()
    assert "“Astana Hub” copied to" in response.content.decode()
    assert times(copy) == "15:00–16:30"
    assert list(copy.bookings.values_list("group_id", flat=True)) == [other_group.pk]

    response = client.post(url(program, "board/undo/"), {"date": "2026-12-09"}, follow=True)

    assert "Undone: the copy of “Astana Hub”." in response.content.decode()
    assert list(SiteVisit.objects.values_list("pk", flat=True)) == [source.pk]


def test_duplicate_form_onto_a_clash_copies_nothing(client, program, group):
    source = book(program, [group], (10,), (11,), "Astana Hub")

    response = client.post(
        url(program, "board/duplicate/"), {"visit": source.pk, "date": "2026-12-08", "time": "10:30"}, follow=True
    )

    assert "Nothing was copied." in response.content.decode()
    assert SiteVisit.objects.count() == 1


def test_undo_of_a_drop_puts_the_block_back(client, program, group):
    visit = book(program, [group], (10,), (11,), "Astana Hub")
    move(client, program, visit=visit.pk, date="2026-12-08", start=14 * 60, end=15 * 60)

    response = client.post(url(program, "board/undo/"), {"date": "2026-12-08"}, follow=True)

    assert "Undone: the move of “Astana Hub”." in response.content.decode()
    assert times(visit) == "10:00–11:00"
    assert "Undo the" not in response.content.decode()


def test_undo_with_nothing_to_undo_says_so(client, program):
    response = client.post(url(program, "board/undo/"), follow=True)
    assert "There is nothing to undo." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", ["Сдвинуть день", "Копировать визит", "15 минут"]), ("kk", ["Күнді ығыстыру", "Сапарды көшіру"])],
)
def test_the_boards_controls_speak_the_organisers_language(client, program, group, language, words):
    visit = book(program, [group], (10,), (11,), "Astana Hub")
    move(client, program, visit=visit.pk, date="2026-12-08", start=12 * 60, end=13 * 60)

    body = client.get(url(program, "board/?day=2026-12-08"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for word in words:
        assert word in body
    undo = "Отменить перемещение «Astana Hub»" if language == "ru" else "Қайтару: «Astana Hub» жылжыту"
    assert undo in body


# --- forged form values ----------------------------------------------------------------


@pytest.mark.parametrize("forged", ["²", "99999999999999999999999", "0", "abc"])
def test_shift_form_with_a_group_that_is_no_id_moves_nothing_and_says_so(client, program, group, forged):
    # A tick box holds a group's id; anything else was not sent by the board, and must not widen
    # the shift to every group either.
    visit = book(program, [group], (9,), (10,))

    response = client.post(
        url(program, "board/shift/"), {"date": "2026-12-08", "minutes": "30", "groups": [forged]}, follow=True
    )

    assert response.status_code == 200
    assert "No such group in this program." in response.content.decode()
    assert times(visit) == "09:00–10:00"


def test_shift_form_with_a_group_of_another_program_moves_nothing(client, program, group):
    visit = book(program, [group], (9,), (10,))
    foreign = ProjectGroupFactory(program=ProgramFactory())

    response = client.post(
        url(program, "board/shift/"),
        {"date": "2026-12-08", "minutes": "30", "groups": [group.pk, foreign.pk]},
        follow=True,
    )

    assert "No such group in this program." in response.content.decode()
    assert times(visit) == "09:00–10:00"


@pytest.mark.parametrize(("field", "forged"), [("visit", "²"), ("visit", "99999999999999999999999"), ("groups", "²")])
def test_duplicate_form_with_an_id_that_is_no_id_copies_nothing_and_says_so(client, program, group, field, forged):
    source = book(program, [group], (10,), (11,), "Astana Hub")
    body = {"visit": str(source.pk), "date": "2026-12-09", "time": "15:00", field: forged}

    response = client.post(url(program, "board/duplicate/"), body, follow=True)

    assert response.status_code == 200
    assert 'class="message message--error"' in response.content.decode()
    assert SiteVisit.objects.count() == 1


def test_drop_with_json_nested_too_deeply_is_400(client, program):
    response = client.post(url(program, "board/move/"), "[" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["The request is not JSON."]
