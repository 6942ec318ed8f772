"""The version of the bulletin's inputs, the key of every cached bulletin and export."""

from __future__ import annotations

from baozheng.lib.versions import VersionCounter


class DataVersion(VersionCounter):
    """One row whose number goes up, in the writer's transaction, whenever an input of the
    bulletins changes: approved or locked figures, imports, targets, indicators, units and
    peer groups (receivers in `baozheng.monitor.versioning`). Drafts, submissions and
    unrelated audited edits leave it alone, so month-end data entry does not empty the
    cache."""

    class Meta:
        verbose_name = "通报数据版本"
        verbose_name_plural = verbose_name
