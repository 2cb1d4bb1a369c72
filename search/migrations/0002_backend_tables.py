"""Tables each database backend needs, created only on its own database vendor: an FTS5
table on SQLite; postings, document frequencies and statistics on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES = [
    "CREATE TABLE search_posting ("
    " lexeme text NOT NULL, entry_id bigint NOT NULL, tf double precision NOT NULL,"
    " length double precision NOT NULL)",
    # A covering index: scoring reads postings by lexeme without touching the heap.
    "CREATE UNIQUE INDEX search_posting_lexeme ON search_posting (lexeme, entry_id)"
    " INCLUDE (tf, length)",
    "CREATE INDEX search_posting_entry ON search_posting (entry_id)",
    "CREATE TABLE search_lexeme (lexeme text PRIMARY KEY, df double precision NOT NULL)",
    "CREATE TABLE search_statistics (id integer PRIMARY KEY,"
    " documents double precision NOT NULL, total_length double precision NOT NULL)",
    "INSERT INTO search_statistics VALUES (1, 0, 0)",
]
POSTGRES_REVERSE = [
    "DROP TABLE IF EXISTS search_posting",
    "DROP TABLE IF EXISTS search_lexeme",
    "DROP TABLE IF EXISTS search_statistics",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
