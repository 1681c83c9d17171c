"""The portal's favicon: linked from every page of the layout and served by WhiteNoise
under its hashed name, as in production (collectstatic, compressed manifest storage)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.factories import ParticipantFactory

from .conftest import url

pytestmark = pytest.mark.django_db

ICON = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


def icon_href(response) -> str:
    links = ICON.findall(response.content.decode())
    assert len(links) == 1, links
    return links[0]


def test_login_and_organiser_pages_link_the_favicon(client, program, anonymous):
    assert icon_href(anonymous.get("/login/")) == "/static/portal/favicon.svg"
    assert icon_href(client.get(url(program))) == "/static/portal/favicon.svg"


def test_favicon_is_served_by_whitenoise_under_its_hashed_name(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="localhost")  # a new client builds WhiteNoise over the new STATIC_ROOT

    href = icon_href(client.get("/login/"))
    response = client.get(href)

    assert re.fullmatch(r"/static/portal/favicon\.[0-9a-f]{12}\.svg", href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<title>Internship Portal</title>" in b"".join(response.streaming_content)


def test_participant_pages_link_one_icon(program):
    user = get_user_model().objects.create_user(username="andrey", password="x")
    participant = ParticipantFactory(program=program, user=user)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    assert icon_href(client.get(f"/i/{participant.access_token}/")) == "/static/itinerary/icon.svg"
    assert icon_href(client.get("/me/")) == "/static/itinerary/icon.svg"
    assert icon_href(Client(HTTP_HOST="localhost").get("/i/unknown-token/")) == "/static/portal/favicon.svg"
