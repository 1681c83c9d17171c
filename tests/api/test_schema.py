"""The OpenAPI document describes every operation, its errors and the bearer scheme."""

from unittest.mock import ANY

import pytest
from rest_framework.test import APIClient

from partners.services import webhook_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_documents_bearer_auth(document):
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    operation = document["paths"]["/api/v1/programs/"]["get"]
    assert {"bearerAuth": []} in operation["security"]


def test_schema_documents_error_responses_on_every_operation(document):
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "patch", "delete"}
    ]
    assert len(operations) >= 25
    for path, method, op in operations:
        codes = set(op["responses"])
        assert {"400", "401", "403", "404", "429"} <= codes, (path, method)
        if method != "get":
            assert {"409", "413", "415"} <= codes, (path, method)
        assert op["responses"]["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    conflict = document["paths"]["/api/v1/programs/{program_slug}/visits/"]["post"]["responses"]["409"]
    assert "double-book" in conflict["description"]
    assert "conflicts" in document["components"]["schemas"]["Error"]["properties"]


def test_schema_lists_the_visit_filters_and_page_size_limit(document):
    parameters = {
        p["name"]: p for p in document["paths"]["/api/v1/programs/{program_slug}/visits/"]["get"]["parameters"]
    }

    assert {"group", "host", "status", "date", "starts_after", "ends_before", "page", "page_size"} <= parameters.keys()
    assert parameters["page_size"]["schema"]["maximum"] == 500


def test_docs_page_is_served():
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_webhook_list_query_count_is_fixed(make_api, django_assert_num_queries):
    api = make_api()
    for index in range(5):
        webhook_create(client=api.partner, url=f"https://hr.example/hook/{index}", events=["visit.created"])
    api.get("/api/v1/webhooks/")

    with django_assert_num_queries(3):  # token, count, webhooks
        response = api.get("/api/v1/webhooks/")

    assert response.json()["count"] == 5


def test_schema_documents_the_participant_import(document):
    operation = document["paths"]["/api/v1/programs/{program_slug}/participants/import/"]["post"]

    body = operation["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    request = document["components"]["schemas"][body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert request["properties"]["file"] == {"type": "string", "format": "binary", "description": ANY}
    assert request["properties"]["mode"]["default"] == "preview"
    assert request["required"] == ["file"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    result = document["components"]["schemas"][ok]
    assert set(result["properties"]) == {"created", "rows"}
    assert "too large" in operation["responses"]["400"]["description"]
    assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "multipart/form-data" in operation["responses"]["415"]["description"]


def test_schema_documents_the_program_rules(document):
    schemas = document["components"]["schemas"]
    program = schemas["ProgramInputRequest"]["properties"]

    timezones = program["timezone"].get("allOf", [program["timezone"]])[0]
    timezones = schemas[timezones["$ref"].rsplit("/", 1)[1]] if "$ref" in timezones else timezones
    assert "Asia/Almaty" in timezones["enum"]
    assert "Mars/Olympus" not in timezones["enum"]
    for name in ("start_date", "end_date"):
        assert program[name]["format"] == "date"
        assert "2000" in program[name]["description"]
        assert program[name]["pattern"] == schemas["PatchedProgramInputRequest"]["properties"][name]["pattern"]
    assert "366 days" in program["end_date"]["description"]


def test_schema_documents_the_survey_and_visit_time_rules(document):
    schemas = document["components"]["schemas"]
    survey, visit = schemas["SurveyInputRequest"]["properties"], schemas["VisitInputRequest"]["properties"]

    assert "offset" in survey["opens_at"]["description"]
    assert "after it opens" in survey["closes_at"]["description"]
    assert "offset" in visit["starts_at"]["description"]
    assert "program's dates" in visit["starts_at"]["description"]


@pytest.mark.parametrize(
    "name", ["ProgramInputRequest", "PatchedProgramInputRequest", "SurveyInputRequest", "QuestionInputRequest"]
)
def test_schema_says_strict_bodies_take_no_other_fields(document, name):
    assert document["components"]["schemas"][name]["additionalProperties"] is False


def test_schema_says_which_strings_are_refused(document):
    program = document["components"]["schemas"]["ProgramInputRequest"]["properties"]

    assert program["title"]["pattern"] == r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    assert program["description"]["pattern"] == r"^[^\u0000]*$"
    assert program["topics"]["items"]["pattern"] == program["title"]["pattern"]
