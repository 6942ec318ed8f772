"""Bulletin downloads built once per change of their inputs and then served as files.

An Excel or Word bulletin costs 2.7–4.8 s of CPU, 20–60 times the bulletin behind it,
and at month-end everyone downloads the same few documents. Each (period, parent,
format) is written once per data version to `REPORTS_DIR/bulletins/`. On the web a
document not written yet is built by a background job (`monitor/jobs.py`, one job per
document and version that concurrent requests join); the command line builds it here.
A build started elsewhere is waited for (a lock file, so across workers and servers
sharing the directory) instead of being repeated, and a process builds at most
`EXPORT_BUILDS` documents at once. Files of older versions are removed when their
successor is written.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings

from baozheng.analysis.periods import Period
from baozheng.documents import pdf
from baozheng.lib.gongwen import Letterhead
from baozheng.lib.progress import STEPS, advance
from baozheng.monitor.versioning import current
from baozheng.org.models import Unit
from baozheng.stats.bulletin import Bulletin, bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx

FORMATS = ("json", "xlsx", "docx", "pdf")
_builds: threading.BoundedSemaphore | None = None
_builds_guard = threading.Lock()


def writers(head: Letterhead | None, draft: str) -> dict[str, Callable[[Bulletin], bytes]]:
    return {
        "json": lambda computed: json.dumps(computed.data, ensure_ascii=False, indent=1).encode(),
        "xlsx": bulletin_xlsx,
        "docx": lambda computed: bulletin_docx(computed, head=head, draft=draft),
        "pdf": lambda computed: pdf.docx_to_pdf(bulletin_docx(computed, head=head, draft=draft)),
    }


def _variant(fmt: str, head: Letterhead | None, draft: str) -> str:
    """A Word (or PDF) document also depends on its letterhead, its draft mark and, when no
    signing date is set, on today's date: they are part of its file name."""
    if fmt not in ("docx", "pdf"):
        return ""
    today = date.today() if head is None or head.signed is None else None
    stamp = repr((head, draft, today)).encode()
    return "-" + hashlib.sha256(stamp).hexdigest()[:12]


def build_slots() -> threading.BoundedSemaphore:
    global _builds
    with _builds_guard:
        if _builds is None:
            _builds = threading.BoundedSemaphore(max(1, settings.EXPORT_BUILDS))
        return _builds


def directory() -> Path:
    path = Path(settings.REPORTS_DIR) / "bulletins"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stem(period: Period, parent: Unit, fmt: str, head: Letterhead | None, draft: str) -> str:
    return f"{period.code}-{parent.code}-{fmt}{_variant(fmt, head, draft)}"


def file_name(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> str:
    """The document's file name for the current data version: also the key of the one
    job that builds it."""
    return f"{_stem(period, parent, fmt, head, draft)}-{current()}.{fmt}"


def cached_file(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> Path | None:
    path = directory() / file_name(period, parent, fmt, head=head, draft=draft)
    return path if path.exists() else None


def bulletin_file(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> Path:
    """The document's file for the current data version, built if it does not exist yet.
    Progress: the bulletin computed (step 1 of 2), the file written (step 2)."""
    stem = _stem(period, parent, fmt, head, draft)
    path = directory() / f"{stem}-{current()}.{fmt}"
    if path.exists():
        return path
    with open(directory() / f"{stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build per document; the others wait here
        if path.exists():
            return path
        with build_slots():
            advance(STEPS, 0, 2)
            computed = bulletin(period, parent)
            advance(STEPS, 1, 2)
            data = writers(head, draft)[fmt](computed)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
        for older in directory().glob(f"{stem}-*.{fmt}"):
            if older != path:
                older.unlink(missing_ok=True)
    advance(STEPS, 2, 2)
    return path
