"""What moves the data version (`DataVersion`): the inputs of the bulletin, nothing else.

The bulletin reads approved figures (`Observation.value`/`growth`, which only approval,
revision, locking and imports write), targets, indicators, units with their peer groups.
Every approval and revision writes an `ObservationRevision` with a final status, every
import writes an `ImportBatch`, the others are saved or deleted as model instances.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from baozheng.monitor.models import DataVersion


def current() -> str:
    """The version now, as a cache-key part: one primary-key read."""
    return DataVersion.current()


def bump() -> None:
    """Move the version on, inside the writer's transaction."""
    DataVersion.bump()


def _changed(sender, **kwargs) -> None:
    bump()


def _revision_saved(sender, instance, **kwargs) -> None:
    from baozheng.stats.models import FINAL_STATUSES

    if instance.status in FINAL_STATUSES:
        bump()


def _batch_saved(sender, instance, created: bool, **kwargs) -> None:
    if created and not instance.dry_run and not instance.errors:  # an import that wrote
        bump()


def connect() -> None:
    from baozheng.org.models import PeerGroup, Unit
    from baozheng.stats.models import ImportBatch, Indicator, ObservationRevision, Target

    for model in (Indicator, Target, Unit, PeerGroup):
        post_save.connect(_changed, sender=model, dispatch_uid=f"data-version-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"data-version-del-{model.__name__}"
        )
    post_save.connect(_revision_saved, sender=ObservationRevision, dispatch_uid="data-version-rev")
    post_save.connect(_batch_saved, sender=ImportBatch, dispatch_uid="data-version-batch")
