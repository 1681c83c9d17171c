"""Organiser pages at the top: the front door and the programs list.

Also the access rule every organiser page shares (`organiser_required`,
`program_for`): login required; only organisers (and superusers) get in;
a program the user does not organise is a 404, as if it did not exist.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .models import Program
from .selectors import programs_for_organiser, programs_overview, user_is_organiser


def organiser_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; logged-in non-organisers get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_organiser(user=request.user):
            raise PermissionDenied("Only organisers may open this page.")
        return view(request, *args, **kwargs)

    return wrapper


def program_for(request: HttpRequest, slug: str) -> Program:
    """The program with this slug if the user organises it, else 404."""
    return get_object_or_404(programs_for_organiser(user=request.user).prefetch_related(None), slug=slug)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if user_is_organiser(user=request.user):
        return redirect("programs:list")
    if request.user.is_authenticated:
        raise PermissionDenied("Only organisers may open the organiser pages.")
    return redirect("login")


@require_GET
@organiser_required
def program_list(request: HttpRequest) -> HttpResponse:
    programs = programs_overview(user=request.user)
    return render(request, "organiser/program_list.html", {"programs": programs})
