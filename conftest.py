import shutil
import tempfile
from pathlib import Path

import pytest


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


def pytest_unconfigure(config) -> None:
    folder = config.stash.get(_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_FOLDER = pytest.StashKey[Path]()
