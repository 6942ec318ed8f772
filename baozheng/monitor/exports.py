"""Bulletin downloads built once per change of their inputs and then served as files.

An Excel or Word bulletin costs 2.7–4.8 s of CPU, 20–60 times the bulletin behind it,
and at month-end everyone downloads the same few documents. Each (period, parent,
format) is written once per data version to `REPORTS_DIR/bulletins/`. On the web a
document not written yet is built by a background job (`monitor/jobs.py`, one job per
document and version that concurrent requests join); the command line builds it here.
The file cache itself (a lock file per document, at most `EXPORT_BUILDS` builds per
process, older versions removed) is `baozheng.documents.filecache`, shared with the
key-project bulletin.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from baozheng.analysis.periods import Period
from baozheng.documents import filecache, pdf
from baozheng.lib.gongwen import Letterhead
from baozheng.monitor.versioning import current
from baozheng.org.models import Unit
from baozheng.stats.bulletin import Bulletin, bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx

FORMATS = ("json", "xlsx", "docx", "pdf")
FOLDER = "bulletins"


def writers(head: Letterhead | None, draft: str) -> dict[str, Callable[[Bulletin], bytes]]:
    return {
        "json": lambda computed: json.dumps(computed.data, ensure_ascii=False, indent=1).encode(),
        "xlsx": bulletin_xlsx,
        "docx": lambda computed: bulletin_docx(computed, head=head, draft=draft),
        "pdf": lambda computed: pdf.docx_to_pdf(bulletin_docx(computed, head=head, draft=draft)),
    }


def directory() -> Path:
    return filecache.directory(FOLDER)


def _stem(period: Period, parent: Unit, fmt: str, head: Letterhead | None, draft: str) -> str:
    return f"{period.code}-{parent.code}-{fmt}{filecache.variant(fmt, head, draft)}"


def file_name(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> str:
    """The document's file name for the current data version: also the key of the one
    job that builds it."""
    return f"{_stem(period, parent, fmt, head, draft)}-{current()}.{fmt}"


def cached_file(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> Path | None:
    return filecache.cached(FOLDER, file_name(period, parent, fmt, head=head, draft=draft))


def bulletin_file(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> Path:
    """The document's file for the current data version, built if it does not exist yet
    (`filecache.written`: the bulletin computed, then the file written)."""
    return filecache.written(
        FOLDER,
        _stem(period, parent, fmt, head, draft),
        current(),
        fmt,
        lambda: bulletin(period, parent),
        lambda computed: writers(head, draft)[fmt](computed),
    )
