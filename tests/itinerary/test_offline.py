"""The web app manifest and the service worker that keep the personal page offline."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'addEventListener("fetch"' in body
    assert "data-served-by" in body  # marks a copy served offline


def test_site_manifest_opens_me(client):
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/me/"
    assert manifest["display"] == "standalone"
    assert {icon["type"] for icon in manifest["icons"]} == {"image/svg+xml"}


def test_personal_manifest_opens_the_personal_page_in_the_participants_language(client, participant):
    participant.language = "ru"
    participant.save()

    response = client.get(f"/i/{participant.access_token}/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == f"/i/{participant.access_token}/"
    assert manifest["lang"] == "ru"
    assert participant.program.title in manifest["name"]
    assert response["Referrer-Policy"] == "same-origin"


def test_manifest_icons_and_page_assets_exist(client, participant):
    from django.contrib.staticfiles import finders

    for name in ("itinerary/icon.svg", "itinerary/icon-maskable.svg", "itinerary/itinerary.js", "itinerary/sw.js"):
        assert finders.find(name), name
    html = client.get(f"/i/{participant.access_token}/").content.decode()
    assert 'src="/static/itinerary/itinerary.js"' in html
    assert 'data-sw-url="/sw.js"' in html
