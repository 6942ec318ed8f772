"""Pure analysis engine for the monthly bulletin (docs/rules.md §2 and §3).

No Django here: the caller passes plain dataclasses and a polars frame of
observations and gets plain dicts back.
"""

from baozheng.analysis.engine import bulletin_rows, released_indicators
from baozheng.analysis.model import Indicator, PeerGroup, StatusRules, Target, Unit
from baozheng.analysis.periods import (
    Period,
    is_released,
    latest_release,
    previous_release,
    release_months,
)
from baozheng.analysis.reasons import REASON_CODES, ROW_KEYS, STATUSES
from baozheng.analysis.rounding import r, r_array

__all__ = [
    "REASON_CODES",
    "ROW_KEYS",
    "STATUSES",
    "Indicator",
    "PeerGroup",
    "Period",
    "StatusRules",
    "Target",
    "Unit",
    "bulletin_rows",
    "is_released",
    "latest_release",
    "previous_release",
    "r",
    "r_array",
    "release_months",
    "released_indicators",
]
