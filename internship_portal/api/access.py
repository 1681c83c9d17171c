"""Who may call the API, and which programs they see: used by every API view.

- API clients: `read` scope → safe methods only (403 on writes); a client limited
  to programs sees only those (others answer 404, as if they did not exist).
- Browser sessions: organisers (superusers, members of the `organisers` group),
  limited to the programs they organise.
- Nobody else: 401 without credentials, 403 with a session that organises nothing.

A partner app's token makes `request.auth` its client (partners.authentication,
configured in settings): an object with `is_api_client`, `can_read`, `can_write`,
`program_ids()` and `visible_programs(queryset)`. The kit asks the client, so
that it imports no app above programs.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from programs.models import Program
from programs.selectors import programs_for_organiser, user_is_organiser


def api_client_of(request) -> Any | None:
    """The partner app's client behind a token, or None for a browser session."""
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_api_client", False) else None


class PortalApiPermission(BasePermission):
    message = _("You do not organise any program; ask an administrator for access.")

    def has_permission(self, request, view) -> bool:
        client = api_client_of(request)
        if client is not None:
            if request.method in SAFE_METHODS:
                return client.can_read
            if not client.can_write:
                self.message = _("This token has the read scope only; writing needs a token with the write scope.")
                return False
            return True
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return user_is_organiser(user=user)


def request_programs(request) -> QuerySet[Program]:
    """The programs the caller may see."""
    client = api_client_of(request)
    if client is not None:
        return client.visible_programs(Program.objects.prefetch_related("topics"))
    return programs_for_organiser(user=request.user)


def request_is_program_limited(request) -> bool:
    """True for a client limited to listed programs: it cannot create new programs."""
    client = api_client_of(request)
    return client is not None and client.program_ids() is not None


class ProgramScopedMixin:
    """For views under /programs/{program_slug}/: the program, or 404 if the caller may not see it."""

    program_url_kwarg = "program_slug"

    @property
    def program(self) -> Program:
        if not hasattr(self, "_program"):
            programs = request_programs(self.request).prefetch_related(None)
            self._program = get_object_or_404(programs, slug=self.kwargs[self.program_url_kwarg])
        return self._program
