"""The API's JSON parser: DRF's, refusing bodies nested too deeply to handle (400, not a 500).

Python's json module recurses once per level and fails with RecursionError near a
thousand levels; what parses below that can still overflow whatever walks it
next (a serializer, an error message). No body the API takes is nested more than
a few levels, so MAX_DEPTH leaves ample room and keeps every later walk shallow.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _deeper_than(value, limit: int) -> bool:
    """True if objects and arrays nest more than `limit` levels (without recursing)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class PortalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("JSON parse error: objects and arrays may be nested at most %d levels deep.") % MAX_DEPTH
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(message) from exc
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(message)
        return data
