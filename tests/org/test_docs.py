"""README documents every command a user can run, and keeps exactly two quick-start commands."""

import re
from pathlib import Path

from baozheng.cli import _commands

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_cli_command_is_in_the_readme():
    missing = [name for name in _commands() if f"baozheng {name}" not in README]
    assert not missing, f"README 未说明这些命令：{missing}"


def test_the_quick_start_has_exactly_two_commands():
    quick_start = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\$ (.+)$", quick_start, flags=re.M)
    assert len(commands) == 2
    assert commands[0].endswith("baozheng demo")
    assert "pytest" in commands[1]
