"""Surveys in the admin (read mostly; organisers work in the portal's pages)."""

from django.contrib import admin

from .models import Invitation, Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "visit", "opens_at", "closes_at", "sent_at")
    list_filter = ("program",)
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("participant", "survey", "sent_at", "nudges", "responded_at")
    list_filter = ("survey",)
    readonly_fields = ("token",)
