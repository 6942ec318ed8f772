"""Plain `executemany` inserts and updates for the million-row observation import, and
for the demo's generated rows that no rule or audit entry stands behind (bulk rows).

The ORM's bulk_create builds a model instance per row and costs several seconds per
hundred thousand rows; a prepared statement with tuples is an order of magnitude faster
on SQLite and works unchanged on PostgreSQL. Values must already be database-ready
(Decimals, ints, strings; datetimes through `db_datetime`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import partial
from itertools import islice
from typing import Any

from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import (
    AutoField,
    BigAutoField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    TextField,
)

CHUNK = 50_000


def _chunks(rows: Iterable[Sequence], size: int = CHUNK) -> Iterable[list[Sequence]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def db_datetime(moment: datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def prepare_connection() -> None:
    """SQLite's default page cache (2 MB) thrashes on index pages during a million-row
    insert; 64 MB for this connection holds the observations' key index of two million
    rows, and no more, since it counts in the importing process's memory. No-op on
    PostgreSQL."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """PostgreSQL gets the rows through COPY: one stream instead of a round trip per row,
    which is what made the same million-row import 3.4 times slower there than on SQLite."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_columns(model, fields))
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if connection.vendor == "postgresql":
                _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", chunk)
            else:
                cursor.executemany(sql, chunk)


# Field kinds whose database value of a value of their own Python type, or of None, is
# that value unchanged: Django's preparation converts to the same type and the backend
# leaves it as it is (integers: unless the backend wraps them, as psycopg 3's does).
_PASSED: tuple[tuple[type[Field], type], ...] = (
    (DecimalField, Decimal),
    (CharField, str),
    (TextField, str),
    (BooleanField, bool),
    (IntegerField, int),
    (ForeignKey, int),
)
_PREPARING = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")


def _passed_type(field: Field) -> type | None:
    """The Python type `field` stores unchanged, if any (never for a subclass that
    prepares its values its own way)."""
    for kind, own in _PASSED:
        if not isinstance(field, kind):
            continue
        if any(getattr(type(field), name) is not getattr(kind, name) for name in _PREPARING):
            return None
        if own is int and not _passes_integers(field):
            return None
        return own
    return None


def _passes_integers(field: Field) -> bool:
    ops = type(connection.ops)
    if ops.adapt_integerfield_value is not BaseDatabaseOperations.adapt_integerfield_value:
        return False
    if isinstance(field, ForeignKey):  # an int passes when the key it points to is an id
        return (
            type(field.target_field) in (AutoField, BigAutoField)
            and ops.validate_autopk_value is BaseDatabaseOperations.validate_autopk_value
        )
    return True


def _preparer(field: Field) -> Callable[[Any], Any]:
    """`field.get_db_prep_save` for one insert; a value it would return unchanged skips
    the call, which for a Decimal was a third of the demo's observation insert."""
    general = partial(field.get_db_prep_save, connection=connection)
    if type(field) is DateTimeField:
        return _remembering(general)
    own = _passed_type(field)
    if own is None:
        return general

    def prepare(value: Any) -> Any:
        if value is None or (type(value) is own and (own is not Decimal or value.is_finite())):
            return value
        if own is str and isinstance(value, str):  # a choice's member: text stored as it is
            return value
        return general(value)

    return prepare


