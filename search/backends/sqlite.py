from __future__ import annotations

from django.db import connection

from .base import BackendUnavailable, BaseSearchBackend


class SQLiteSearchBackend(BaseSearchBackend):
    """SQLite FTS5: the embedded default."""

    name = "sqlite"

    def check(self) -> None:
        if connection.vendor != "sqlite":
            raise BackendUnavailable("The sqlite search backend needs the SQLite database.")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA compile_options")
            options = {row[0] for row in cursor.fetchall()}
        if "ENABLE_FTS5" not in options:
            raise BackendUnavailable("This SQLite library was built without FTS5.")


SearchBackend = SQLiteSearchBackend
