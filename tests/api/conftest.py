"""Fixtures for the API tests: DRF clients holding tokens of each kind."""

import pytest
from rest_framework.test import APIClient

from partners.services import api_client_create


def client_with_token(token: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token}")
    return client


@pytest.fixture
def make_api():
    """make_api(scopes=("read", "write"), programs=()) -> APIClient with a fresh client's token."""

    def make(scopes=("read", "write"), programs=(), name="Ministry HR system"):
        partner, token = api_client_create(name=name, scopes=scopes, programs=programs)
        api = client_with_token(token)
        api.partner = partner
        api.token = token
        return api

    return make


@pytest.fixture
def api(db, make_api):
    """A write (and read) token for every program."""
    return make_api()


@pytest.fixture
def read_api(db, make_api):
    return make_api(scopes=("read",), name="Travel agent")
