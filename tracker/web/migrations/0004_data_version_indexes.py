"""Indexes for the data version every cached page reads (tracker/web/caching.py).

The newest change of companies and sources was found by reading both tables whole on every
request, hit or miss (0.17 ms of execution at 300 companies, growing with the registry). With an
index on updated_at each is one index entry (0.03 ms), like the event, claim and article parts.
The query's whole cost per request (about 0.6 ms of PostgreSQL CPU, most of it per-statement
work) hardly moves at this size; the index keeps it from growing.
"""

from django.db import migrations

INDEXES = {
    "web_company_updated_idx": "companies_company",
    "web_source_updated_idx": "sources_source",
}


def forwards(apps, schema_editor):
    for name, table in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (updated_at)")


def backwards(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0003_article_source_event_index"),
        ("companies", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
