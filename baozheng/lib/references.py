"""Foreign keys checked once per statement instead of once per row.

PostgreSQL checks a foreign key with one trigger call per written row; a million-row
import of observations and their revisions spends two thirds of its database time there
(docs/deploy.md, Imports). The references listed by an app (`Reference`) therefore carry
no database foreign-key constraint (`db_constraint=False`, with the reason at the field)
and are checked by these triggers instead, for every writer, not only the import:

- PostgreSQL: after each INSERT or UPDATE statement on the referencing table, one query
  over the statement's rows (its transition table) locks the referenced rows `FOR KEY
  SHARE`, as the foreign key's own check does, and refuses the statement if any is
  missing; after each DELETE on the referenced table, one query refuses it if a
  referencing row is left. A deletion racing a write waits on the lock and then sees the
  written rows, so the guarantee is the foreign key's (except `TRUNCATE` of the referenced
  table alone and changing a referenced id, which the application never does).
- SQLite: no check. It has no statement triggers, and a trigger per row cost 12 s per
  million imported rows (its foreign key cost almost nothing), which would take its import
  over the 30 s goal. What the constraint guarded is kept by the writers: every one writes
  ids it read, or rows it wrote, in the same transaction, and SQLite's one writer at a
  time leaves no window for a deletion in between; deleting through Django cascades.

A violation is an `IntegrityError` ("foreign key violation"), like the constraint's,
raised at the end of the statement rather than at commit. The triggers are (re)installed
after every `migrate` (`install`), so a later migration cannot lose them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

PG_FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION bz_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE wanted bigint; found bigint;
BEGIN
  -- TG_ARGV: referencing column, referenced table
  EXECUTE format('SELECT count(DISTINCT %1$I) FROM written', TG_ARGV[0]) INTO wanted;
  IF wanted = 0 THEN RETURN NULL; END IF;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM %2$I WHERE id IN (SELECT %1$I FROM written) '
    'FOR KEY SHARE) AS locked', TG_ARGV[0], TG_ARGV[1]) INTO found;
  IF found < wanted THEN
    RAISE EXCEPTION 'foreign key violation: %.% names a missing row of %',
      TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1] USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE OR REPLACE FUNCTION bz_check_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE left_over boolean;
BEGIN
  -- TG_ARGV: referencing table, referencing column
  EXECUTE format(
    'SELECT EXISTS (SELECT 1 FROM %1$I WHERE %2$I IN (SELECT id FROM deleted))',
    TG_ARGV[0], TG_ARGV[1]) INTO left_over;
  IF left_over THEN
    RAISE EXCEPTION 'foreign key violation: rows of % still name deleted rows of %',
      TG_ARGV[0], TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$
""",
)


@dataclass(frozen=True)
class Reference:
    """`model.field` names a row of the field's related model (which must exist)."""

    model: type[Model]
    field: str

    @property
    def names(self) -> tuple[str, str, str, str]:
        """(table, column, referenced table, trigger name stem)."""
        field = self.model._meta.get_field(self.field)
        table = self.model._meta.db_table
        parent = field.related_model._meta.db_table  # type: ignore[union-attr]
        return table, field.column, parent, f"bz_ref_{table}_{field.column}"[:50]


def install(connection: BaseDatabaseWrapper, references: Iterable[Reference]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in PG_FUNCTIONS:
            cursor.execute(statement)
        for reference in references:
            for statement in _postgresql(*reference.names):
                cursor.execute(statement)


def _postgresql(table: str, column: str, parent: str, name: str) -> list[str]:
    args = f"'{column}', '{parent}'"
    return [
        f'DROP TRIGGER IF EXISTS "{name}_ins" ON "{table}"',
        f'CREATE TRIGGER "{name}_ins" AFTER INSERT ON "{table}" REFERENCING NEW TABLE AS '
        f"written FOR EACH STATEMENT EXECUTE FUNCTION bz_check_references({args})",
        f'DROP TRIGGER IF EXISTS "{name}_upd" ON "{table}"',
        f'CREATE TRIGGER "{name}_upd" AFTER UPDATE ON "{table}" REFERENCING NEW TABLE AS '
        f"written FOR EACH STATEMENT EXECUTE FUNCTION bz_check_references({args})",
        f'DROP TRIGGER IF EXISTS "{name}_del" ON "{parent}"',
        f'CREATE TRIGGER "{name}_del" AFTER DELETE ON "{parent}" REFERENCING OLD TABLE AS '
        f"deleted FOR EACH STATEMENT EXECUTE FUNCTION bz_check_referenced('{table}', "
        f"'{column}')",
    ]
