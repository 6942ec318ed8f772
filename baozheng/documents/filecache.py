"""Documents built once per version of their inputs and then served as files.

An Excel or Word document costs seconds of CPU, many times the figures behind it, and at
month-end everyone downloads the same few documents. Each document is written once per
data version to `REPORTS_DIR/<folder>/<stem>-<version>.<format>`. A build started
elsewhere is waited for (a lock file per stem, so across workers and servers sharing the
directory) instead of being repeated, and a process builds at most `EXPORT_BUILDS`
documents at once, whichever bulletin they belong to. Files of older versions are removed
when their successor is written.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.conf import settings

from baozheng.documents import pdf
from baozheng.jobs import runner
from baozheng.lib.gongwen import Letterhead
from baozheng.lib.progress import STEPS, advance

T = TypeVar("T")
FORMAT_LABELS = {"xlsx": "Excel", "docx": "Word", "pdf": "PDF"}
_builds: threading.BoundedSemaphore | None = None
_builds_guard = threading.Lock()


def build_slots() -> threading.BoundedSemaphore:
    global _builds
    with _builds_guard:
        if _builds is None:
            _builds = threading.BoundedSemaphore(max(1, settings.EXPORT_BUILDS))
        return _builds


def directory(folder: str) -> Path:
    path = Path(settings.REPORTS_DIR) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def variant(fmt: str, head: Letterhead | None, draft: str = "") -> str:
    """A Word (or PDF) document also depends on its letterhead, its draft mark and, when no
    signing date is set, on today's date: they are part of its file name."""
    if fmt not in ("docx", "pdf"):
        return ""
    today = date.today() if head is None or head.signed is None else None
    stamp = repr((head, draft, today)).encode()
    return "-" + hashlib.sha256(stamp).hexdigest()[:12]


def cached(folder: str, name: str) -> Path | None:
    path = directory(folder) / name
    return path if path.exists() else None


def written(
    folder: str,
    stem: str,
    version: str,
    fmt: str,
    compute: Callable[[], T],
    write: Callable[[T], bytes],
) -> Path:
    """The file `<stem>-<version>.<fmt>`, written from `write(compute())` if it does not
    exist yet. Progress: the figures computed (step 1 of 2), the file written (step 2)."""
    path = directory(folder) / f"{stem}-{version}.{fmt}"
    if path.exists():
        return path
    with open(directory(folder) / f"{stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build per document; the others wait here
        if path.exists():
            return path
        with build_slots():
            advance(STEPS, 0, 2)
            computed = compute()
            advance(STEPS, 1, 2)
            data = write(computed)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
        for older in directory(folder).glob(f"{stem}-*.{fmt}"):
            if older != path:
                older.unlink(missing_ok=True)
    advance(STEPS, 2, 2)
    return path


def job_result(build: Callable[[], Path], fmt: str, url: str) -> dict:
    """A document job's work: the file `build` returns, and what the job's result page says
    and links, for every kind of document. A PDF that cannot be made (no LibreOffice, a
    failed conversion) fails the job with the reason in Chinese, so that it can be retried."""
    try:
        path = build()
    except pdf.PdfUnavailable as exc:
        raise runner.JobFailed(str(exc)) from None
    label = FORMAT_LABELS[fmt]
    return {
        "ok": True,
        "summary": f"通报已生成（{label}，{path.stat().st_size / 1024:.0f} KB）。",
        "links": [[f"下载{label}文件", url]],
    }
