"""The validation rules on import (docs/reporting.md 校验规则): the rows an import is about
to write are checked exactly as a submission is (`baozheng.reporting.rules`). A row that
breaks an error rule refuses the whole import; a row that breaks a warning rule needs
its explanation column (说明), which is kept as the revision's reason where the entry
grid keeps it, so the approver reads it beside the figure.

One function, called with the rows to be written (a chunked import calls it once per
chunk with the same `Approved` reader, so the comparison figures are read once)."""

from __future__ import annotations

from decimal import Decimal

from baozheng.analysis.periods import Period
from baozheng.lib.tabular import ImportReport
from baozheng.org.models import Unit
from baozheng.stats.models import Indicator

# (row number, indicator, unit, (indicator id, unit id, year, month), value, growth, explanation)
Written = tuple[
    int, Indicator, Unit, tuple[int, int, int, int], Decimal | None, Decimal | None, str
]


def check_rules(rows: list[Written], report: ImportReport, approved=None) -> dict[tuple, str]:
    """Report every error violation and every unexplained warning as a row error; return
    the revision reason (warnings and explanation) of each explained row, by key."""
    from baozheng.reporting import rules

    active = rules.active_rules()
    if not active or not rows:
        return {}  # an installation without rules pays one query, not one per row
    figures = [
        rules.Figures(indicator, unit, Period(key[2], key[3]), value, growth)
        for _, indicator, unit, key, value, growth, _ in rows
    ]
    reasons: dict[tuple, str] = {}
    for (number, _, _, key, _, _, explanation), found in zip(
        rows, rules.check_many(figures, approved, active), strict=True
    ):
        for violation in found:
            if violation.is_error:
                report.error(number, "校验规则", f"{violation.located}（错误，不能导入）")
        warnings = [v for v in found if not v.is_error]
        if warnings and not explanation.strip():
            texts = "；".join(v.located for v in warnings)
            report.error(number, "说明", f"{texts}（警告：须在“说明”列写明原因）")
        elif warnings and (problem := rules.explanation_problem(explanation)):
            report.error(number, "说明", problem)
        elif warnings:
            reasons[key] = rules.explained(warnings, explanation)
    return reasons
