"""New rows saved together as `save()` saves each one: one INSERT for all of them.

`save()` on a new row sends `pre_save`, inserts the row and sends `post_save` (its audit
entry, the data versions it moves). `create` sends the same two signals for every row, in
the rows' order, around one `bulk_create`: the same rows, ids and receivers' work, without
a statement and a savepoint per row (the demo's two hundred targets). The rows must not
point at each other, and the caller's order is the order the rows would have been saved.
"""

from __future__ import annotations

from collections.abc import Sequence

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
