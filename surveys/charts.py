"""Bar charts drawn on the server as inline SVG: no script, readable in print and by screen readers.

`bar_chart` takes (label, value) pairs and returns safe SVG markup: one labelled row per bar,
the bar's length proportional to its value (the longest bar, or `scale_max`, spans the plot),
the value written after it. The chart is `role="img"` named by its `<title>` and described by a
`<desc>` that lists every label with its value, so a screen reader hears the whole table; each
row also carries its full label as a tooltip. Survey results, the feedback comparison and any
other report (attendance, outcomes) draw their charts with it, or with the `{% bar_chart %}`
template tag (surveys/templatetags/survey_charts.py).
"""

import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640  # the viewBox's width; the SVG scales to its container
VALUE_SPACE = 64  # room after the longest bar for its value
PLOT = WIDTH - VALUE_SPACE
ROW = 46  # label line + bar + gap
BAR = 20
LABEL_CHARS = 80  # longer labels are cut on the picture (the description and tooltip keep them whole)


def _number(value: float | int | Decimal, decimals: int) -> str:
    if decimals == 0:
        return str(round(value))
    return f"{value:.{decimals}f}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text) or "chart"


def bar_chart(
    bars: Iterable[tuple[str, float | int | Decimal]],
    *,
    title: str,
    chart_id: str | int,
    scale_max: float | None = None,
    decimals: int = 0,
    highlight: str | None = None,
) -> SafeString:
    """An SVG bar chart of these (label, value) pairs, in their order.

    `scale_max` fixes the value of a full-length bar (5 for average ratings); by default it is
    the largest value. `decimals` is how values are written. A bar whose label is `highlight`
    is drawn darker. The SVG's id is `chart-<chart_id>`. Labels and the title are escaped."""
    rows = [(str(label), max(0.0, float(value))) for label, value in bars]
    chart_id = f"chart-{_safe_id(str(chart_id))}"
    top = float(scale_max) if scale_max else max((value for _label, value in rows), default=0.0)
    height = max(ROW, ROW * len(rows))
    description = "; ".join(f"{label}: {_number(value, decimals)}" for label, value in rows) or _("No data yet.")
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" data-scale-max="{top:g}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(rows):
        y = index * ROW
        length = round(PLOT * value / top, 2) if top else 0
        shown = _number(value, decimals)
        tone = " chart__bar--highlight" if highlight is not None and label == highlight else ""
        parts.append(
            f'<g class="chart__row" data-label="{escape(label)}" data-value="{shown}">'
            f"<title>{escape(label)}: {shown}</title>"
            f'<text class="chart__label" x="0" y="{y + 14}" font-size="14" fill="#1b1b1b">'
            f"{escape(_short(label))}</text>"
            f'<rect class="chart__track" x="0" y="{y + 20}" width="{PLOT}" height="{BAR}" fill="#eef1f5"/>'
            f'<rect class="chart__bar{tone}" x="0" y="{y + 20}" width="{length:g}" height="{BAR}" '
            f'fill="{"#0b3d73" if tone else "#1f5fa8"}" data-value="{shown}"/>'
            f'<text class="chart__value" x="{length + 6:g}" y="{y + 35}" font-size="14" font-weight="700" '
            f'fill="#1b1b1b">{shown}</text>'
            "</g>"
        )
    if not rows:
        parts.append(f'<text x="0" y="24" font-size="14" fill="#595959">{escape(description)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text inside was escaped above
