"""The version of the bulletin's inputs, the key of every cached bulletin and export."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """One row whose number goes up, in the writer's transaction, whenever an input of the
    bulletins changes: approved or locked figures, imports, targets, indicators, units and
    peer groups (receivers in `baozheng.monitor.versioning`). Drafts, submissions and
    unrelated audited edits leave it alone, so month-end data entry does not empty the
    cache. A counter rather than "the newest id of a log" because ids are handed out
    before commit: a transaction committing after a later one would not move the newest
    id, and its change would never reach the cache."""

    number = models.BigIntegerField("版本号", default=0)
    # Drawn anew at every change: a number alone could come back after a rolled-back
    # transaction (or a restored backup) and name a cache entry of other data.
    token = models.CharField("标识", max_length=32, default="")

    class Meta:
        verbose_name = "通报数据版本"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.number)
