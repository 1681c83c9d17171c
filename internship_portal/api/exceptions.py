"""The API's single translation point from errors to HTTP answers.

- a domain conflict (internship_portal.errors.Conflict: a double booking, a closed survey)
  → 409 {"detail", **details}: a double booking adds "conflicts": [{visit, group, starts_at, ends_at}]
- django ValidationError (raised by services) and DRF's own → 400 {"detail", "errors": {field: [messages]}}
- IntegrityError (two writers racing past a uniqueness check) → 409 {"detail"}
- a refused input (internship_portal.errors.InputRefused: an uploaded file refused as a whole)
  → 400 {"detail", "errors": {field: [message]}}
- everything DRF knows (401, 403, 404, 405, 406, 415, 429 with Retry-After) keeps its
  status; the body is always a JSON object with a `detail`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from internship_portal.errors import Conflict, InputRefused


def _summary(errors) -> str:
    """'Invalid input: field: first message; other: …' — the problem named in one line."""
    parts = []
    if isinstance(errors, dict):
        for name, messages in errors.items():
            first = messages
            while isinstance(first, list | dict) and first:
                first = first[0] if isinstance(first, list) else next(iter(first.values()))
            parts.append(f"{name}: {first}" if name != "non_field_errors" else str(first))
    elif isinstance(errors, list) and errors:
        parts.append(str(errors[0]))
    return _("Invalid input") + (": " + "; ".join(parts) if parts else ".")


def api_exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, **exc.details()}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("The change conflicts with data written at the same time; reload and try again.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, InputRefused):
        return Response({"detail": str(exc), "errors": {exc.field: [str(exc)]}}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": _summary(errors), "errors": errors}
    elif not (isinstance(data, dict) and "detail" in data):
        response.data = {"detail": _summary(data), "errors": data}
    return response
