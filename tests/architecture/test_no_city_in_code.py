"""No city is written into the product: the demo's place names appear only in the demo's
own modules and data (and in migrations, which keep history as it was). Another city
installing Baozheng must not find the demo city on its login page, in its defaults or in
an example sentence; a place-bound choice (which bureau handles land) is data the office
sets, not code."""

from __future__ import annotations

from pathlib import Path

import baozheng
from baozheng.org import demo

ROOT = Path(baozheng.__file__).parent
TEXT = {".py", ".html", ".js", ".css", ".txt"}


def demo_places() -> set[str]:
    """The demo's province, cities, counties and zones, each also without its 省/市/县/区."""
    names = {demo.PROVINCE[1], "Nanyang", "Henan"}
    names |= {name for _, name in demo.HENAN_CITIES}
    names |= {name for _, name, _ in demo.COUNTIES}
    names |= {name for _, name in demo.ZONES}
    return names | {n[:-1] for n in names if n[-1] in "省市县区" and len(n) > 2}


def is_demo_or_history(path: Path) -> bool:
    relative = path.relative_to(ROOT).parts
    return (
        "migrations" in relative
        or "demo_data" in relative
        or path.stem.startswith(("demo", "testing"))
    )


def test_the_demo_places_appear_only_in_the_demo() -> None:
    places = demo_places()
    found = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in TEXT or not path.is_file() or is_demo_or_history(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            named = sorted(place for place in places if place in line)
            if named:
                found.append(f"{path.relative_to(ROOT)}:{number}: {'、'.join(named)}")
    assert found == [], "代码中不应写入具体城市（演示数据除外）：\n" + "\n".join(found)


def test_the_check_knows_the_demo_city_and_its_counties() -> None:
    """The guard above reads its names from the demo; it must find the names to look for."""
    places = demo_places()
    assert {"南阳市", "南阳", "宛城区", "宛城", "Nanyang"} <= places
    assert len(places) > 40
