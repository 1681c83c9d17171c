"""Dates on the personal page as Russian and Kazakh write them: weekday and month in lower
case mid-sentence, the Russian month in the genitive after a day number."""

import pytest

from .conftest import schedule

pytestmark = pytest.mark.django_db


def page(client, participant, language):
    participant.language = language
    participant.save()
    return client.get(f"/i/{participant.access_token}/").content.decode()


def test_page_dates_in_russian_are_genitive_and_lower_case(client, program, group, participant, clock):
    schedule(program, [group], 1, 10, 12, title="Astana Hub")  # Tuesday 8 December 2026

    html = page(client, participant, "ru")

    assert 'id="day-2026-12-08">Вторник, 8 декабря</h3>' in html  # a heading starts with a capital
    assert "Astana, 7–16 декабря 2026" in html  # the month and year once
    assert "Декабрь" not in html
    assert "декабрь" not in html


def test_page_dates_in_kazakh_put_the_day_first_in_lower_case(client, program, group, participant):
    schedule(program, [group], 1, 10, 12, title="Astana Hub")

    html = page(client, participant, "kk")

    assert 'id="day-2026-12-08">8 желтоқсан, сейсенбі</h3>' in html
    assert "Astana, 2026 жылғы 7–16 желтоқсан" in html  # the year first, once
    assert "Желтоқсан" not in html
