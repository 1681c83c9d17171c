"""Every answer under /api/ is JSON with a `detail`, whatever the request: hostile bodies,
addresses no route knows, a failure of the portal itself. Nothing is written."""

import pytest
from django.conf import settings

from programs.api.views import ProgramViewSet
from programs.models import Program

pytestmark = pytest.mark.django_db


def program_body(**extra):
    return {
        "slug": "astana-2027",
        "title": "Astana 2027",
        "host_institution": "Academy of Public Administration",
        "city": "Astana",
        "timezone": "Asia/Almaty",
        "start_date": "2027-03-01",
        "end_date": "2027-03-10",
        **extra,
    }


def test_deeply_nested_json_answers_400_naming_the_problem(api):
    response = api.generic("POST", "/api/v1/programs/", "[" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "nested" in response.json()["detail"]
    assert not Program.objects.exists()


def test_json_nested_deeper_than_the_parser_allows_answers_400_even_when_complete(api):
    body = '{"slug": ' + "[" * 200 + "]" * 200 + "}"

    response = api.generic("POST", "/api/v1/programs/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_body_larger_than_allowed_answers_413_in_json(api):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = api.post("/api/v1/programs/", program_body(description=padding), format="json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["detail"]
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs/%0A/visits/1/",
        "/api/v1/programs/astana/%0A",
        "/api/%0A",
        "/api/v2/programs/",
        "/api/v1/no-such-thing/",
    ],
)
def test_unknown_addresses_under_api_answer_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_unknown_addresses_outside_api_keep_the_html_page(client):
    response = client.get("/organiser/%0A/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_failure_of_the_portal_under_api_answers_json_500(api, monkeypatch):
    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ProgramViewSet, "get_queryset", broken)
    api.raise_request_exception = False

    response = api.get("/api/v1/programs/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error: the request failed on our side and was not completed."}


def test_a_method_the_address_does_not_take_answers_json_405(api):
    response = api.put("/api/v1/programs/", program_body(), format="json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "PUT" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/programs/", program_body(title=2027), "title"),
        ("/api/v1/programs/", program_body(topics=[1, 2]), "topics"),
        ("/api/v1/programs/", program_body(start_date=20270301), "start_date"),
        ("/api/v1/hosts/", {"name": "Astana Hub", "contacts": [{"name": "Dana", "phone": 77010000000}]}, "contacts"),
        ("/api/v1/hosts/", {"name": "Astana Hub", "latitude": "51.1"}, "latitude"),
        (
            "/api/v1/webhooks/",
            {"url": "https://hr.example/hook", "events": ["visit.created"], "is_active": "yes"},
            "is_active",
        ),
        ("/api/v1/programs/{slug}/groups/", {"name": "Group 9", "theme": 5}, "theme"),
        (
            "/api/v1/programs/{slug}/visits/",
            {
                "title": "A",
                "starts_at": "2026-12-08T10:00:00+05:00",
                "ends_at": "2026-12-08T12:00:00+05:00",
                "capacity": "10",
            },
            "capacity",
        ),
        (
            "/api/v1/programs/{slug}/visits/",
            {
                "title": "A",
                "starts_at": "2026-12-08T10:00:00+05:00",
                "ends_at": "2026-12-08T12:00:00+05:00",
                "groups": ["1"],
            },
            "groups",
        ),
    ],
)
def test_values_of_another_json_type_answer_400_naming_the_field(api, program, path, body, field):
    response = api.post(path.format(slug=program.slug), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert "Incorrect type" in response.json()["detail"]
