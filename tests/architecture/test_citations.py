"""Code, tests and docs cite docs/rules.md, never a document kept outside the repository.

The check is the plain `grep -rn` a reviewer would type, over the same three folders
(bytecode and binary files included). The two words it looks for are joined at run time,
so neither this file nor its bytecode contains them."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE_NAMES = ("".join(("DOM", "AIN")), "".join(("se", "ed")))


def test_nothing_cites_the_specification_outside_the_repository() -> None:
    pattern = r"\|".join(OUTSIDE_NAMES)
    found = subprocess.run(
        ["grep", "-rn", pattern, "baozheng", "tests", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    assert found.returncode == 1, f"应改为引用 docs/rules.md：\n{found.stdout}{found.stderr}"
