"""The base of the portal's domain errors that mean "conflicts with the current state".

Services raise subclasses of `Conflict` (a double booking, a closed survey, ...);
the API's exception handler (internship_portal.api.exceptions) is the one place
that turns them into 409 `{"detail": message, **details()}`, and forms show their
message. Apps subclass it without importing each other.
"""


class InputRefused(Exception):
    """An input refused as a whole (e.g. an uploaded file that cannot be read): 400 naming `field`."""

    field = "non_field_errors"


class Conflict(Exception):
    """The request is valid but conflicts with the current state."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__

    def details(self) -> dict:
        """What the API adds beside `detail` (e.g. every clash found)."""
        return {}
