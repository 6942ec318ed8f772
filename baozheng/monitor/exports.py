"""Bulletin downloads built once per change of their inputs and then served as files.

An Excel or Word bulletin costs 2.7–4.8 s of CPU, 20–60 times the bulletin behind it,
and at month-end everyone downloads the same few documents. Each (period, parent,
format) is written once per data version to `REPORTS_DIR/bulletins/`; a request for a
document being built waits for that build (a lock file, so across workers and servers
sharing the directory) instead of starting its own; and a process builds at most
`EXPORT_BUILDS` documents at once, so that a burst of downloads of different documents
cannot take every thread and all the memory of a worker. Files of older versions are
removed when their successor is written.
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
from baozheng.lib.gongwen import Letterhead
from baozheng.monitor.versioning import current
from baozheng.org.models import Unit
from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx

_builds: threading.BoundedSemaphore | None = None
_builds_guard = threading.Lock()


def builders(head: Letterhead | None, draft: str) -> dict[str, Callable[[Period, Unit], bytes]]:
    return {
        "json": lambda period, parent: json.dumps(
            bulletin(period, parent).data, ensure_ascii=False, indent=1
        ).encode(),
        "xlsx": lambda period, parent: bulletin_xlsx(bulletin(period, parent)),
        "docx": lambda period, parent: bulletin_docx(
            bulletin(period, parent), head=head, draft=draft
        ),
    }


def _variant(fmt: str, head: Letterhead | None, draft: str) -> str:
    """A Word document also depends on its letterhead, its draft mark and, when no signing
    date is set, on today's date: they are part of its file name."""
    if fmt != "docx":
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


def bulletin_file(
    period: Period, parent: Unit, fmt: str, *, head: Letterhead | None = None, draft: str = ""
) -> Path:
    """The document's file for the current data version, built if it does not exist yet."""
    build = builders(head, draft)[fmt]
    stem = f"{period.code}-{parent.code}-{fmt}{_variant(fmt, head, draft)}"
    path = directory() / f"{stem}-{current()}.{fmt}"
    if path.exists():
        return path
    with open(directory() / f"{stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build per document; the others wait here
        if path.exists():
            return path
        with build_slots():
            data = build(period, parent)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
        for older in directory().glob(f"{stem}-*.{fmt}"):
            if older != path:
                older.unlink(missing_ok=True)
    return path
