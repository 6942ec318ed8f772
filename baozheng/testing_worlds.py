"""Test worlds built once per test process and copied back for every later class.

A test class's `setUpTestData` runs inside the class's transaction and is rolled back at the
end of the class, so a world such as the demo statistics with its released periods (about
4 s to build: figures, bulletins, Excel and Word snapshots) used to be rebuilt by every class
that stands on it. `shared_world` runs the decorated `setUpTestData` once per process, then
keeps a copy of every table and of the class attributes it set; a later class gets the same
rows back (same primary keys, so the kept attributes stay valid) with one bulk insert per
table, and then runs its own additions as before. Tables are replaced whole, so what was in
the database before does not matter. SQLite copies rows with SELECT/INSERT, PostgreSQL
with COPY (which also carries JSON and arrays exactly).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection

from baozheng.monitor.models import DataVersion
from baozheng.projects.models import ProjectDataVersion


@dataclass
class _Snapshot:
    tables: dict[str, tuple[list[str], Any]]  # table -> (columns, rows or COPY text)
    attributes: dict[str, Any]


_snapshots: dict[str, _Snapshot] = {}


def _tables() -> list[str]:
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def _dump() -> dict[str, tuple[list[str], Any]]:
    tables = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quote(table)} TO STDOUT") as out:
                    tables[table] = ([], b"".join(bytes(block) for block in out))
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")
                columns = [c[0] for c in cursor.description]
                tables[table] = (columns, cursor.fetchall())
    return tables


def _in_reference_order(tables: dict[str, tuple[list[str], Any]]) -> list[str]:
    """Referenced tables before the tables whose references are checked per statement
    (`baozheng.lib.references`): the foreign keys' deferred checks allowed any order."""
    from baozheng.stats.models import REFERENCES

    checked = list(dict.fromkeys(reference.names[0] for reference in REFERENCES))
    return [t for t in tables if t not in checked] + [t for t in checked if t in tables]


def _restore(tables: dict[str, tuple[list[str], Any]]) -> None:
    quote = connection.ops.quote_name
    order = _in_reference_order(tables)
    with connection.cursor() as cursor:
        for table in reversed(order):
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table in order:
            columns, rows = tables[table]
            if connection.vendor == "postgresql":
                if rows:
                    with cursor.copy(f"COPY {quote(table)} FROM STDIN") as into:
                        into.write(rows)
            elif rows:
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        # PostgreSQL sequences do not follow explicit keys; SQLite's AUTOINCREMENT does.
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table in tables and model._meta.managed and not model._meta.proxy
        ]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    ContentType.objects.clear_cache()


def shared_world(setup: Callable[[type], None]) -> Callable[[type], None]:
    """Decorate a `setUpTestData` classmethod's function (below `@classmethod`)."""
    key = f"{setup.__module__}.{setup.__qualname__}"

    @functools.wraps(setup)
    def setup_or_restore(cls: type) -> None:
        snapshot = _snapshots.get(key)
        if snapshot is not None:
            _restore(snapshot.tables)
            for version in (DataVersion, ProjectDataVersion):
                if snapshot.tables.get(version._meta.db_table, ([], None))[1]:
                    # The copy is written in raw SQL, which the data versions' signals do
                    # not see; move them as any write would, so that no download cached or
                    # filed by an earlier class under a copied version looks current.
                    version.bump()
            for name, value in snapshot.attributes.items():
                setattr(cls, name, copy.deepcopy(value))
            return
        before = dict(vars(cls))
        setup(cls)
        attributes = {
            name: copy.deepcopy(value)
            for name, value in vars(cls).items()
            if before.get(name, _MISSING) is not value
        }
        _snapshots[key] = _Snapshot(_dump(), attributes)

    return setup_or_restore


_MISSING = object()
