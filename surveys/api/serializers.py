"""Survey API shapes: explicit fields, input apart from output.

Input is strict like the rest of the API: unknown fields and times without an offset answer 400."""

from rest_framework import serializers

from internship_portal.api.fields import AwareDateTimeField, LocalDateTimeField, StrictSerializer
from internship_portal.api.translations import TranslatedSerializerMixin
from surveys.enums import QuestionKind
from surveys.models import Question, Survey
from visits.models import SiteVisit


class QuestionSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "choices", "required"]
        read_only_fields = ["id"]


class QuestionInputSerializer(TranslatedSerializerMixin, StrictSerializer):
    translated = ("text", "choices")

    position = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField(max_length=500)
    choices = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    required = serializers.BooleanField(required=False)


class SurveyOutputSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    """Times in the program's zone (`tzinfo` in the context), like the visits'."""

    opens_at = LocalDateTimeField()
    closes_at = LocalDateTimeField()
    sent_at = LocalDateTimeField(allow_null=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "intro", "visit", "opens_at", "closes_at", "send_after_hours", "sent_at", "questions"]


class SurveyInputSerializer(TranslatedSerializerMixin, StrictSerializer):
    translated = ("title", "intro")

    title = serializers.CharField(max_length=300)
    intro = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    visit = serializers.PrimaryKeyRelatedField(queryset=SiteVisit.objects.none(), required=False, allow_null=True)
    opens_at = AwareDateTimeField(
        help_text="With its offset (e.g. 2026-12-01T09:00:00+05:00); at most a year before the program starts."
    )
    closes_at = AwareDateTimeField(help_text="With its offset; after it opens.")
    send_after_hours = serializers.IntegerField(
        min_value=0, max_value=24 * 60, required=False, allow_null=True, help_text="Only for a survey about a visit."
    )
    questions = QuestionInputSerializer(many=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.context.get("program")
        if program is not None:
            self.fields["visit"].queryset = SiteVisit.objects.filter(program=program)


class ResultsQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    answered = serializers.IntegerField()
    average = serializers.FloatField(required=False, allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField(), required=False)
    answers = serializers.ListField(child=serializers.CharField(), required=False)


class ResultsSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    responded = serializers.IntegerField()
    questions = ResultsQuestionSerializer(many=True)
