"""What every route of the API shares: the unit a filter names (refused outside scope),
pagination in one shape, and batch writes through the same importers as the command line."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from ninja.errors import HttpError

from baozheng.api.errors import error_response
from baozheng.org.models import Unit
from baozheng.org.permissions import can
from baozheng.org.roles import Cap

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_BATCH_BYTES = 20 * 1024 * 1024


def unit_in_scope(request: HttpRequest, code: str, cap: str = Cap.VIEW) -> Unit:
    """The unit named by a filter; 404 when there is none, 403 when it lies outside the
    caller's scope (the same answer the pages give)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise HttpError(404, f"找不到单位“{code}”")
    if not can(request.user, cap, unit):
        raise HttpError(403, f"单位“{unit.name}”不在您的数据范围内")
    return unit


def page_of(queryset: QuerySet, page: int, page_size: int, row: Any) -> dict:
    """One page of `queryset` as `{"count", "page", "pages", "items"}`, items made by `row`."""
    if page < 1:
        raise HttpError(400, "页码应从 1 开始")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"每页条数应在 1 到 {MAX_PAGE_SIZE} 之间")
    paginator = Paginator(queryset, page_size)
    if page > max(paginator.num_pages, 1):
        raise HttpError(404, f"页码超出范围（共 {paginator.num_pages} 页）")
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "items": [row(obj) for obj in paginator.page(page).object_list],
    }


def number(value: Decimal | None) -> float | None:
    """Stored decimals as JSON numbers (the bulletin contract: numbers, never strings)."""
    return None if value is None else float(value)


def batch_file(request: HttpRequest) -> tuple[bytes, str, list[dict]]:
    """The body of a batch write as CSV bytes for the importers, with the rows as sent.

    A JSON body `{"rows": [{...}, ...]}` uses the import's column names (English or
    Chinese); `null` or an absent key means "not supplied", "-" clears, as in a file. A
    `text/csv` body is the import file itself."""
    if len(request.body) > MAX_BATCH_BYTES:
        raise HttpError(413, f"请求体超过 {MAX_BATCH_BYTES // 1024 // 1024} MB，请分批提交")
    content_type = request.content_type or ""
    if content_type in ("text/csv", "application/csv"):
        try:
            text = request.body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HttpError(400, "CSV 请求体应为 UTF-8 编码") from None
        sent = list(csv.DictReader(io.StringIO(text)))
        return request.body, "batch.csv", sent
    if content_type != "application/json":
        raise HttpError(415 if content_type else 400, "请求体应为 application/json 或 text/csv")
    try:
        body = json.loads(request.body or b"null", parse_float=Decimal)
    except (ValueError, RecursionError):
        raise HttpError(400, "请求体不是有效的 JSON") from None
    rows = body.get("rows") if isinstance(body, dict) else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise HttpError(400, '请求体应为 {"rows": [ {…}, … ]}，且至少包含一行')
    headers: list[str] = []
    for row in rows:
        headers.extend(k for k in row if k not in headers)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in headers])
    return out.getvalue().encode(), "batch.csv", rows


KEY_NAMES = {
    "indicator": ("indicator", "指标", "指标编码", "指标名称"),
    "unit": ("unit", "地区", "地区编码", "单位"),
    "period": ("period", "期间"),
    "year": ("year", "年度"),
}


def row_key(sent: dict) -> dict:
    """The identifying fields of a sent row (indicator, unit, period or year), for errors."""
    key = {}
    for name, aliases in KEY_NAMES.items():
        for alias in aliases:
            if sent.get(alias) not in (None, ""):
                key[name] = str(sent[alias])
                break
    return key


def batch_response(report: Any, sent: list[dict]) -> JsonResponse:
    """The import report as the API's answer: 200 with the counts, or 422 in the error shape
    with every row problem (its index in the batch, the row's key, the column, the message)."""
    counts = {
        "dry_run": report.dry_run,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "summary": report.summary(),
    }
    if report.ok:
        return JsonResponse(counts)
    errors = []
    for e in report.errors:
        index = e.row - 2 if e.row >= 2 else None
        key = row_key(sent[index]) if index is not None and index < len(sent) else {}
        errors.append({"index": index, "key": key, "column": e.column, "message": str(e)})
    return error_response(422, report.summary(), "rows_invalid", errors=errors, **counts)
