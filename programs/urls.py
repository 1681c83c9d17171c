"""The front door (`/`), logout, and the organiser's programs list (login: accounts/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

# Included under /organiser/ with the namespace "programs".
organiser_patterns = (
    [path("", views.program_list, name="list")],
    "programs",
)
