"""Inserting many rows of integers and booleans (mention and place links) in one statement.

Django's bulk_create builds a model instance per row and sends `VALUES (%s, %s, ...), ...` with
a parameter per value, which psycopg then quotes one by one: for the thousands of links a bulk
analysis batch writes, most of the stage's client CPU. On PostgreSQL the rows go as one array
literal per column, `INSERT ... SELECT * FROM unnest(...)`, in the given order. Elsewhere
(SQLite) it is bulk_create.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

BULK_CREATE_BATCH = 1000


def _literal(values, boolean: bool) -> str:
    if boolean:
        return "{" + ",".join("t" if v else "f" for v in values) + "}"
    return "{" + ",".join(str(int(v)) for v in values) + "}"


def int_rows_insert(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert `rows` (one value per name in `fields`, attnames of integer, foreign-key or
    boolean fields, none of them null) into `model`'s table. No signals, as with bulk_create."""
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip((f.attname for f in columns), row, strict=True))) for row in rows],
            batch_size=BULK_CREATE_BATCH,
        )
        return
    quote = connection.ops.quote_name
    booleans = [isinstance(f, models.BooleanField) for f in columns]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
        f"SELECT * FROM unnest({arrays})"
    )
    params = [
        _literal(values, boolean) for values, boolean in zip(zip(*rows, strict=True), booleans, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
