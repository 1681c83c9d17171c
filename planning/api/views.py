"""Host windows, visit requests and proposals of a program in the API; every write goes through
planning.services."""

from collections.abc import Callable

from django.db.models import Model
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from internship_portal.api.views import ProgramChildViewSet
from planning.models import HostWindow, Proposal, VisitRequest
from planning.selectors import proposals_of_program, requests_of_program, windows_of_program
from planning.services import (
    proposal_apply,
    proposal_create,
    request_create,
    request_delete,
    request_update,
    window_create,
    window_delete,
    window_update,
)

from .serializers import (
    AppliedSerializer,
    ProposalInputSerializer,
    ProposalOutputSerializer,
    ProposalQueuedSerializer,
    RequestInputSerializer,
    RequestOutputSerializer,
    WindowInputSerializer,
    WindowOutputSerializer,
)


class _ProgramCrud(ProgramChildViewSet):
    # Each write goes through one service: create_service(program=..., **fields),
    # update_service(<instance_kwarg>=..., **fields), delete_service(<instance_kwarg>=...),
    # the fields read by input_serializer_class (a PATCH passes only those it was sent).
    # A comment, not a docstring: the schema would show a docstring as every operation's description.
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    create_service: Callable[..., Model]
    update_service: Callable[..., Model]
    delete_service: Callable[..., None]
    instance_kwarg: str

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "program" in context:
            context["tzinfo"] = context["program"].tzinfo
        return context

    def create(self, request, *args, **kwargs):
        created = self.create_service(program=self.program, **self.parse(partial=False))
        return self.output(created, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        changed = self.update_service(
            **{self.instance_kwarg: instance}, **self.parse(partial=kwargs.get("partial", False))
        )
        return self.output(changed)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self.delete_service(**{self.instance_kwarg: self.get_object()})
        return Response(status=status.HTTP_204_NO_CONTENT)


def _crud_schema(*, list_: str, retrieve: str, create: str, update: str, partial_update: str, destroy: str):
    """The documented operations of a `_ProgramCrud` view set: these summaries, its input
    serializer as the body of every write and its output serializer as the answer."""

    def decorate(viewset: type[_ProgramCrud]) -> type[_ProgramCrud]:
        body, answer = viewset.input_serializer_class, viewset.serializer_class
        return extend_schema_view(
            list=extend_schema(summary=list_),
            retrieve=extend_schema(summary=retrieve),
            create=extend_schema(summary=create, request=body, responses={201: answer}),
            update=extend_schema(summary=update, request=body, responses={200: answer}),
            partial_update=extend_schema(summary=partial_update, request=body, responses={200: answer}),
            destroy=extend_schema(summary=destroy, responses={204: None}),
        )(viewset)

    return decorate


@_crud_schema(
    list_="List the host windows of a program",
    retrieve="Read one host window",
    create="Say when a host can receive groups, and how many at once",
    update="Replace a host window",
    partial_update="Change a host window",
    destroy="Remove a host window",
)
class HostWindowViewSet(_ProgramCrud):
    serializer_class = WindowOutputSerializer
    input_serializer_class = WindowInputSerializer
    create_service = staticmethod(window_create)
    update_service = staticmethod(window_update)
    delete_service = staticmethod(window_delete)
    instance_kwarg = "window"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HostWindow.objects.none()
        return windows_of_program(program=self.program)


@_crud_schema(
    list_="List the visit requests of a program",
    retrieve="Read one visit request",
    create="Ask for a visit: groups, host, duration, must or should, optional dates",
    update="Replace a visit request",
    partial_update="Change a visit request",
    destroy="Withdraw a visit request",
)
class VisitRequestViewSet(_ProgramCrud):
    serializer_class = RequestOutputSerializer
    input_serializer_class = RequestInputSerializer
    create_service = staticmethod(request_create)
    update_service = staticmethod(request_update)  # without "groups" in the body, the groups stay
    delete_service = staticmethod(request_delete)
    instance_kwarg = "request"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VisitRequest.objects.none()
        return requests_of_program(program=self.program)


@extend_schema_view(
    list=extend_schema(summary="List the proposals of a program, newest first"),
    retrieve=extend_schema(summary="Read a proposal: its status, visits, unplaced requests with reasons, stats"),
    create=extend_schema(
        summary=(
            "Ask for a proposed schedule (solved on the planning queue; poll the proposal). One at a time "
            "per program: 409 naming `proposal` while another is queued or running"
        ),
        request=ProposalInputSerializer,
        responses={202: ProposalQueuedSerializer},
    ),
    apply=extend_schema(
        summary="Put a proposal on the board (409 with the changed visits if the board changed since)",
        request=None,
        responses={200: AppliedSerializer},
    ),
)
class ProposalViewSet(ProgramChildViewSet):
    serializer_class = ProposalOutputSerializer
    input_serializer_class = ProposalInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return proposals_of_program(program=self.program).select_related("program")

    def create(self, request, *args, **kwargs):
        data = self.parse(partial=False)
        proposal = proposal_create(program=self.program, user=request.user, **data)
        proposal.refresh_from_db(fields=["status"])  # the embedded default solved it already
        return Response({"id": proposal.pk, "status": proposal.status}, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def apply(self, request, *args, **kwargs):
        ids = proposal_apply(proposal=self.get_object())
        return Response({"visits": ids})
