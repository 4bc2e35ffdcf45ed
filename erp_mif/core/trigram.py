"""pg_trgm indexes for `?search=`: on PostgreSQL, `icontains` compiles to UPPER(col::text) LIKE ...,
which a GIN trigram index on that same expression serves. Other databases skip them."""

from django.db import migrations


def _index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"[:63]


def trigram_indexes(*columns: tuple[str, str]) -> migrations.RunPython:
    """A migration operation creating a trigram index per (table, column) on PostgreSQL only."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index_name(table, column)}" '
                f'ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_index_name(table, column)}"')

    return migrations.RunPython(create, drop, elidable=False)
