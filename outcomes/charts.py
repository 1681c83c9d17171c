"""Small server-side SVG bar charts for the outcome report (PDF and pages): no JavaScript,
no image files; WeasyPrint draws inline SVG."""

from django.utils.html import escape

BAR_HEIGHT = 16
GAP = 6
LABEL_WIDTH = 150
VALUE_WIDTH = 40


def bar_chart_svg(
    *, bars: list[tuple[str, float]], width: int = 460, maximum: float | None = None, unit: str = ""
) -> str:
    """Horizontal bars, one per (label, value), the value written at the end of each bar."""
    if not bars:
        return ""
    top = maximum if maximum is not None else max((value for _label, value in bars), default=0)
    top = top or 1
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="chart">'
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = max(0.0, min(1.0, value / top)) * plot
        shown = f"{value:g}{unit}"
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 4}" text-anchor="end" font-size="10" '
            f'font-family="DejaVu Sans, sans-serif" fill="#1d2a36">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="#0b4f6c"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 4}" font-size="10" '
            f'font-family="DejaVu Sans, sans-serif" fill="#1d2a36">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
