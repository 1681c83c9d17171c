import os

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


@pytest.fixture(autouse=True, scope="session")
def _plain_http_and_static():
    """The test servers speak plain HTTP and have no collected static files;
    production keeps its HTTPS redirect and hashed static names. Session-wide,
    because the live server builds its middleware once, at start."""
    from django.test import override_settings

    # Parallel runs (pytest-xdist) share one Redis: each worker's cache keys get its own prefix,
    # so that two workers' programs with the same id and version never read each other's pages.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    caches = {"default": {**settings.CACHES["default"], "KEY_PREFIX": worker}} if worker else settings.CACHES
    override = override_settings(
        CACHES=caches,
        # Tests create many users: a deliberately slow hasher would only slow them down.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The webhook receivers of the tests listen on 127.0.0.1 (tests/partners/test_destinations.py
        # turns this off to check the refusal).
        PARTNERS_WEBHOOK_ALLOW_PRIVATE=True,
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        # Django's test set-up mails to its memory outbox; the portal's guard stays in front of it,
        # so that a test of any door fails when that door mails around the outbox.
        EMAIL_BACKEND="notifications.backends.OutboxOnlyBackend",
        OUTBOX_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture
def celery_eager():
    """Run Celery tasks in-process for this test, also when REDIS_URL points at a real broker
    (the PostgreSQL pass): tests that do not start a worker would otherwise leave messages in Redis."""
    from internship_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request with Accept-Language leaves its language active in the thread
    (LocaleMiddleware does not undo it), which would make later tests speak it."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
