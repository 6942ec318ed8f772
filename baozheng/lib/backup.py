"""One-file backups of an installation: database, uploads, reports and the secret key.

A judge's scoring link is signed with the secret key; uploads and generated reports live
in the data directory beside the database. A copy of the database alone restores an
installation whose judges' QR codes all say 评分链接无效 and whose attachments are gone,
so `baozheng backup FILE` writes all four into one tar.gz and `baozheng restore FILE` puts
them back. The database is copied consistently while the server runs: SQLite through its
online-backup API (a snapshot even during an import), PostgreSQL with `pg_dump -Fc`;
restore uses the same tools (`pg_restore --clean`), so it needs the same kind of database
the backup came from.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

import baozheng

FORMAT = 1
DIRECTORIES = ("uploads", "reports")


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in Chinese."""


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    return {k: v for k, v in env.items() if v != ""}


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"找不到 {command[0]}，请安装 PostgreSQL 客户端工具")
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[:500]}")


def _dump_database(target: Path) -> None:
    connection.ensure_connection()
    if _engine() == "sqlite":
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        _run(["pg_dump", "-Fc", "--no-owner", "-f", str(target)])


def _load_database(source: Path) -> None:
    connection.ensure_connection()
    if _engine() == "sqlite":
        original = sqlite3.connect(source)
        try:
            original.backup(connection.connection)
        finally:
            original.close()
    else:
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "-d",
                str(connection.settings_dict["NAME"]),
                str(source),
            ]
        )


def backup(path: Path) -> dict:
    """Write the installation to `path` (tar.gz, readable by its owner only)."""
    manifest = {
        "format": FORMAT,
        "engine": _engine(),
        "created_at": timezone.now().isoformat(),
        "version": baozheng.__version__,
    }
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="baozheng-backup-") as work:
        database = Path(work) / "database"
        _dump_database(database)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            info = tarfile.TarInfo("manifest.json")
            body = json.dumps(manifest, ensure_ascii=False).encode()
            info.size = len(body)
            tar.addfile(info, fileobj=_bytes(body))
            tar.add(database, arcname="database")
            key = settings.SECRET_KEY.encode()
            info = tarfile.TarInfo("secret_key")
            info.size, info.mode = len(key), 0o600
            tar.addfile(info, fileobj=_bytes(key))
            for name in DIRECTORIES:
                if (data_dir / name).is_dir():
                    tar.add(data_dir / name, arcname=name)
        partial.chmod(0o600)
        partial.replace(path)
    return manifest


def restore(path: Path) -> dict:
    """Put back what `backup` wrote: the database (replacing the current one), the uploads
    and reports directories (replaced), and the secret key (into the data directory)."""
    data_dir = Path(settings.DATA_DIR)
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError):
        raise BackupError(
            f"无法读取备份文件 {path}（应为 baozheng backup 生成的 .tar.gz）"
        ) from None
    with tar, tempfile.TemporaryDirectory(prefix="baozheng-restore-") as work:
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        except (KeyError, AttributeError, ValueError):
            raise BackupError(
                "备份文件缺少说明（manifest.json），不是 baozheng backup 生成的文件"
            ) from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"不支持的备份格式 {manifest.get('format')}")
        if manifest.get("engine") != _engine():
            raise BackupError(
                f"备份来自 {manifest.get('engine')} 数据库，当前使用 {_engine()}，请在同类数据库上恢复"
            )
        tar.extractall(work, filter="data")
        _load_database(Path(work) / "database")
        for name in DIRECTORIES:
            target = data_dir / name
            if target.exists():
                shutil.rmtree(target)
            if (Path(work) / name).is_dir():
                shutil.copytree(Path(work) / name, target)
        key = (Path(work) / "secret_key").read_text().strip()
        key_file = data_dir / "secret_key"
        key_file.write_text(key)
        key_file.chmod(0o600)
        manifest["key_in_environment"] = bool(os.environ.get("BAOZHENG_SECRET_KEY"))
        manifest["key_differs"] = manifest["key_in_environment"] and (
            os.environ["BAOZHENG_SECRET_KEY"] != key
        )
    return manifest


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)
