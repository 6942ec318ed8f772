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

from django.db import IntegrityError, models, transaction
from django.db.models import F

SINGLETON = 1


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
        found = cls.objects.filter(pk=SINGLETON).values_list("number", "token").first()
        if found is None:
            cls.bump()
            return cls.current()
        return f"{found[0]}-{found[1]}"

    @classmethod
    def bump(cls) -> None:
        """Move the version on; inside the writer's transaction, so readers see the new
        version exactly when they can see the new data."""
        token = secrets.token_hex(8)
        if not cls.objects.filter(pk=SINGLETON).update(number=F("number") + 1, token=token):
            try:
                with transaction.atomic():
                    cls.objects.create(pk=SINGLETON, number=1, token=token)
            except IntegrityError:  # created at the same moment by another process
                cls.objects.filter(pk=SINGLETON).update(number=F("number") + 1, token=token)
