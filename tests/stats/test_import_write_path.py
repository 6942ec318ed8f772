"""The observation import's write: COPY on PostgreSQL (inserts and updates), and all or
nothing when the importing process is killed with SIGKILL half-way through its write, on
both databases."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from baozheng.org import demo
from baozheng.stats.imports import run_import
from baozheng.stats.models import ImportBatch, Observation, ObservationRevision
from baozheng.testing import BaozhengTestCase
from tests.stats import factory

ROOT = Path(__file__).resolve().parents[2]
COUNTIES = ("411302", "411303", "411321", "411322", "411323", "411324", "411325")


def rows_csv(value: str = "1.5") -> bytes:
    lines = ["indicator,unit,period,value"]
    for year in range(2001, 2024):
        for month in range(2, 13):
            for unit in COUNTIES:
                lines.append(f"RETAIL,{unit},{year}-{month:02d},{value}")
    return factory.csv("\n".join(lines))


class CopyTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()

    def test_postgresql_receives_inserts_and_updates_through_copy(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("COPY is PostgreSQL's")
        with CaptureQueriesContext(connection) as queries:
            report = run_import("observations", rows_csv(), "data.csv", None)
        self.assertTrue(report.ok, report.errors[:3])
        written = [q["sql"] for q in queries.captured_queries]
        self.assertFalse([sql for sql in written if sql.startswith('INSERT INTO "stats_observ')])
        self.assertEqual(Observation.objects.count(), report.created)
        self.assertEqual(ObservationRevision.objects.count(), report.created)
        report = run_import("observations", rows_csv("2.25"), "data.csv", None)
        self.assertEqual(report.updated, Observation.objects.count())
        self.assertEqual(
            set(Observation.objects.values_list("value", flat=True)), {Decimal("2.25")}
        )
        self.assertEqual(ObservationRevision.objects.count(), 2 * report.updated)


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    import django
    django.setup()
    from baozheng.lib.progress import reporting
    from baozheng.stats.imports import run_import
    from baozheng.stats.imports.observations import ObservationImporter

    ObservationImporter.chunk_rows = 100  # many small chunks, each written before the next

    def kill_after_first_chunk(stage, done, total):
        if stage == "written" and 0 < done < total:
            os.kill(os.getpid(), signal.SIGKILL)

    with reporting(kill_after_first_chunk):
        run_import("observations", open(sys.argv[1], "rb").read(), "data.csv", None)
    print("not killed")
    """
)


class KilledImportTests(TransactionTestCase):
    def test_an_import_killed_while_writing_leaves_nothing(self) -> None:
        demo.create_units()
        factory.indicators()
        db = connection.settings_dict
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
        if connection.vendor == "postgresql":
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            )
        else:
            if "memory" in str(db["NAME"]) or db["NAME"] == ":memory:":
                pytest.skip("the SQLite test database lives in this process's memory")
            env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
        env["DJANGO_SETTINGS_MODULE"] = "baozheng.settings"
        data = Path(self._testMethodName + ".csv")
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"bz-kill-{os.getpid()}-{data}"
        tmp.write_bytes(rows_csv())
        self.addCleanup(tmp.unlink, missing_ok=True)
        done = subprocess.run(
            [sys.executable, "-c", KILLER, str(tmp)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(done.returncode, -9, done.stdout + done.stderr[-2000:])
        self.assertEqual(Observation.objects.count(), 0)
        self.assertEqual(ObservationRevision.objects.count(), 0)
        self.assertFalse(ImportBatch.objects.filter(dry_run=False, errors=0).exists())
