"""The house rules that a newcomer relies on, checked cheaply on every run.

- The computation packages never import Django, not even through another module (checked in a
  fresh interpreter, since an import made by a test would hide it).
- Starting Django loads neither the statistics engine nor the office libraries, nor, on
  SQLite, the PostgreSQL driver.
- The statistics core stands below the apps that use it: it imports neither projects nor
  monitoring, so that the bulletin can be computed and tested without them.
"""

from __future__ import annotations

import ast
import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "baozheng"

PURE = [
    *(
        f"baozheng.analysis.{p.stem}"
        for p in sorted((PACKAGE / "analysis").glob("*.py"))
        if p.stem != "__init__"
    ),
    "baozheng.assessment.methods",
    "baozheng.assessment.standings",
    "baozheng.assessment.periods",
    "baozheng.projects.rules",
    "baozheng.reporting.expressions",
    "baozheng.projects.figures",
    "baozheng.contest.draw",
    "baozheng.contest.formula",
    "baozheng.contest.prizes",
    "baozheng.contest.conflicts",
    "baozheng.contest.rollup",
]

# app → apps it must never import (lower layers do not reach up). The API layer's helpers
# (`api.common`) serve every app's routes, and the 公文 settings (`documents`) every document.
UPPER = {"stats", "reporting", "monitor", "projects", "tasks", "contest", "assessment", "headline"}
FORBIDDEN = {
    "stats": {"projects", "monitor", "tasks", "contest", "assessment", "headline"},
    "org": UPPER | {"jobs", "documents"},
    "workcal": UPPER | {"org", "jobs", "documents", "api"},
    "lib": UPPER | {"jobs"},
    "analysis": UPPER | {"org", "lib", "jobs", "documents", "api"},
}


def test_the_pure_packages_import_no_django_even_indirectly() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), name\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "baozheng" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def test_lower_layers_never_import_the_apps_above_them() -> None:
    offences = []
    for app, forbidden in FORBIDDEN.items():
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for reached in _imported_apps(path) & forbidden:
                offences.append(f"{path.relative_to(ROOT)} imports baozheng.{reached}")
    assert offences == []


def test_starting_django_loads_no_computation_or_office_library() -> None:
    """Every command, server worker and job worker starts with `django.setup()`; the
    statistics engine's polars and numpy and the office libraries load when a page, job or
    command first needs them, not at start (0.3 s of every start here)."""
    assert started_django(sqlite=False).libraries == "[]"


def test_a_process_on_sqlite_loads_no_postgresql_driver() -> None:
    """The overload check asks whether an error is the connection pool's timeout without
    importing the pool (which loads psycopg: 0.05 s of every start on SQLite)."""
    started = started_django(sqlite=True)
    assert started.vendor == "sqlite"
    assert started.drivers == "[]"


class Started(NamedTuple):
    libraries: str  # of polars, numpy, openpyxl and docx, those loaded by django.setup()
    vendor: str
    drivers: str  # of psycopg and its pool, those loaded once the error handlers are resolved


def started_django(sqlite: bool) -> Started:
    """What a new process that has just started Django has loaded (on SQLite, with no
    DATABASE_URL, when `sqlite`). One process answers both tests where the run is on
    SQLite already: a start of Python and Django (0.5 s) less."""
    return _started(sqlite or "DATABASE_URL" not in os.environ)


@functools.cache
def _started(sqlite: bool) -> Started:
    code = (
        "import os, sys, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'baozheng.settings'\n"
        + ("os.environ.pop('DATABASE_URL', None)\n" if sqlite else "")
        + "django.setup()\n"
        "def loaded(names): print(sorted({m.split('.')[0] for m in sys.modules} & names))\n"
        "loaded({'polars', 'numpy', 'openpyxl', 'docx'})\n"
        "from django.urls import get_resolver\n"
        "get_resolver().resolve_error_handler(500)  # as the system checks do\n"
        "from django.db import connection\n"
        "print(connection.vendor)\n"
        "loaded({'psycopg', 'psycopg_pool'})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return Started(*result.stdout.strip().splitlines())
