"""Committed test worlds: built once per test process, kept in the database between classes.

A test class's `setUpTestData` runs inside the class's transaction and is rolled back at the
end of the class, so a world such as the demo statistics with its released periods (about
4 s to build: figures, bulletins, Excel and Word snapshots) used to be rebuilt by every class
that stands on it, and later copied back into every class's transaction (delete and insert
every row: 10 ms for the personas, 190 ms for the 20,000 rows of the statistics).

Instead a world is COMMITTED: before a class's transaction opens (`BaozhengTestCase.setUpClass`)
the database is switched to the world the class stands on, outside any transaction, and the
class's own transaction (with each test's savepoint) rolls back to it. A class on the world
that is already committed pays nothing: its `setUpTestData` only gets the kept class
attributes (copies, same primary keys as the rows) and moves the data versions. Everything
else needs the database as created, with no world: plain `TestCase` and `TransactionTestCase`
classes and pytest functions using the `db` fixture, which may count rows; the root
`conftest.py` switches back for them before their setup (`pytest_runtest_setup`), and
orders the collected tests by world (`group_by_world`) so that switches are rare.

Switching replaces every table whole: the first switch to a world runs its setup (in one
transaction whose commit callbacks are dropped, as a `TestCase` never commits; on the world
beneath it when that one is committed, else on an empty database) and keeps a
copy of every table and of the class attributes it set; later switches copy the rows back
(SQLite with SELECT/INSERT, PostgreSQL with COPY, which also carries JSON and arrays exactly,
then its sequences are reset). The database as created is kept the same way at the first
switch away from it. Worlds compose: a world's setup calls `super().setUpTestData()`, which
switches to the world beneath it first.

A transactional test (`TransactionTestCase`, `transactional_db`, a live server) runs on the
database as created and flushes every table after it; Django then creates the content types
and permissions again, so the database is again "no world", which is what this module
records when it lets such a test run.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from baozheng.monitor.models import DataVersion
from baozheng.projects.models import ProjectDataVersion


@dataclass
class _Snapshot:
    tables: dict[str, tuple[list[str], Any]]  # table -> (columns, rows or COPY text)
    attributes: dict[str, Any]


_snapshots: dict[str | None, _Snapshot] = {}  # None: the database as created
_setups: dict[str, Callable[[type], None]] = {}
_committed: str | None = None  # the world the database holds now; None: no world
_building = False
_switches: list[tuple[str | None, float]] = []  # (world switched to, seconds it took)


def switches() -> list[tuple[str | None, float]]:
    """Every switch this process made: the world switched to and how long it took."""
    return list(_switches)


def committed() -> str | None:
    return _committed


def world_of(cls: type) -> str | None:
    """The world a test class stands on: the nearest `@shared_world` setUpTestData in its
    bases (an undecorated override that calls `super()` adds its rows in the class's own
    transaction)."""
    for klass in cls.__mro__:
        method = vars(klass).get("setUpTestData")
        world = getattr(getattr(method, "__func__", None), "world", None)
        if world is not None:
            return world
    return None


def enter(cls: type) -> None:
    """Switch to `cls`'s world; before the class's transaction opens."""
    world = world_of(cls)
    if world is None:
        use_no_world()
    else:
        _switch(world, cls)


def use_no_world() -> None:
    """The database as created, for a class or test that stands on no world."""
    _switch(None, None)


def _switch(world: str | None, cls: type | None) -> None:
    global _committed, _building
    if _committed == world:
        return
    if connection.in_atomic_block and not _building:
        raise RuntimeError(
            f"测试世界 {world} 须在测试类的事务开始之前切换（BaozhengTestCase.setUpClass）"
        )
    started = time.perf_counter()
    outermost = not _building
    _building = True
    try:
        with transaction.atomic():
            if _committed is None and None not in _snapshots:
                _snapshots[None] = _Snapshot(_dump(), {})
            snapshot = _snapshots.get(world)
            if snapshot is not None:
                _restore(snapshot.tables)
                _committed = world
            else:
                assert world is not None and cls is not None
                if _committed != _beneath(world, cls):
                    _switch(None, None)
                _build(world, cls)
    finally:
        _building = not outermost
    ContentType.objects.clear_cache()
    if outermost:
        _switches.append((world, time.perf_counter() - started))


def _beneath(world: str, cls: type) -> str | None:
    """The world that `world`'s setup builds on (through `super()`): when it is the one
    committed, the build starts from it instead of from an empty database."""
    mro = cls.__mro__
    for index, klass in enumerate(mro):
        if world_of(klass) == world and world_of(mro[index + 1]) != world:
            return world_of(mro[index + 1])
    return None


def _build(world: str, cls: type) -> None:
    global _committed
    before = dict(vars(cls))
    _setups[world](cls)
    # As in a TestCase's setUpTestData, whose transaction never commits: what waits for the
    # commit (the signal after a release, a job's start) does not run.
    connection.run_on_commit.clear()
    attributes = {
        name: copy.deepcopy(value)
        for name, value in vars(cls).items()
        if before.get(name, _MISSING) is not value
    }
    _snapshots[world] = _Snapshot(_dump(), attributes)
    _committed = world


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


def shared_world(setup: Callable[[type], None]) -> Callable[[type], None]:
    """Decorate a `setUpTestData` classmethod's function (below `@classmethod`)."""
    world = f"{setup.__module__}.{setup.__qualname__}"
    _setups[world] = setup

    @functools.wraps(setup)
    def attributes_of_world(cls: type) -> None:
        _switch(world, cls)  # nothing when committed; a world beneath one being built
        snapshot = _snapshots[world]
        for version in (DataVersion, ProjectDataVersion):
            if not _building and snapshot.tables.get(version._meta.db_table, ([], None))[1]:
                # Moved in the class's transaction, as any write would, so that no download
                # cached or filed by an earlier class on the same rows looks current.
                version.bump()
        for name, value in snapshot.attributes.items():
            setattr(cls, name, copy.deepcopy(value))

    attributes_of_world.world = world  # type: ignore[attr-defined]
    return attributes_of_world


