"""The server-drawn SVG bar chart: lengths proportional to the values, labelled, escaped, described."""

import html
import re

from surveys.charts import PLOT, bar_chart


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect class="chart__bar[^"]*" [^>]*width="([\d.]+)"', svg)]


def test_bar_lengths_are_proportional_to_the_counts():
    svg = bar_chart([("Talks", 2), ("Tour", 8), ("Q&A", 0), ("Lunch", 5)], title="Most useful", chart_id=7)

    assert widths(svg) == [PLOT * 2 / 8, PLOT, 0, PLOT * 5 / 8]
    assert '<svg class="chart" id="chart-7" role="img" aria-labelledby="chart-7-title chart-7-desc"' in svg
    assert '<desc id="chart-7-desc">Talks: 2; Tour: 8; Q&amp;A: 0; Lunch: 5</desc>' in svg
    assert re.findall(r'class="chart__value"[^>]*>(\d+)<', svg) == ["2", "8", "0", "5"]


def test_a_fixed_scale_draws_averages_out_of_five():
    svg = bar_chart(
        [("Astana Hub", 4.5), ("Nazarbayev University", 2.25)], title="Average", chart_id="v", scale_max=5, decimals=2
    )

    assert widths(svg) == [PLOT * 0.9, PLOT * 0.45]
    assert "Astana Hub: 4.50" in svg


def test_labels_are_escaped_and_long_ones_cut_on_the_picture_only():
    label = "<script>alert(1)</script>" + "x" * 200

    svg = bar_chart([(label, 1)], title="<b>t</b>", chart_id='"><img', highlight=label)

    assert not any(tag in svg for tag in ("<script>", "<b>", "<img"))
    assert 'id="chart----img"' in svg
    shown = re.search(r'class="chart__label"[^>]*>([^<]*)<', svg).group(1)
    assert shown.endswith("…")
    assert len(html.unescape(shown)) == 80
    assert "x" * 200 in svg  # the whole label stays in the description and tooltip
    assert "chart__bar--highlight" in svg


def test_an_empty_chart_says_so_and_draws_no_bar():
    svg = bar_chart([], title="Per visit", chart_id="visits")

    assert widths(svg) == []
    assert "No data yet." in svg


def test_all_zero_counts_draw_zero_length_bars():
    assert widths(bar_chart([("1", 0), ("2", 0)], title="t", chart_id="z")) == [0, 0]
