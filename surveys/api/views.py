"""Surveys in the API: CRUD of surveys and questions under a program, send (202), results.

Writes go through surveys.services; SurveyClosed answers 409 with its message (api.exceptions)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from internship_portal.api.access import PortalApiPermission, ProgramScopedMixin
from surveys.models import Question, Survey
from surveys.selectors import survey_results
from surveys.services import (
    question_create,
    question_delete,
    question_update,
    survey_create,
    survey_delete,
    survey_send,
    survey_update,
)

from .serializers import (
    QuestionInputSerializer,
    QuestionSerializer,
    ResultsSerializer,
    SurveyInputSerializer,
    SurveyOutputSerializer,
)


class _SurveyBase(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    def surveys(self):
        return Survey.objects.filter(program=self.program).prefetch_related("questions").order_by("opens_at", "id")

    def survey(self, survey_id: int) -> Survey:
        return get_object_or_404(self.surveys(), pk=survey_id)

    def parse(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, context={"program": self.program})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def shown(self, surveys, **kwargs) -> dict | list:
        return SurveyOutputSerializer(surveys, context={"tzinfo": self.program.tzinfo}, **kwargs).data

    def output(self, survey: Survey, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.shown(self.survey(survey.pk)), status=code)


class SurveyListView(_SurveyBase):
    @extend_schema(summary="List the program's surveys", responses=SurveyOutputSerializer(many=True))
    def get(self, request, program_slug: str):
        return Response(self.shown(self.surveys(), many=True))

    @extend_schema(
        summary="Create a survey (with its questions)",
        request=SurveyInputSerializer,
        responses={201: SurveyOutputSerializer},
    )
    def post(self, request, program_slug: str):
        data = self.parse(SurveyInputSerializer)
        questions = [dict(question) for question in data.pop("questions", [])]
        survey = survey_create(program=self.program, questions=questions, **data)
        return self.output(survey, status.HTTP_201_CREATED)


class SurveyDetailView(_SurveyBase):
    @extend_schema(summary="Read a survey", responses=SurveyOutputSerializer)
    def get(self, request, program_slug: str, survey_id: int):
        return Response(self.shown(self.survey(survey_id)))

    @extend_schema(summary="Change a survey", request=SurveyInputSerializer, responses=SurveyOutputSerializer)
    def patch(self, request, program_slug: str, survey_id: int):
        survey = self.survey(survey_id)
        data = self.parse(SurveyInputSerializer, partial=True)
        data.pop("questions", None)
        return self.output(survey_update(survey=survey, **data))

    @extend_schema(summary="Delete a survey and its answers", responses={204: None})
    def delete(self, request, program_slug: str, survey_id: int):
        survey_delete(survey=self.survey(survey_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuestionListView(_SurveyBase):
    @extend_schema(summary="Add a question", request=QuestionInputSerializer, responses={201: QuestionSerializer})
    def post(self, request, program_slug: str, survey_id: int):
        survey = self.survey(survey_id)
        question = question_create(survey=survey, **self.parse(QuestionInputSerializer))
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class QuestionDetailView(_SurveyBase):
    def question(self, survey_id: int, question_id: int) -> Question:
        return get_object_or_404(Question.objects.filter(survey=self.survey(survey_id)), pk=question_id)

    @extend_schema(summary="Change a question", request=QuestionInputSerializer, responses=QuestionSerializer)
    def patch(self, request, program_slug: str, survey_id: int, question_id: int):
        question = self.question(survey_id, question_id)
        question = question_update(question=question, **self.parse(QuestionInputSerializer, partial=True))
        return Response(QuestionSerializer(question).data)

    @extend_schema(summary="Remove a question", responses={204: None})
    def delete(self, request, program_slug: str, survey_id: int, question_id: int):
        question_delete(question=self.question(survey_id, question_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SurveySendView(_SurveyBase):
    @extend_schema(
        summary="E-mail the invitations (everyone not invited yet)",
        request=None,
        responses={202: inline_serializer("InvitationsQueued", {"queued": serializers.IntegerField()})},
    )
    def post(self, request, program_slug: str, survey_id: int):
        survey = self.survey(survey_id)
        count = survey_send(survey=survey, actor=request.user)  # SurveyClosed: 409 (api.exceptions)
        return Response({"queued": count}, status=status.HTTP_202_ACCEPTED)


class SurveyResultsView(_SurveyBase):
    @extend_schema(
        summary="Invited, responded, and per question the average and distribution or the answers",
        responses=ResultsSerializer,
    )
    def get(self, request, program_slug: str, survey_id: int):
        return Response(ResultsSerializer(survey_results(survey=self.survey(survey_id))).data)
