"""Races shown on one connection: the conflicting row appears between a check and a write.

Two requests that both check "is this key free?" and both insert cannot run side by side
on SQLite's in-memory test database; interleaving them can: let the first pass its check,
make the other request's row appear, then let the first write (`after`). A fix that is a
row lock shows only with two connections: `held_open`, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock


@contextmanager
def after(owner: Any, name: str, meanwhile: Callable[[], object]) -> Iterator[None]:
    """`owner.name` runs as before, then (once, after its first call) `meanwhile()`: the
    other request's write committed just after this one's check."""
    original = getattr(owner, name)
    done: list[bool] = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if not done:
            done.append(True)
            meanwhile()
        return result

    with mock.patch.object(owner, name, wrapped):
        yield


@contextmanager
def after_query(fragment: str, meanwhile: Callable[[], object]) -> Iterator[None]:
    """`meanwhile()` runs once right after the first query whose SQL holds `fragment` (the
    look-up "is there a row with this key?"), before anything else the code does next."""
    from django.db import connection

    done: list[bool] = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not done and fragment in sql:
            done.append(True)
            meanwhile()
        return result

    with connection.execute_wrapper(wrapper):
        yield


def held_open(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """On PostgreSQL, the real thing: `first()` runs in a transaction on a thread and
    connection of its own and stays uncommitted until `second()`, on another, has either
    finished or is waiting for a lock; then it commits. Returns what each returned or
    raised. Without a lock `second` runs through on the state before `first`'s commit (the
    race); with one it waits and then sees `first`'s rows."""
    from django.db import connection, transaction

    results: dict[str, Any] = {}
    first_written, second_done = threading.Event(), threading.Event()
    second_pid: list[int] = []

    def waiting() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)",
                second_pid,
            )
            return cursor.fetchone()[0]

    def run_first() -> None:
        try:
            with transaction.atomic():
                results["first"] = first()
                first_written.set()
                while not second_done.wait(0.005):
                    if second_pid and waiting():
                        break
        except Exception as exc:  # handed back to the test
            results["first"] = exc
        finally:
            first_written.set()
            connection.close()

    def run_second() -> None:
        try:
            first_written.wait(10)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                second_pid.append(cursor.fetchone()[0])
            results["second"] = second()
        except Exception as exc:  # handed back to the test
            results["second"] = exc
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results.get("first"), results.get("second")