def _remembering(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A datetime prepared once per distinct moment (the demo's ten thousand entries share
    a few dozen): its time zone conversion is the costliest preparation of a row."""
    done: dict[tuple, Any] = {}

    def remembered(value: Any) -> Any:
        if type(value) is not datetime:
            return prepare(value)
        key = (value, value.tzinfo, value.fold)
        if key not in done:
            done[key] = prepare(value)
        return done[key]

    return remembered


def insert_objects(model: type[Model], objects: Iterable[Model]) -> None:
    """Unsaved model instances through `insert`, each field prepared as `bulk_create`
    prepares it (auto_now dates set, values made database-ready) but without compiling a
    statement per batch of a few dozen rows: the demo's twenty thousand figures took a
    second that way. No ids are set on the instances; read them back by their keys."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared = [(f, _preparer(f)) for f in fields]
    rows = (tuple(prep(f.pre_save(obj, True)) for f, prep in prepared) for obj in objects)
    insert(model, [f.attname for f in fields], rows)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Rows of values of `fields` (names or attnames) through `insert`, the model's other
    fields at their defaults (auto_now dates: now), each value prepared as
    `insert_objects` prepares it: the same stored rows without a model instance per row,
    whose construction was most of the demo's twenty thousand figures' insert. A
    callable default other than a date's now would be called once for every row:
    refused, so that such a field is given its values."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    defaults = tuple(_preparer(f)(_default(f)) for f in rest)
    columns = [_column_preparer(f) for f in given]
    names = [f.attname for f in given] + [f.attname for f in rest]
    insert(model, names, _prepared(columns, defaults, rows))


def _prepared(
    columns: Sequence[Callable[[Sequence], Sequence]], defaults: tuple, rows: Iterable[Sequence]
) -> Iterable[tuple]:
    """The rows prepared a column at a time, a chunk of rows at a time."""
    for chunk in _chunks(rows):
        if not columns:
            yield from (defaults for _ in chunk)
            continue
        given = zip(*chunk, strict=True)  # rows of one length, that of `columns`
        values = [prepare(column) for prepare, column in zip(columns, given, strict=True)]
        for row in zip(*values, strict=True):
            yield row + defaults


_NONE = type(None)


def _column_preparer(field: Field) -> Callable[[Sequence], Sequence]:
    """`_preparer` over a column of values: a column whose values are all of the type the
    field stores unchanged (or None) is passed as it is, checked by type in one sweep
    instead of a call per value (the demo's figures: ten columns of ten thousand)."""
    prepare = _preparer(field)
    own = None if type(field) is DateTimeField else _passed_type(field)

    def column(values: Sequence) -> Sequence:
        if own is not None and set(map(type, values)) <= {own, _NONE}:
            if own is not Decimal or all(v.is_finite() for v in values if v is not None):
                return values
        return list(map(prepare, values))

    return column


def _default(field: Field) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return field.pre_save(model_instance=field.model(), add=True)
    if field.has_default() and callable(field.default):
        raise ValueError(f"{field} has a callable default: give its values")
    return field.get_default()


def update(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Each row holds the new values of `fields` followed by the primary key. On
    PostgreSQL the rows are copied into a temporary table and applied in one UPDATE."""
    if connection.vendor == "postgresql":
        _update_by_copy(model, fields, rows)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{col} = %s" for col in _columns(model, fields))
    sql = f"UPDATE {table} SET {assignments} WHERE {connection.ops.quote_name('id')} = %s"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.executemany(sql, chunk)


def _copy(cursor, statement: str, rows: Sequence[Sequence]) -> None:
    """COPY through the psycopg cursor under Django's wrapper, inside Django's error
    translation, so that a conflict is `django.db.IntegrityError` like any other write (a
    concurrent import of the same keys is then refused in Chinese, not a traceback)."""
    with cursor.db.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _update_by_copy(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    staging = quote(f"bz_update_{model._meta.db_table}")
    columns = _columns(model, fields)
    listed = ", ".join([*columns, quote("id")])
    assignments = ", ".join(f"{col} = s.{col}" for col in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} AS SELECT {listed} FROM {table} WITH NO DATA"
        )
        for chunk in _chunks(rows):
            _copy(cursor, f"COPY {staging} ({listed}) FROM STDIN", chunk)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM {staging} AS s "
                f"WHERE t.{quote('id')} = s.{quote('id')}"
            )
            cursor.execute(f"TRUNCATE {staging}")
        cursor.execute(f"DROP TABLE {staging}")
