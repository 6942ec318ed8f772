"""Reading configuration from the environment.

Every helper fails loudly with a one-line Chinese message (``ConfigError``) rather than
falling back silently: a typo in a production variable must stop start-up, not be ignored.
The CLI prints the message without a traceback.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url


class ConfigError(Exception):
    """A configuration problem that the operator must fix before the server can start."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"环境变量 {name} 的值“{raw}”无效，应为 true 或 false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name} 的值“{raw}”无效，应为整数") from None


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


def env_list(name: str) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(os.environ.get("BAOZHENG_DATA_DIR") or "var").resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"无法创建数据目录 {path}：{exc.strerror}") from None
    return path


def secret_key(production: bool, directory: Path) -> str:
    """The explicit key in production; elsewhere a key generated once into the data dir."""
    key = os.environ.get("BAOZHENG_SECRET_KEY", "")
    if key:
        if production and len(key) < 32:
            raise ConfigError("生产模式下 BAOZHENG_SECRET_KEY 至少需要 32 个字符")
        return key
    if production:
        raise ConfigError("生产模式必须显式设置 BAOZHENG_SECRET_KEY")
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SUPPORTED_SCHEMES = ("postgres", "postgresql", "pgsql", "sqlite")


def database(production: bool, directory: Path) -> dict[str, Any]:
    """SQLite in the data dir unless DATABASE_URL names PostgreSQL (or another SQLite file)."""
    raw = os.environ.get("DATABASE_URL")
    if raw is None:
        if production:
            raise ConfigError(
                "生产模式必须设置 DATABASE_URL（例如 postgres://用户:密码@主机:5432/库名）"
            )
        return sqlite_database(directory / "baozheng.sqlite3")
    raw = raw.strip()
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in SUPPORTED_SCHEMES:
        raise ConfigError(
            f"DATABASE_URL 格式错误：“{raw[:60]}”，应为 postgres://用户:密码@主机:端口/库名 或 sqlite:///文件路径"
        )
    try:
        parsed = dj_database_url.parse(raw, conn_max_age=0)
    except Exception as exc:  # the library raises several types for malformed URLs
        raise ConfigError(f"DATABASE_URL 无法解析：{exc}") from None
    if parsed["ENGINE"].endswith("sqlite3"):
        return sqlite_database(Path(parsed["NAME"]))
    if not parsed.get("NAME"):
        raise ConfigError("DATABASE_URL 缺少数据库名，应为 postgres://用户:密码@主机:端口/库名")
    parsed["ENGINE"] = "django.db.backends.postgresql"
    parsed.setdefault("OPTIONS", {})["pool"] = postgres_pool()
    return parsed


def postgres_pool() -> dict[str, Any]:
    """Django's psycopg connection pool, one per worker process.

    Without it every request in flight opened its own connection, and 150 concurrent
    clients exhausted PostgreSQL's 100 slots (HTTP 500). With it a worker holds at most
    `BAOZHENG_DB_POOL_SIZE` connections; a request that finds none free within
    `BAOZHENG_DB_POOL_TIMEOUT` seconds is answered 503 with Retry-After (lib/overload.py).
    Size the pools so that servers × workers × pool size stays below `max_connections`
    (docs/deploy.md).
    """
    size = env_int("BAOZHENG_DB_POOL_SIZE", 20)
    if size < 1:
        raise ConfigError("BAOZHENG_DB_POOL_SIZE 必须是正整数")
    return {
        "min_size": min(2, size),
        "max_size": size,
        "timeout": env_int("BAOZHENG_DB_POOL_TIMEOUT", 10),
    }


def sqlite_database(path: Path) -> dict[str, Any]:
    """SQLite tuned for a web server: WAL lets readers run beside the one writer,
    IMMEDIATE transactions take the write lock up front so that a busy database waits
    (busy timeout) instead of failing half-way with 'database is locked'."""
    return {
        "ENGINE": "baozheng.lib.sqlite",
        "NAME": str(path),
        # Tests run on an in-memory database, one per test process (pytest-xdist names a
        # file per worker for any engine it does not know as SQLite's own).
        "TEST": {"NAME": ":memory:"},
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }
