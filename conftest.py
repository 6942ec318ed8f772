import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# Test processes keep the bytecode of what they import (in __pycache__, which git ignores) even
# where PYTHONDONTWRITEBYTECODE is set: a run starts a process per core and a dozen more (the
# CLI, the demo, the servers, the worlds' own pytest), and each otherwise compiles the modules
# of baozheng and of the tests again: collecting took 5.0 s instead of 3.5 s. Set here, before
# pytest-xdist starts its workers, so that they and every subprocess inherit it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


@pytest.hookimpl(trylast=True)
def pytest_configure(config) -> None:
    """Fast password hashing in tests: Argon2 is deliberately slow. Static files are
    looked up when asked for: every test's client builds its own request handler, and
    WhiteNoise otherwise lists every static file (plotly's package included) for each one,
    40 ms a test. Uploads, reports and the file cache go to a folder of this test process's
    own, so that parallel workers (pytest-xdist, each with its own test database) never read
    one another's files and a test run leaves nothing in the data folder."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_AUTOREFRESH = True
    folder = Path(tempfile.mkdtemp(prefix="baozheng-tests-"))
    config.stash[_FOLDER] = folder
    settings.MEDIA_ROOT = folder / "uploads"
    settings.REPORTS_DIR = folder / "reports"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": str(folder / "cache")}}


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--as-written",
        action="store_true",
        help="run the tests in the order collected, not grouped by test world (the worlds' own test)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Tests grouped by the world they stand on (`baozheng.testing_worlds`), so that each
    process switches worlds a few times instead of at almost every class; this wraps
    pytest-django's order (plain, then transactional, then no database), which each group
    keeps. The scopes are pytest-xdist's (`--dist loadscope`, handed out in this order:
    `--no-loadscope-reorder`). `--as-written` keeps the order the tests were collected in."""
    collected = list(items)
    yield
    if config.getoption("--as-written"):
        items[:] = collected
    else:
        from baozheng.testing_worlds import group_by_world

        items[:] = group_by_world(items, scope=lambda item: item.nodeid.rsplit("::", 1)[0])


@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    """No garbage collection while the test modules import Django, the libraries and the
    apps: each full collection walked the growing heap again (`baozheng.lib.heap`)."""
    from baozheng.lib.heap import collector_paused

    with collector_paused():
        return (yield)


def pytest_collection_finish(session) -> None:
    """The garbage collector settled as in a server worker (`baozheng.lib.asgi.settle_heap`),
    once every test module is imported: what is loaded by then (Django, the libraries, the
    tests) lives as long as the process, so it is frozen out of the collections, and the
    youngest generation is collected less often. A Django test allocates hundreds of
    thousands of short-lived objects, and each full collection walked the millions the
    libraries hold: 5-9 % of the suite's CPU time. A test process peaks at about 0.55 GB
    instead of 0.4 GB."""
    from baozheng.lib.asgi import settle_heap

    settle_heap()


@pytest.fixture(autouse=True, scope="session")
def _world_switches(request, django_db_blocker) -> None:
    """Keeps pytest-django's database blocker where the hook below can reach it."""
    request.config.stash[_BLOCKER] = django_db_blocker


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """A test on no world (a plain TestCase or TransactionTestCase, a function using the
    database) gets the database as created back before its fixtures and setUpClass run;
    BaozhengTestCase switches to its own world in its setUpClass."""
    from baozheng import testing_worlds

    if testing_worlds.committed() is None or testing_worlds.item_world(item) is not None:
        return
    with item.config.stash[_BLOCKER].unblock():
        testing_worlds.use_no_world()


def pytest_unconfigure(config) -> None:
    folder = config.stash.get(_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_FOLDER = pytest.StashKey[Path]()
_BLOCKER = pytest.StashKey[object]()
