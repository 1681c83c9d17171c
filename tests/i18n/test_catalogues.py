"""The catalogues are complete: every string the code and templates use has a Russian and a
Kazakh translation (an empty or fuzzy one counts as missing), and both compile.

The strings in use are extracted as `makemessages` does, but over a temporary copy of the
project, so that the test never writes into locale/: a new untranslated string anywhere
fails here, naming it."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LANGUAGES = ("ru", "kk")
# What makemessages reads: the code and templates (not the virtualenv, node_modules or tests).
SKIP = {".venv", "node_modules", "tests", "staticfiles", "docs", "bench", ".git", "__pycache__", "deploy"}


def _copy_sources(target: Path) -> None:
    for path in BASE.iterdir():
        if path.name in SKIP or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(
                path, target / path.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "node_modules")
            )
        elif path.suffix == ".py":
            shutil.copy2(path, target / path.name)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, polib.POFile]:
    """The catalogues as makemessages would make them from today's code, in a temporary copy."""
    root = tmp_path_factory.mktemp("project")
    _copy_sources(root)
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    args += [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(args, cwd=root, check=True, capture_output=True)  # noqa: S603 - the project's own manage.py
    return {
        language: polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po")) for language in LANGUAGES
    }


def _missing(catalogue: polib.POFile) -> list[str]:
    missing = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.fuzzy or not strings or any(not text.strip() for text in strings):
            missing.append(entry.msgid)
    return missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_use_is_translated(extracted, language):
    missing = _missing(extracted[language])

    assert missing == [], f"{len(missing)} strings without a {language} translation: {missing[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_empty_or_fuzzy_entry_and_compiles(language, tmp_path):
    po = BASE / "locale" / language / "LC_MESSAGES" / "django.po"

    command = [shutil.which("msgfmt") or "msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - gettext's msgfmt on our catalogue

    assert result.returncode == 0, result.stderr
    assert _missing(polib.pofile(str(po))) == []


@pytest.mark.parametrize(("language", "forms"), [("ru", {3, 4}), ("kk", {2})])
def test_every_plural_has_the_languages_forms(language, forms):
    """Russian: one, few, many (Django's header adds a fourth for fractions); Kazakh: one form
    in use, written twice as its header (one, other) asks."""
    catalogue = polib.pofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.po"))
    header = catalogue.metadata["Plural-Forms"].replace(" ", "")
    count = int(header.split("nplurals=")[1].split(";")[0])

    assert count in forms
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == count, entry.msgid
