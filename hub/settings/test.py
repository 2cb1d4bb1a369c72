"""The test suite: fast hashing, outbox email, the database and layer chosen by the environment."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Content is searchable as soon as the test's transaction commits. The background indexer and
# the worker that servers use are tested in tests/search and by live servers started with
# SEARCH_INDEXING set.
SEARCH_INDEXING = os.environ.get("SEARCH_INDEXING", "now")
# Threads serving WebSocket frames close their connections after use, so none outlives a test.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so the real server processes that end-to-end tests start can open
    # the same test database.
    import tempfile
    from pathlib import Path

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"knowledge-hub-test-{os.getpid()}.sqlite3")
    }
