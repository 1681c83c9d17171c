"""Routes of check-in, certificates and their verification, mounted at the site root."""

from django.urls import path, re_path

from itinerary.urls import PERSONAL_LINK

from . import views

urlpatterns = [
    re_path(rf"^i/{PERSONAL_LINK}/check-in/$", views.checkin_page, name="outcomes-checkin"),
    re_path(rf"^i/{PERSONAL_LINK}/check-in/marks/$", views.checkin_marks, name="outcomes-checkin-marks"),
    re_path(rf"^i/{PERSONAL_LINK}/certificate\.pdf$", views.certificate_download, name="outcomes-certificate"),
    path("verify/<str:code>/", views.verify, name="outcomes-verify"),
]
