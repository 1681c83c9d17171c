"""The release identifier that every cache key and ETag carries.

A deploy must never serve bytes rendered by the code, templates or translations
it replaced, and calendar apps must see a new ETag when the feed's text changes.
`RELEASE_ID` from the environment names the release (a git commit, a build
number); without it the identifier is a digest of the files that shape what the
portal outputs: its Python code, templates, compiled translations and static files.
"""

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What is not part of a release: environments, caches, data, docs and tests.
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", "staticfiles", "tests", "docs", "bench", "media"}
SHAPING_SUFFIXES = {".py", ".html", ".txt", ".subject", ".mo", ".js", ".css", ".svg", ".json"}


def release_digest(root: Path = ROOT) -> str:
    """A short digest over the names and contents of the files that shape the portal's output."""
    digest = hashlib.sha256()
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(name for name in subdirs if name not in SKIPPED_DIRS and not name.startswith("."))
        for name in sorted(files):
            path = Path(directory, name)
            if path.suffix not in SHAPING_SUFFIXES:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def release_id() -> str:
    return os.environ.get("RELEASE_ID", "").strip() or release_digest()
