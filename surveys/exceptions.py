"""Domain errors of surveys: a page message in the views, a 409 in the API's exception handler."""

from internship_portal.errors import Conflict


class SurveyClosed(Conflict):
    """The survey does not take answers now (not open yet, or closed)."""
