"""Time an observation import of 50,000 rows without validation rules and with the five
default rules (R01–R05 kinds), each on a fresh SQLite database, and the share of the
import spent checking the rules (`stats.imports.validation.check_rules`).

    python bench/import_rules.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

INDICATORS, UNITS, YEARS = 20, 50, range(2019, 2024)


def run(with_rules: bool) -> None:
    from bench.setup_django import start

    start(Path(tempfile.mkdtemp(prefix="bz-import-rules-")))
    from decimal import Decimal

    from baozheng.reporting.demo import RULES
    from baozheng.reporting.models import ValidationRule
    from baozheng.stats.imports import observations, run_import

    units = "code,name,parent,kind,group,group_partitions\nIP,导入省,,省,,\n" + "".join(
        f"IP{u:03d},导入县{u:03d},IP,县,县市区,是\n" for u in range(UNITS)
    )
    run_import("units", units.encode(), "units.csv")
    indicators = "code,name,measure,kind\n" + "".join(
        f"IM{i:03d},导入指标{i:03d},亿元,总量\n" for i in range(INDICATORS)
    )
    run_import("indicators", indicators.encode(), "indicators.csv")
    if with_rules:
        for code, name, kind, parameter, severity in RULES:
            ValidationRule.objects.create(
                code=code,
                name=name,
                kind=kind,
                parameter=Decimal(parameter) if parameter else None,
                severity=severity,
            )
    lines = ["indicator,unit,period,value,growth,explanation"]
    for i in range(INDICATORS):
        for u in range(UNITS):
            for y in YEARS:
                for m in range(3, 13):
                    value = (i + 1) * (u + 1) + (y - 2019) * 10 + m
                    lines.append(f"IM{i:03d},IP{u:03d},{y}-{m:02d},{value}.25,{m - 5}.5,核实无误")
    inner, spent = observations.check_rules, []

    def timed(*args, **kwargs):
        started = time.perf_counter()
        found = inner(*args, **kwargs)
        spent.append(time.perf_counter() - started)
        return found

    observations.check_rules = timed
    started = time.perf_counter()
    report = run_import("observations", ("\n".join(lines) + "\n").encode(), "obs.csv")
    assert report.ok, report.errors[:3]
    print(
        f"rows={len(lines) - 1} rules={ValidationRule.objects.count()} "
        f"import_seconds={time.perf_counter() - started:.2f} rule_seconds={sum(spent):.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(sys.argv[1] == "rules")
    else:
        for mode in ("none", "rules"):  # each in its own process and database
            subprocess.run([sys.executable, __file__, mode], check=True)
