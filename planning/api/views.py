"""Host windows, visit requests and proposals of a program in the API; every write goes through
planning.services."""

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
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "program" in context:
            context["tzinfo"] = context["program"].tzinfo
        return context


@extend_schema_view(
    list=extend_schema(summary="List the host windows of a program"),
    retrieve=extend_schema(summary="Read one host window"),
    create=extend_schema(
        summary="Say when a host can receive groups, and how many at once",
        request=WindowInputSerializer,
        responses={201: WindowOutputSerializer},
    ),
    update=extend_schema(
        summary="Replace a host window", request=WindowInputSerializer, responses={200: WindowOutputSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a host window", request=WindowInputSerializer, responses={200: WindowOutputSerializer}
    ),
    destroy=extend_schema(summary="Remove a host window", responses={204: None}),
)
class HostWindowViewSet(_ProgramCrud):
    serializer_class = WindowOutputSerializer
    input_serializer_class = WindowInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HostWindow.objects.none()
        return windows_of_program(program=self.program)

    def create(self, request, *args, **kwargs):
        window = window_create(program=self.program, **self.parse(partial=False))
        return self.output(window, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        window = window_update(window=self.get_object(), **self.parse(partial=partial))
        return self.output(window)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        window_delete(window=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List the visit requests of a program"),
    retrieve=extend_schema(summary="Read one visit request"),
    create=extend_schema(
        summary="Ask for a visit: groups, host, duration, must or should, optional dates",
        request=RequestInputSerializer,
        responses={201: RequestOutputSerializer},
    ),
    update=extend_schema(
        summary="Replace a visit request", request=RequestInputSerializer, responses={200: RequestOutputSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a visit request", request=RequestInputSerializer, responses={200: RequestOutputSerializer}
    ),
    destroy=extend_schema(summary="Withdraw a visit request", responses={204: None}),
)
class VisitRequestViewSet(_ProgramCrud):
    serializer_class = RequestOutputSerializer
    input_serializer_class = RequestInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VisitRequest.objects.none()
        return requests_of_program(program=self.program)

    def create(self, request, *args, **kwargs):
        data = self.parse(partial=False)
        groups = data.pop("groups")
        visit_request = request_create(program=self.program, groups=groups, **data)
        return self.output(visit_request, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        data = self.parse(partial=kwargs.get("partial", False))
        groups = data.pop("groups", None)
        visit_request = request_update(request=self.get_object(), groups=groups, **data)
        return self.output(visit_request)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        request_delete(request=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List the proposals of a program, newest first"),
    retrieve=extend_schema(summary="Read a proposal: its status, visits, unplaced requests with reasons, stats"),
    create=extend_schema(
        summary="Ask for a proposed schedule (solved on the planning queue; poll the proposal)",
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
