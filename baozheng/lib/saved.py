"""New rows saved as `save()` and `add()` save them, with fewer statements.

`save()` on a new row sends `pre_save`, inserts the row and sends `post_save` (its audit
entry, the data versions it moves). `create` sends the same two signals for every row, in
the rows' order, around one `bulk_create`: the same rows, ids and receivers' work, without
a statement and a savepoint per row (the demo's two hundred targets). The rows must not
point at each other, and the caller's order is the order the rows would have been saved.

`InTurn` holds new rows back to be created together and writes them before anything that
must come after them is saved (a stored row changed in its turn, a new row under a held
one), so that the rows, ids and audit entries come out as saving each in its turn would
make them.

`add_to_new` is a many-to-many `add()` on a row created just now: Django first reads which
of the rows are linked already (none can be), then sends the same signals (the audit
entry) and inserts the links; here without that read, the rest as Django does it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import router, transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save


def create(model: type[Model], rows: Sequence[Model]) -> None:
    if not rows:
        return
    using = router.db_for_write(model)
    with transaction.atomic(using=using, savepoint=False):
        for row in rows:
            pre_save.send(sender=model, instance=row, raw=False, using=using, update_fields=None)
        model._default_manager.using(using).bulk_create(rows)
        for row in rows:
            post_save.send(
                sender=model,
                instance=row,
                created=True,
                update_fields=None,
                raw=False,
                using=using,
            )


class InTurn:
    """New rows of `model` held back for one `create`, in the order they were made."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.held: list[Model] = []

    def hold(self, row: Model) -> None:
        self.held.append(row)

    def holds(self, row: Model) -> bool:
        return any(row is held for held in self.held)

    def write(self) -> None:
        """Create the held rows now: before a save that must come after them."""
        create(self.model, self.held)
        self.held = []


def add_to_new(related: Any, objects: Iterable[Model]) -> None:
    """`related.add(*objects)` for a many-to-many manager of a row made in this
    transaction. Django's `add` asks `_get_missing_target_ids` which links are missing and
    takes the difference of the ids with what it read; the difference with nothing is the
    same set, built the same way (verified with Django 5.2: a later Django without that
    method simply reads again)."""
    related._get_missing_target_ids = lambda *args: args[-1].difference(())
    related.add(*objects)
