"""The API's single translation point from errors to HTTP answers.

- a domain conflict (internship_portal.errors.Conflict: a double booking, a closed survey)
  → 409 {"detail", **details}: a double booking adds "conflicts": [{visit, group, starts_at, ends_at}]
- django ValidationError (raised by services) and DRF's own → 400 {"detail", "errors": {field: [messages]}}
- IntegrityError (two writers racing past a uniqueness check) → 409 {"detail"}
- a refused input (internship_portal.errors.InputRefused: an uploaded file refused as a whole)
  → 400 {"detail", "errors": {field: [message]}}
- a body above DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig) → 413 {"detail"}
- everything DRF knows (401, 403, 404, 405, 406, 415, 429 with Retry-After) keeps its
  status; the body is always a JSON object with a `detail`.

What never reaches a DRF view (an address no route matches, a failure outside the
view) is answered by Django's error handlers; `bad_request`, `permission_denied`,
`page_not_found` and `server_error` (the root URLconf's handler400/403/404/500)
answer the same JSON under /api/ and keep the portal's HTML pages elsewhere.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
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


API_PREFIX = "/api/"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(_("The request body is too large: at most %(limit)d bytes are accepted.") % {"limit": limit})


def api_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
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


# --- Django's error handlers (the root URLconf's handler400/403/404/500) --------------------


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json_error(code: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=code)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        error = RequestTooLarge()
        return _json_error(error.status_code, str(error.detail))
    return _json_error(status.HTTP_400_BAD_REQUEST, _("Bad request: the request could not be read."))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _json_error(status.HTTP_403_FORBIDDEN, str(exceptions.PermissionDenied.default_detail))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return _json_error(status.HTTP_404_NOT_FOUND, str(exceptions.NotFound.default_detail))


def server_error(request: HttpRequest) -> HttpResponse:
    if not _is_api(request):
        return defaults.server_error(request)
    return _json_error(
        status.HTTP_500_INTERNAL_SERVER_ERROR, _("Server error: the request failed on our side and was not completed.")
    )
