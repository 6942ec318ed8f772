"""Imports of units, indicators, observations (long and wide layouts) and targets.

One entry point, `run_import`, for the command line and the upload page, so that both
follow the same rules and write the same audit event (`ImportBatch`)."""

from __future__ import annotations

from baozheng.lib.bounds import overlong
from baozheng.lib.heap import collector_paused
from baozheng.lib.tabular import ImportFileError, ImportReport
from baozheng.org.models import User
from baozheng.stats.imports.context import ImportContext
from baozheng.stats.imports.indicators import import_indicators
from baozheng.stats.imports.observations import import_observations
from baozheng.stats.imports.targets import import_targets
from baozheng.stats.imports.units import import_units
from baozheng.stats.imports.wide import import_wide
from baozheng.stats.models import ImportBatch, TargetRevision

KINDS = {
    "units": "单位",
    "indicators": "指标",
    "observations": "数据",
    "targets": "目标",
}


def reason_problem(kind: str, reason: str) -> str:
    """The refusal of a reason that the import's audit event or, for targets, each target's
    history (200 characters) could not keep whole; "" when it fits."""
    model = TargetRevision if kind == "targets" else ImportBatch
    return overlong(reason.strip(), model, "reason", "修改理由")


def run_import(
    kind: str,
    data: bytes,
    file_name: str,
    user: User | None = None,
    *,
    dry_run: bool = False,
    reason: str = "",
    channel: str = "cli",
    indicator: str = "",
    period: str = "",
) -> ImportReport:
    """Import one file. `user=None` is the command line (full authority, approved data).
    Observations given with `indicator` and `period` are read in the wide layout.
    Raises ImportFileError for an unreadable file or a write conflict, and PermissionDenied for a role that
    may not import this kind at all; row problems are in the report."""
    ctx = ImportContext(user=user, channel=channel, reason=reason.strip())
    importers = {
        "units": import_units,
        "indicators": import_indicators,
        "observations": import_observations,
        "targets": import_targets,
    }
    if kind not in importers:
        raise ValueError(f"未知的导入类型“{kind}”，可选：{'、'.join(KINDS)}")
    if problem := reason_problem(kind, reason):
        raise ImportFileError(problem)
    with collector_paused():
        if kind == "observations" and (indicator or period):
            return import_wide(data, file_name, ctx, indicator, period, dry_run)
        return importers[kind](data, file_name, ctx, dry_run)
