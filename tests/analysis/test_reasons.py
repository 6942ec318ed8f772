"""Every reason code of docs/rules.md §3 is produced somewhere, and only those codes."""

from __future__ import annotations

from baozheng.analysis.model import Target
from baozheng.analysis.reasons import REASON_CODES
from tests.analysis.helpers import GDP, JOBLESS, RETAIL, UNEMPLOYMENT, Data, bulletin


def scenario_reasons() -> set[str]:
    """A handful of bulletins that between them hit every null case."""
    seen: set[str] = set()
    data = Data()
    data.pair("a", "2023-06", 110.0, 100.0).add("a", "2022-12", 200.0)  # ordinary
    data.add("b", "2023-06", 50.0).add("b", "2022-06", 0.0)  # zero base
    data.add("c", "2023-06", 50.0).add("c", "2022-06", -3.0)  # negative base
    data.add("d", "2023-06", 50.0)  # no last year → parent incomplete
    data.pair("a", "2023-05", 90.0, 85.0)
    data.add("gdp", "2023-06", growth=6.0, indicator="gdp").add(
        "a", "2023-06", growth=6.5, indicator="gdp"
    )
    data.add("a", "2023-06", 5.0, indicator="jobless").add("a", "2022-06", 5.2, indicator="jobless")
    data.add("a", "2023-06", 5.4, indicator="unemployment")
    targets = [
        Target("retail", "a", 2023, "level", 100, 150),  # reached floor, not stretch
        Target("retail", "b", 2023, "growth", 5, 6),
        Target("retail", "city", 2023, "level", 500, 600),
        Target("gdp", "a", 2023, "growth", 5, 6),
        Target("jobless", "a", 2023, "level", 5.5, 5.0),
    ]
    for period in ("2023-06", "2023-12"):
        for row in bulletin(
            period, data, indicators=[RETAIL, GDP, JOBLESS, UNEMPLOYMENT], targets=targets
        ):
            seen.update(row["reasons"].values())
    remaining = Data().pair("a", "2023-06", 250.0, 400.0).add("a", "2022-12", 400.0)
    level = [Target("retail", "a", 2023, "level", 500, 550)]
    for row in bulletin("2023-06", remaining, targets=level):
        seen.update(row["reasons"].values())
    return seen


def test_every_reason_code_is_produced_by_some_case() -> None:
    assert scenario_reasons() == set(REASON_CODES)
