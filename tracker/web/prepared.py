"""Querysets compiled to SQL once and rerun with new values.

A page that runs the same few queries for a different event id or search each time spent more
Python time compiling them (joins, deferred columns, annotations, ordering) than running them.
A prepared query keeps Django's own SQL for the queryset, built with placeholder values, and
swaps the real values into its parameters; rows become model instances as a queryset makes them
(select_related objects, annotations, prefetches).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler


@dataclass
class PreparedQuery:
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    params: list
    positions: list[list[int]]  # per placeholder, where it stands in params
    converters: dict

    @classmethod
    def build(cls, queryset: QuerySet, placeholders: Sequence[Any]) -> PreparedQuery:
        """`queryset` built with `placeholders` where the changing values go; each must reach the
        SQL as a parameter (never inlined), or this raises ValueError."""
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        positions = [[i for i, value in enumerate(params) if value == p] for p in placeholders]
        misplaced = [
            p for p, where in zip(placeholders, positions, strict=True) if not where or str(p) in sql
        ]
        if misplaced:
            raise ValueError(
                f"placeholders {misplaced!r} must reach the SQL as parameters, "
                "not be missing from them or written into the SQL text"
            )
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return cls(queryset, compiler, sql, list(params), positions, converters)

    def rows(self, *values: Any) -> list[tuple]:
        """The raw rows of the SQL with `values` in place of the placeholders (no converters)."""
        params = list(self.params)
        for value, where in zip(values, self.positions, strict=True):
            for i in where:
                params[i] = value
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def run(self, *values: Any) -> list[Model]:
        """The instances the queryset gives with `values` in place of the placeholders."""
        compiler, db = self.compiler, self.queryset.db
        rows = self.rows(*values)
        if self.converters:
            rows = compiler.apply_converters(rows, self.converters)
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, db)
        model, annotations = klass_info["model"], compiler.annotation_col_map.items()
        objects = []
        for row in rows:
            obj = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        if self.queryset._prefetch_related_lookups:
            prefetch_related_objects(objects, *self.queryset._prefetch_related_lookups)
        return objects


def prepared(key: str, build: Callable[[], QuerySet], placeholders: Sequence[Any]) -> PreparedQuery:
    """The PreparedQuery named `key`, built by `build()` (with `placeholders`) on first use. A key
    must always name the same queryset shape. Kept on the database connection: Django gives each
    thread its own, so nothing here is shared between threads."""
    store = connections["default"].__dict__.setdefault("_tracker_prepared_queries", {})
    entry = store.get(key)
    if entry is None:
        queryset = build()
        if queryset.db != "default":
            raise ValueError(
                f"prepared query {key!r} reads {queryset.db!r}; prepared queries run on the default database only"
            )
        entry = store[key] = PreparedQuery.build(queryset, placeholders)
    return entry
