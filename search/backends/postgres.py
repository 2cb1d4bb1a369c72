from __future__ import annotations

from django.db import connection

from .base import BackendUnavailable, BaseSearchBackend


class PostgresSearchBackend(BaseSearchBackend):
    """PostgreSQL full-text search: the default when DATABASE_URL names PostgreSQL."""

    name = "postgres"

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BackendUnavailable("The postgres search backend needs the PostgreSQL database.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector('english', 'councils')::text")
            cursor.fetchone()


SearchBackend = PostgresSearchBackend
