"""Routes of programs in the API (included under /api/v1/)."""

from django.urls import path

from .views import ProgramViewSet

programs = ProgramViewSet.as_view({"get": "list", "post": "create"})
program = ProgramViewSet.as_view({"get": "retrieve", "patch": "partial_update"})

urlpatterns = [
    path("programs/", programs, name="program-list"),
    path("programs/<slug:program_slug>/", program, name="program-detail"),
]
