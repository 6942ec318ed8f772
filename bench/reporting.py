"""`python bench/reporting.py [DATA_DIR]`: the reporting system's costs on the demo, as
ratios to the bulletin computed in the same run (the machine is shared; nothing is
asserted). Uses its own SQLite database (default /tmp/bz-reporting-bench).

- release: a new version (bulletin, Excel, Word, diff, insert) vs the bulletin alone;
- progress: obligations and completeness for the whole city (报送进度) vs the bulletin;
- validation report: every rule over one period's figures of the city vs the bulletin.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import start


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    start(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bz-reporting-bench"))
    from baozheng.analysis.periods import Period
    from baozheng.monitor.progress import completeness, reporting_units
    from baozheng.org import demo as org_demo
    from baozheng.org.models import Unit
    from baozheng.reporting import demo as reporting_demo
    from baozheng.reporting import rules
    from baozheng.reporting.releases import differences
    from baozheng.stats import demo as stats_demo
    from baozheng.stats.bulletin import bulletin
    from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
    from baozheng.stats.models import Indicator

    org_demo.create_units()
    users = org_demo.create_users(password="bench-password-123")
    stats_demo.load(lambda text: None)
    reporting_demo.load(lambda text: None)
    city, period = Unit.objects.home(), Period(2023, 9)
    units = list(Unit.objects.filter(path__startswith=city.path))
    base = best(lambda: bulletin(period, city))
    computed = bulletin(period, city)

    def release_work() -> None:
        done = bulletin(period, city)
        bulletin_xlsx(done), bulletin_docx(done)
        differences(computed.data["rows"], done.data["rows"])

    figures = {
        "release (bulletin + xlsx + docx + diff)": best(release_work, 3),
        "progress (obligations + completeness, city)": best(
            lambda: completeness(
                reporting_units(users["dispatch"]), list(Indicator.objects.all()), Period(2023, 10)
            )
        ),
        "validation report (all rules, city, 1-9月)": best(
            lambda: rules.period_report(period, units), 3
        ),
    }
    print(f"baseline: bulletin {city.name}{period.label} {base * 1000:.0f} ms")
    for name, seconds in figures.items():
        print(f"{name}: {seconds * 1000:.0f} ms = {seconds / base:.1f} × bulletin")


if __name__ == "__main__":
    main()
