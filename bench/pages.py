"""`python bench/pages.py [DATA_DIR]`: server time of the monitoring pages at province scale.

Uses the statistics benchmark's data (bench/generate.py: 180 units × 200 indicators × 10
years ≈ 3.96 million observations; generated once into DATA_DIR, default /tmp/bz-bench) and
renders, through the real views and templates, the overview of the province (17 cities),
the overview of one city (its counties), an indicator page and the warnings page for
2023年1-6月. Prints the median and the spread of 20 renders each, after one warm-up
(polars builds its plan once per process), then the first render after a change of the
data (cache cleared: the bulletin and the latest release are computed again).
Target: overview and indicator page < 300 ms.

The request user is a read-only leader scoped to the benchmark province and is never
saved: the benchmark writes nothing to the database.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import start

PERIOD = "2023-06"
RUNS = 20
COLD_RUNS = 5


def main() -> None:
    data_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bz-bench")
    start(data_dir)
    from django.core.cache import cache
    from django.test import RequestFactory

    from baozheng.monitor.views import dashboard, indicator
    from baozheng.org.models import User
    from baozheng.org.roles import Role
    from baozheng.stats.models import Observation
    from bench.generate import PROVINCE, generate

    total = generate()
    leader = User(username="bench-leader", role=Role.LEADER)
    leader._scope_paths = [f"{PROVINCE}/"]  # permissions read the cached scope
    factory = RequestFactory()

    def render(view, path: str, parent: str, *args) -> float:
        request = factory.get(path, {"period": PERIOD, "parent": parent})
        request.user = leader
        started = time.perf_counter()
        response = view(request, *args)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed * 1000

    print(
        f"观测数据 {total:,} 条（{Observation.objects.count():,} 条含其他数据），期间 {PERIOD}，每页渲染 {RUNS} 次取中位数"
    )
    pages = [
        ("驾驶舱（全省，17 个市 × 200 指标）", dashboard.overview, "/monitor/", (), PROVINCE),
        ("驾驶舱（一个市，10 个县 × 200 指标）", dashboard.overview, "/monitor/", (), "BC0100"),
        (
            "指标页（一个市的县市区排名与走势）",
            indicator.indicator_page,
            "/monitor/indicator/BI001/",
            ("BI001",),
            "BC0100",
        ),
        (
            "指标页（全省 17 个市）",
            indicator.indicator_page,
            "/monitor/indicator/BI001/",
            ("BI001",),
            PROVINCE,
        ),
        ("预警（一个市）", dashboard.warnings, "/monitor/warnings/", (), "BC0100"),
    ]
    for label, view, path, args, parent in pages:
        render(view, path, parent, *args)  # warm-up
        times = sorted(render(view, path, parent, *args) for _ in range(RUNS))
        print(
            f"{label:<32} 中位数 {statistics.median(times):7.1f} ms   最快 {times[0]:7.1f} ms   "
            f"最慢 {times[-1]:7.1f} ms"
        )
    print(f"数据变更后的首次渲染（清空缓存，重新计算通报与最新期间），各 {COLD_RUNS} 次：")
    for label, view, path, args, parent in pages[:3]:
        times = []
        for _ in range(COLD_RUNS):
            cache.clear()
            times.append(render(view, path, parent, *args))
        print(f"{label:<32} 中位数 {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
