"""A new database gets its tables from the models at once; any other is migrated.

Each case runs in its own process on its own SQLite file, with every migration operation
made to fail: the empty database must come out complete and up to date without running
one, and a database that already holds a table must go through the migrations."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration

class Replayed(Exception):
    pass

def refuse(self, *args, **kwargs):
    raise Replayed(self.app_label + "." + self.name)

Migration.apply = refuse
if sys.argv[1] == "occupied":
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE something_else (id integer)")
from baozheng.lib.schema import migrate_or_create
try:
    migrate_or_create()
except Replayed as replayed:
    print(json.dumps({"replayed": str(replayed)}))
    sys.exit()
migrate_or_create()  # the second start: migrate finds nothing to do
executor = MigrationExecutor(connection)
print(json.dumps({
    "tables": connection.introspection.table_names(),
    "recorded": len(executor.recorder.applied_migrations()),
    "migrations": len(executor.loader.disk_migrations),
    "pending": len(executor.migration_plan(executor.loader.graph.leaf_nodes())),
}))
"""


def run(case: str, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE_URL"))}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, case],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **env,
            "BAOZHENG_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "baozheng.settings",
        },
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_empty_database_gets_every_table_and_every_migration_recorded_without_replaying_one(
    tmp_path,
) -> None:
    result = run("empty", tmp_path)
    assert "replayed" not in result
    assert {"org_unit", "stats_target", "contest_contestant", "django_migrations"} <= set(
        result["tables"]
    )
    assert result["recorded"] == result["migrations"] > 100
    assert result["pending"] == 0


def test_a_database_that_holds_any_table_is_migrated(tmp_path) -> None:
    assert run("occupied", tmp_path)["replayed"].endswith("0001_initial")
