"""Progress of long work: an import's rows read, checked and written; other jobs count
whole steps (`STEPS`: documents built, items scored, messages sent).

The code doing the work calls `advance(stage, count)`; whoever started it (a background
job, `baozheng.jobs`) decides where progress goes by installing a reporter for the
duration. Without one the calls cost a context-variable lookup, so the command line and
tests pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

STAGES = ("read", "checked", "written")
STEPS = "done"
Reporter = Callable[[str, int, int | None], None]
_reporter: ContextVar[Reporter | None] = ContextVar("progress_reporter", default=None)


def advance(stage: str, done: int, total: int | None = None) -> None:
    """`done` rows of `stage` so far (absolute, not an increment); `total` when known."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(stage, done, total)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)
