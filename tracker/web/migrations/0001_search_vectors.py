"""Stored full-text search vectors with GIN indexes, on PostgreSQL only.

Each searchable table gets a `search_vector tsvector` column that a BEFORE INSERT/UPDATE trigger
keeps current. A trigger (rather than a GENERATED column) leaves the other apps free to alter their
columns later: PostgreSQL refuses ALTER COLUMN TYPE on columns a generated column reads. The models
do not declare the column; tracker/web/search.py reads it with RawSQL. SQLite skips all of this and
search falls back to icontains.

Also a timeline index matching the page's ORDER BY (event_date DESC NULLS LAST, id DESC), which the
events app's index (NULLS FIRST, PostgreSQL's default for DESC) does not serve.
"""

from django.db import migrations

# table: (weighted expressions of NEW.*, columns whose change re-computes the vector)
VECTORS = {
    "news_article": (
        "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B')"
        # Long texts are cut: the lead carries the matchable words, and tsvector has a 1 MB cap.
        " || setweight(to_tsvector('english', left(coalesce(NEW.text, ''), 100000)), 'C')",
        "title, summary, text",
    ),
    "events_event": (
        "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B')",
        "title, summary",
    ),
    "claims_claim": (
        "setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(NEW.attributed_to_name, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(NEW.measure, '')), 'C')",
        "text, attributed_to_name, measure",
    ),
    "companies_company": (
        "setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C')",
        "name, description",
    ),
}

TIMELINE_INDEX = (
    "CREATE INDEX IF NOT EXISTS web_event_timeline_nl_idx ON events_event "
    "(event_date DESC NULLS LAST, id DESC) WHERE merged_into_id IS NULL AND status <> 'hidden'"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (expression, columns) in VECTORS.items():
        function = f"web_{table}_search_vector"
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector")
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := {expression}; RETURN NEW; END $$"
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function}_trg ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {function}_trg BEFORE INSERT OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        # Backfill rows that exist already: fire the trigger by touching a watched column.
        first_column = columns.split(",")[0].strip()
        schema_editor.execute(f"UPDATE {table} SET {first_column} = {first_column}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING GIN (search_vector)"
        )
    schema_editor.execute(TIMELINE_INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS web_event_timeline_nl_idx")
    for table in VECTORS:
        function = f"web_{table}_search_vector"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function}_trg ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("events", "0001_initial"),
        ("claims", "0001_initial"),
        ("companies", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
