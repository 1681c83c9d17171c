"""`{% bar_chart bars title=... chart_id=... %}`: surveys.charts.bar_chart in a template."""

from django import template

from surveys.charts import bar_chart as draw

register = template.Library()


@register.simple_tag
def bar_chart(bars, *, title: str, chart_id, scale_max=None, decimals: int = 0, highlight=None):
    """Draw (label, value) pairs, or a mapping of label → value, as an SVG bar chart."""
    if hasattr(bars, "items"):
        bars = bars.items()
    return draw(bars, title=title, chart_id=chart_id, scale_max=scale_max, decimals=decimals, highlight=highlight)
