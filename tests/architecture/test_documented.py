"""Everything an operator or a newcomer may look up is documented (the datasette habit):
every environment variable in README's configuration table, every role with its duties and
every capability in docs/architecture.md."""

from __future__ import annotations

import re
from pathlib import Path

from baozheng.org.roles import ROLE_CAPS, ROLE_DUTIES, Cap, Role

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _variables_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "baozheng").rglob("*.py"):
        names |= set(re.findall(r"[\"'](BAOZHENG_[A-Z0-9_]+)[\"']", path.read_text("utf-8")))
    return names


def test_every_environment_variable_is_in_the_readme_configuration_table() -> None:
    table = README.split("## 配置 Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`(BAOZHENG_[A-Z0-9_]+)`", table))
    missing = _variables_read_by_the_code() - documented
    assert not missing, f"README 配置表缺少：{sorted(missing)}"


def test_every_role_has_its_duties_and_capabilities() -> None:
    assert set(ROLE_DUTIES) == set(Role)
    assert set(ROLE_CAPS) == set(Role)
    for role in Role:
        assert role.label in ARCHITECTURE, role


def test_every_capability_is_explained_in_the_architecture_notes() -> None:
    for cap in Cap:
        assert f"`{cap.value}`" in ARCHITECTURE, cap


def test_code_tests_and_docs_cite_the_repository_not_the_team_notes() -> None:
    outside = re.compile(r"\.\./shared/|CONTRACT-[a-z]")
    citing = [
        str(path.relative_to(ROOT))
        for folder in ("baozheng", "tests", "docs")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".md"} and outside.search(path.read_text("utf-8"))
    ]
    assert not citing, f"引用了仓库外的文档（请改引 docs/rules.md 的章节）：{citing}"
