"""The wide layout statistics offices publish for one indicator and one period:

    地区        累计值    增长(%)
    全市        1234.5     8.2
    甲区         210.3     7.9
    …

Title rows above the header are skipped; the first column names the unit; a total row
(全市, 全省, 合计 …) is the common parent of the other units in the table; an optional
说明 column explains figures that break a warning rule. The rows are
turned into the long layout and validated and written exactly as `observations` does.
"""

from __future__ import annotations

from baozheng.lib.tabular import ImportFileError, ImportReport, Row, RowList, read_table
from baozheng.stats.imports.context import ImportContext, squeeze
from baozheng.stats.imports.observations import ObservationImporter

VALUE_HEADERS = {"累计值", "本年累计", "累计", "绝对值", "value"}
GROWTH_HEADERS = {
    "增长(%)",
    "增长（%）",
    "同比增长(%)",
    "同比增长（%）",
    "同比增长",
    "增速(%)",
    "增速（%）",
    "比上年同期增长(%)",
    "比上年同期增长（%）",
    "growth",
}
EXPLAIN_HEADERS = {"说明", "填报说明", "explanation"}
TOTAL_NAMES = {"全市", "全省", "全县", "全区", "合计", "总计"}


def _header(grid: list[list[str]]) -> tuple[int, int | None, int | None]:
    for index, cells in enumerate(grid):
        names = [squeeze(c).lower() for c in cells]
        value = next((i for i, c in enumerate(names) if i and c in VALUE_HEADERS), None)
        growth = next((i for i, c in enumerate(names) if i and c in GROWTH_HEADERS), None)
        if value is not None or growth is not None:
            return index, value, growth
    raise ImportFileError("找不到表头：需要“累计值”或“增长(%)”列，第一列为地区")


def wide_rows(
    data: bytes, file_name: str, indicator: str, period: str, ctx: ImportContext
) -> list[Row]:
    """The table as long-layout rows, numbered as the user sees them in the file."""
    grid = read_table(data, file_name)
    start, value_col, growth_col = _header(grid)
    names = [squeeze(c).lower() for c in grid[start]]
    explain_col = next((i for i, c in enumerate(names) if i and c in EXPLAIN_HEADERS), None)
    rows: list[Row] = []
    totals: list[Row] = []
    for number, cells in enumerate(grid[start + 1 :], start=start + 2):
        name = squeeze(cells[0]) if cells else ""
        if not name or not any(cells[1:]):
            continue

        def cell(col: int | None, cells: list[str] = cells) -> str:
            return cells[col] if col is not None and col < len(cells) else ""

        row = Row(
            number,
            {
                "indicator": indicator,
                "unit": name,
                "period": period,
                "value": cell(value_col),
                "growth": cell(growth_col),
                "explanation": cell(explain_col),
            },
        )
        (totals if name in TOTAL_NAMES else rows).append(row)
    if totals:
        parents = set()
        for row in rows:
            try:
                parents.add(ctx.unit(row.get("unit")).parent_id)
            except ValueError:
                continue
        parent = ctx.unit_by_pk(parents.pop()) if len(parents) == 1 else None
        for row in totals:
            if parent is not None:
                row.values["unit"] = parent.code
        rows.extend(totals)
        rows.sort(key=lambda r: r.number)
    return rows


def import_wide(
    data: bytes,
    file_name: str,
    ctx: ImportContext,
    indicator: str,
    period: str,
    dry_run: bool = False,
) -> ImportReport:
    if not indicator.strip() or not period.strip():
        raise ImportFileError("宽表导入须指定指标（--indicator）和期间（--period）")
    rows = wide_rows(data, file_name, indicator.strip(), period.strip(), ctx)
    return WideImporter(ctx, file_name, rows).run(data, file_name, dry_run)


class WideImporter(ObservationImporter):
    """The long-layout importer over the rows the wide table was turned into."""

    def __init__(self, ctx: ImportContext, file_name: str, rows: list[Row]) -> None:
        super().__init__(ctx, file_name)
        self.rows = rows

    def read(self, data: bytes, file_name: str) -> RowList:
        return RowList(self.rows, ["indicator", "unit", "period", "value", "growth"])
