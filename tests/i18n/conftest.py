"""Fixtures for the translated-content tests: the API's and the organiser pages' clients."""

import pytest
from django.test import Client

from tests.api.conftest import api, make_api  # noqa: F401 - the API's token clients
from tests.web.conftest import make_organiser


@pytest.fixture
def organiser_client(program):
    client = Client(HTTP_HOST="localhost")
    client.organiser = make_organiser("aigerim", program)
    client.force_login(client.organiser)
    return client
