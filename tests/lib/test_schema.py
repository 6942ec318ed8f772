"""A new database gets its tables from the models at once; any other is migrated.

Both cases run in one process, each on its own SQLite file, with every migration operation
and `migrate --run-syncdb` made to fail: the empty database must come out complete and up
to date without either, and a database that already holds a table must go through the
migrations."""

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
from django.contrib.auth.models import Permission
from django.core.management.commands.migrate import Command as Migrate
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from baozheng.lib.schema import migrate_or_create

class Replayed(Exception):
    pass

def refuse(self, *args, **kwargs):
    raise Replayed(self.app_label + "." + self.name)

Migration.apply = refuse

def no_syncdb(self, *args, **kwargs):
    raise Replayed("migrate --run-syncdb")

Migrate.sync_apps = no_syncdb
migrate_or_create()
permissions = Permission.objects.count()  # post_migrate was sent
migrate_or_create()  # the second start: migrate finds nothing to do
executor = MigrationExecutor(connection)
empty = {
    "tables": connection.introspection.table_names(),
    "recorded": len(executor.recorder.applied_migrations()),
    "migrations": len(executor.loader.disk_migrations),
    "pending": len(executor.migration_plan(executor.loader.graph.leaf_nodes())),
    "permissions": permissions,
}
connection.close()
connection.settings_dict["NAME"] = sys.argv[1]
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE something_else (id integer)")
try:
    migrate_or_create()
    occupied = "created"
except Replayed as replayed:
    occupied = "replayed " + str(replayed)
print(json.dumps({"empty": empty, "occupied": occupied}))
"""


def run(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE_URL"))}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data_dir / "occupied.sqlite3")],
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


def test_an_empty_database_gets_every_table_and_every_migration_recorded_while_any_other_is_migrated(
    tmp_path,
) -> None:
    result = run(tmp_path)
    empty = result["empty"]
    assert {"org_unit", "stats_target", "contest_contestant", "django_migrations"} <= set(
        empty["tables"]
    )
    assert empty["recorded"] == empty["migrations"] > 100
    assert empty["pending"] == 0
    assert empty["permissions"] > 100  # post_migrate was sent on the first start
    assert result["occupied"] == "replayed contenttypes.0001_initial"
