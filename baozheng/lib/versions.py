"""A data version: one database row whose number moves, in the writer's transaction,
whenever an input of some cached result changes. Each cache that needs one (the
statistics bulletins, the key-project bulletin) has its own concrete model, so that a
write to one's inputs leaves the other's files and cache entries alone.

A counter rather than "the newest id of a log" because ids are handed out before commit:
a transaction committing after a later one would not move the newest id, and its change
would never reach the cache.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, models, transaction
from django.db.models import F

SINGLETON = 1

# Bumps counted per counter while `deferred()` is open, applied when it closes.
_pending: ContextVar[dict[type[VersionCounter], int] | None] = ContextVar(
    "deferred_bumps", default=None
)


@contextmanager
def deferred() -> Iterator[None]:
    """Count the bumps of a long run of writes (a demo load: hundreds of saved targets,
    units and revisions) and move each counter once, by their number, at the end: the
    same version number as bump by bump, one UPDATE instead of hundreds. A read of a
    counter (`current`) in between applies its pending bumps first, so no cache key is
    made on a stale version. Open it inside the writers' transaction; nested, the
    outermost applies."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        for counter, count in _pending.get({}).items():
            counter.move(count)
    finally:
        _pending.reset(token)


class VersionCounter(models.Model):
    number = models.BigIntegerField("版本号", default=0)
    # Drawn anew at every change: a number alone could come back after a rolled-back
    # transaction (or a restored backup) and name a cache entry of other data.
    token = models.CharField("标识", max_length=32, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current(cls) -> str:
        """The version now, as a cache-key part: one primary-key read."""
        pending = _pending.get()
        if pending and pending.get(cls):
            cls.move(pending.pop(cls))
        found = cls.objects.filter(pk=SINGLETON).values_list("number", "token").first()
        if found is None:
            cls.bump()
            return cls.current()
        return f"{found[0]}-{found[1]}"

    @classmethod
    def bump(cls) -> None:
        """Move the version on; inside the writer's transaction, so readers see the new
        version exactly when they can see the new data."""
        pending = _pending.get()
        if pending is None:
            cls.move(1)
        else:
            pending[cls] = pending.get(cls, 0) + 1

    @classmethod
    def move(cls, steps: int) -> None:
        """Move the version on by `steps` bumps at once, with one new token."""
        token = secrets.token_hex(8)
        if not cls.objects.filter(pk=SINGLETON).update(number=F("number") + steps, token=token):
            try:
                with transaction.atomic():
                    cls.objects.create(pk=SINGLETON, number=steps, token=token)
            except IntegrityError:  # created at the same moment by another process
                cls.objects.filter(pk=SINGLETON).update(number=F("number") + steps, token=token)