def item_world(item: Any) -> str | None:
    """The world a collected pytest item needs: a world's name, None for the database as
    created (it uses the database, transactional or not), or `UNTOUCHED`."""
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return world_of(cls)
    uses = item.get_closest_marker("django_db") or _DATABASE_FIXTURES.intersection(
        getattr(item, "fixturenames", ())
    )
    return None if uses else UNTOUCHED


UNTOUCHED = ""  # the item never touches the database: any world will do
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def group_by_world(items: list[Any], scope: Callable[[Any], str]) -> list[Any]:
    """`items` in runs of one world each: the scopes that stand on no world first, then the
    worlds each after the world it is built on (the statistics after the personas, the
    reporting world after the statistics), so that a build starts from the world committed;
    a scope (a class, a module of functions) stays whole and in order, so pytest-xdist's
    `--dist loadscope` hands out the same units. Scopes that never touch the database come
    last, where their short tests even out the workers' ends; but slow ones of those (a demo
    started in a process of its own: 24 s) come first, and slow ones lead their world's run,
    so that no long scope is handed out when the other worker is about to run out of work."""
    scopes: dict[str, list[Any]] = {}
    for item in items:
        scopes.setdefault(scope(item), []).append(item)
    ranks: dict[str, int] = {}
    order: list[tuple[tuple[tuple[int, ...], bool], list[Any]]] = []
    for members in scopes.values():
        needing = [item for item in members if item_world(item) != UNTOUCHED]
        slow = all(item.get_closest_marker("slow") for item in members)
        if not needing:
            key: tuple[int, ...] = (-1,) if slow else (2,)
        elif item_world(needing[0]) is None:
            key = (0,)
        else:
            chain = _chain(needing[0].cls)
            key = (1, *(ranks.setdefault(world, len(ranks)) for world in chain))
        order.append(((key, not slow), members))
    order.sort(key=lambda keyed: keyed[0])
    return [item for _, members in order for item in members]


def _chain(cls: type) -> list[str]:
    """The worlds `cls` stands on, from the first built to its own."""
    worlds = (world_of(klass) for klass in reversed(cls.__mro__))
    return list(dict.fromkeys(world for world in worlds if world is not None))


_MISSING = object()
