import pytest

from baozheng.workcal import calendar


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every calendar test starts and ends with the calendar's cache empty."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()
