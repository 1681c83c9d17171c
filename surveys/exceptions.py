"""Domain errors of surveys, turned into a page message or a 4xx once, in the views."""


class SurveyClosed(Exception):
    """The survey does not take answers now (not open yet, or closed)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
