"""The key-project bulletin's Excel, Word and PDF documents, built once per change of
their inputs and per reader's scope, then served as files (`documents/filecache.py`).

A document's content is the bulletin of one month over the projects and ranked counties
its reader may see, so its file name carries the month, a fingerprint of that scope (the
visible projects' ids and the counties' codes), the format, the letterhead variant and the
key-project data version (`projects/versioning.py`). Readers who see the same projects and
counties share a file; a reader who sees fewer never matches a file built for more. The
scope is taken again where the file is built and the bulletin is built from exactly those
projects, so a file's name always describes its content even when a scope changed between
the request and the build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from baozheng.documents import filecache, pdf
from baozheng.lib.gongwen import Letterhead
from baozheng.org.models import Unit
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.projects.bulletin import build, ranked_counties, to_docx, to_xlsx
from baozheng.projects.facts import visible_projects
from baozheng.projects.models import Project
from baozheng.projects.rules import Month
from baozheng.projects.versioning import current

FORMATS = ("xlsx", "docx", "pdf")
FOLDER = "project-bulletins"


@dataclass(frozen=True)
class Scope:
    """The projects and ranked counties one reader sees of the bulletin."""

    project_ids: tuple[int, ...]
    counties: tuple[Unit, ...]

    @property
    def fingerprint(self) -> str:
        seen = ",".join(map(str, self.project_ids)) + "|" + ",".join(u.code for u in self.counties)
        return hashlib.sha256(seen.encode()).hexdigest()[:16]


def visible_counties(user) -> list[Unit]:
    """The ranked counties in the user's scope: the bulletin's ranking rows."""
    return [u for u in ranked_counties() if can(user, Cap.VIEW, u)]


def scope_of(user) -> Scope:
    ids = visible_projects(user).order_by("pk").values_list("pk", flat=True)
    return Scope(tuple(ids), tuple(visible_counties(user)))


def writers(head: Letterhead | None) -> dict[str, Callable[[dict], bytes]]:
    return {
        "xlsx": to_xlsx,
        "docx": lambda data: to_docx(data, head=head),
        "pdf": lambda data: pdf.docx_to_pdf(to_docx(data, head=head)),
    }


def _stem(month: Month, scope: Scope, fmt: str, head: Letterhead | None) -> str:
    """The title names the home unit, which `BAOZHENG_HOME_UNIT` can change without any
    write the data version would see: its code is part of the name."""
    home = Unit.objects.home().code
    return f"{month}-{home}-{scope.fingerprint}-{fmt}{filecache.variant(fmt, head)}"


def file_name(month: Month, scope: Scope, fmt: str, head: Letterhead | None) -> str:
    """The document's file name for the current data version: also the key of the one
    job that builds it."""
    return f"{_stem(month, scope, fmt, head)}-{current()}.{fmt}"


def cached_file(month: Month, scope: Scope, fmt: str, head: Letterhead | None) -> Path | None:
    return filecache.cached(FOLDER, file_name(month, scope, fmt, head))


def bulletin_file(month: Month, scope: Scope, fmt: str, head: Letterhead | None) -> Path:
    """The document's file for the current data version, built if it does not exist yet."""
    projects = Project.objects.filter(pk__in=scope.project_ids)
    return filecache.written(
        FOLDER,
        _stem(month, scope, fmt, head),
        current(),
        fmt,
        lambda: build(projects, list(scope.counties), month),
        lambda data: writers(head)[fmt](data),
    )
