"""The migrations replayed from empty on SQLite give the schema a new database gets from the
models (`baozheng/lib/schema.py`): the same tables, columns, indexes, foreign keys and
checks, and every migration recorded. Run by `.ci/run`; exits 1 with the differences."""

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

CREATE = "import django; django.setup(); from baozheng.lib.schema import migrate_or_create; migrate_or_create()"


def build(data_dir: Path, *command: str) -> Path:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE_URL"))}
    env.update(BAOZHENG_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="baozheng.settings")
    subprocess.run([sys.executable, *command], env=env, check=True)
    return data_dir / "baozheng.sqlite3"


def describe(path: Path) -> dict[str, object]:
    """Each table's columns (any order), indexes, foreign keys and checks, and the
    recorded migrations."""
    db = sqlite3.connect(path)
    tables = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    shape: dict[str, object] = {}
    for name, sql in tables.fetchall():
        indexes = []
        for _, index, unique, origin, partial in db.execute(f'PRAGMA index_list("{name}")'):
            columns = [row[2] for row in db.execute(f'PRAGMA index_info("{index}")')]
            label = "auto" if index.startswith("sqlite_autoindex") else index
            indexes.append((label, unique, origin, partial, tuple(columns)))
        shape[name] = (
            sorted(row[1:] for row in db.execute(f'PRAGMA table_info("{name}")')),
            sorted(indexes),
            sorted(row[2:] for row in db.execute(f'PRAGMA foreign_key_list("{name}")')),
            sorted(re.findall(r'CONSTRAINT "[^"]+" CHECK \(.*?\)(?=, CONSTRAINT|\)$)', sql)),
        )
    shape["recorded migrations"] = sorted(db.execute("SELECT app, name FROM django_migrations"))
    return shape


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        replayed = describe(build(Path(folder, "replayed"), "-m", "baozheng.cli", "migrate", "-v0"))
        created = describe(build(Path(folder, "created"), "-c", CREATE))
    differences = sorted(
        name for name in replayed.keys() | created.keys() if replayed.get(name) != created.get(name)
    )
    for name in differences:
        print(f"{name}:\n  replayed {replayed.get(name)}\n  created  {created.get(name)}")
    print(f"{len(replayed) - 1} tables, {len(differences)} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
