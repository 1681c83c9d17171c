"""Routes: the host contact's link (mounted at the site root) and the organiser's pages
(under /organiser/programs/<slug>/)."""

from django.urls import path, re_path

from . import views

app_name = "hosting"

# Tokens are URL-safe base64 (participants.tokens); anything else cannot be one.
HOST_LINK = r"(?P<token>[A-Za-z0-9_-]{1,64})"

host_patterns = [
    re_path(rf"^h/{HOST_LINK}/$", views.host_page, name="host-page"),
    re_path(rf"^h/{HOST_LINK}/visits/(?P<visit_id>[0-9]{{1,18}})/answer/$", views.host_answer, name="host-answer"),
    re_path(
        rf"^h/{HOST_LINK}/visits/(?P<visit_id>[0-9]{{1,18}})/visitors/$", views.host_visitors, name="host-visitors"
    ),
    re_path(
        rf"^h/{HOST_LINK}/visits/(?P<visit_id>[0-9]{{1,18}})/visitors\.csv$",
        views.host_visitors_csv,
        name="host-visitors-csv",
    ),
]

organiser_patterns = [
    path("organiser/programs/<slug:slug>/hosts/confirmations/", views.confirmations, name="confirmations"),
    path("organiser/programs/<slug:slug>/hosts/visitor-details/", views.visitor_details, name="visitor-details"),
]

urlpatterns = host_patterns + organiser_patterns
