"""`manage.py check --deploy` with production variables prints no warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "SECRET_KEY", "PYTEST", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_check(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example",
        SITE_URL="https://portal.example",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_embedded_secret_key():
    result = run_check(DEBUG="0", ALLOWED_HOSTS="portal.example")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_check_deploy_refuses_to_encrypt_id_details_with_the_development_key():
    result = run_check(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="portal.example", FIELD_ENCRYPTION_KEYS=""
    )

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stdout + result.stderr


def test_check_deploy_refuses_a_key_that_is_not_a_fernet_key():
    result = run_check(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example",
        FIELD_ENCRYPTION_KEYS="not-a-key",
    )

    assert result.returncode != 0
    assert "Fernet keys" in result.stdout + result.stderr
