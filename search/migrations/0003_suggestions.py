"""What suggestions as someone types need: titles matched word by word from the beginning,
unstemmed. On SQLite an FTS5 table of titles with prefix indexes, filled from the entries
already indexed; on PostgreSQL a GIN index over the titles' 'simple' tsvector."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_suggest USING fts5("
    "title, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "INSERT INTO search_suggest (rowid, title) SELECT id, title FROM search_indexentry",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_suggest"]

POSTGRES = [
    "CREATE INDEX search_indexentry_title_words ON search_indexentry"
    " USING gin (to_tsvector('simple', title))",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_indexentry_title_words"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_tables")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
