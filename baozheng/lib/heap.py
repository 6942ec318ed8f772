"""What a process loads at startup, kept out of the garbage collector's way.

After Django's setup a process holds about 100,000 long-lived objects (Django, the apps, the
models), 150,000 once every view is imported. Each full collection walked them all again:
three or four while they were being loaded, a few more during `baozheng demo`'s build (with
the interpreter's final one, 0.5 s of its 5.4 s of CPU), and in a server 40–45 ms on an idle
machine, 30–190 ms during a burst of sheets on the shared 2-core machine, while every thread
of the worker stood still, about once per 200 sheets. Frozen, they are never examined again
(they live as long as the process anyway). During a burst a hundred requests are in flight
at once; with the young generation collected every 700 allocations their objects were
promoted to the oldest generation, which is what set off the full collections, so the first
threshold is raised too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = (
    10_000  # allocations between collections of the youngest generation (Python's default: 700)
)


def settle() -> None:
    """Freeze what the process has loaded and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is imported (or a process loads,
    `loading`).

    A million-row file becomes millions of rows, cells and tuples that all stay
    alive until the import ends and form no reference cycles; the collector
    would still walk all of them in every full collection, several times over
    (about a quarter of a million-row import's CPU time).  Reference counting still
    frees everything as usual; the collector resumes, if it was on, at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def loading() -> Iterator[None]:
    """No collection while the process loads (each walked the growing heap again), then
    `settle`."""
    with collector_paused():
        yield
    settle()


def finished() -> None:
    """A command has finished and its process is about to end: the database connections
    are closed, then what the command leaves is frozen, so that the interpreter's final
    collection does not walk it all for nothing (after the demo's build, 0.12 s of its
    first start). The objects are still released at exit; only cyclic garbage left over
    is not examined, which the process's end releases anyway."""
    from django.db import connections

    connections.close_all()
    gc.freeze()
