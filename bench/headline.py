"""`python bench/headline.py [DATA_DIR]`: server time of the headline page (要览) against
the 驾驶舱 of the same city in the same run, on the demo database (built into DATA_DIR,
default /tmp/bz-bench-demo, by `baozheng demo --no-serve` if it is not there yet).

The headline reads up to three bulletins (the period's, and the previous release of the
monthly and the quarterly calendars), the red tasks and the lagging projects, so it costs
more than one 驾驶舱; the ratio (median over 20 warm renders each, cached bulletins, as a
leader sees them all day) is the figure to watch, never an absolute time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import start

RUNS = 20


def main() -> None:
    data_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bz-bench-demo")
    start(data_dir)
    from django.core.management import call_command
    from django.test import RequestFactory

    from baozheng.headline.views import headline
    from baozheng.monitor.views.dashboard import overview
    from baozheng.org.models import User

    if not User.objects.filter(username="leader").exists():
        call_command("demo", no_serve=True)
    leader = User.objects.get(username="leader")
    factory = RequestFactory()

    def render(view, path: str) -> float:
        request = factory.get(path, {"period": "2023-09"})
        request.user = leader
        started = time.perf_counter()
        response = view(request)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed * 1000

    results = {}
    for name, view, path in (("驾驶舱", overview, "/monitor/"), ("要览", headline, "/headline/")):
        render(view, path)  # warm-up: bulletins into the cache
        times = [render(view, path) for _ in range(RUNS)]
        results[name] = statistics.median(times)
        print(f"{name}：中位数 {results[name]:.1f} ms（{min(times):.1f}–{max(times):.1f}）")
    print(f"要览 / 驾驶舱 = {results['要览'] / results['驾驶舱']:.2f}")


if __name__ == "__main__":
    main()
