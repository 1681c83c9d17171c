import pytest
from django.conf import settings

from .factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` exercise PostgreSQL itself (its constraints, its
    locks); they run in .ci/run's PostgreSQL pass and are skipped, saying so, on SQLite."""
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL (as .ci/run does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def program(db):
    return ProgramFactory()


@pytest.fixture
def host(db):
    return HostOrganisationFactory()


@pytest.fixture
def group(program):
    return ProjectGroupFactory(program=program, name="Group 1: Digital state")


@pytest.fixture
def other_group(program):
    return ProjectGroupFactory(program=program, name="Group 2: Demography")
