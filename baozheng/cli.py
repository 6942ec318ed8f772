"""`baozheng`: the command-line front door.

Every subcommand is a Django management command of a domain app (later apps add theirs
by adding a command), plus Django's `migrate`. Configuration errors print one line and
exit 2, never a traceback.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

CORE_COMMANDS = {"migrate": "创建或升级数据库结构（首次部署和每次升级后运行）"}

# The commands that answer web requests: they run the URL configuration's system checks too.
SERVING = {"serve", "demo"}


def _commands() -> dict[str, str]:
    """Each command with the first line of its help, read from the command's source: loading
    the command classes would import what every command needs (the analysis engine, the
    office libraries), which doubled the time `baozheng --help` took."""
    from django.core.management import get_commands

    listed = {}
    for name, app in sorted(get_commands().items()):
        if name in CORE_COMMANDS:
            listed[name] = CORE_COMMANDS[name]
        elif app.startswith("baozheng."):
            listed[name] = command_help(app, name).splitlines()[0]
    return listed


def command_help(app: str, name: str) -> str:
    """The `help` string of the command class in app's management/commands/<name>.py."""
    source = Path(sys.modules[app].__file__).parent / "management" / "commands" / f"{name}.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for statement in node.body:
                if isinstance(statement, ast.Assign) and [
                    target.id for target in statement.targets if isinstance(target, ast.Name)
                ] == ["help"]:
                    return ast.literal_eval(statement.value)
    raise LookupError(f"{app}.{name}: no help string on its Command class")


def narrow_checks(command: str) -> None:
    """A command of ours that serves no page runs every system check but those of the URL
    configuration. Checking it imports every view and through them the statistics engine
    and the office libraries: 0.4 s of the 0.8 s that `baozheng remind` took (its help:
    safe to run from cron every few minutes). The URL checks still run at every start of
    the server (`serve`, `demo`), in Django's own commands (`check`) and in the test
    suite; the settings and security checks, baozheng.W001 (the home unit) and the task
    backends' run for every command."""
    from django.core.checks import Tags
    from django.core.checks.registry import registry
    from django.core.management import get_commands

    if command in SERVING or not get_commands().get(command, "").startswith("baozheng."):
        return
    registry.registered_checks = {
        check for check in registry.registered_checks if Tags.urls not in check.tags
    }


def _help() -> str:
    lines = [
        "用法：baozheng <命令> [选项]   （baozheng <命令> --help 查看该命令的选项）",
        "",
        "命令：",
    ]
    lines += [f"  {name:<20}{text}" for name, text in _commands().items()]
    lines += ["", "环境变量见 README：BAOZHENG_DATA_DIR、DATABASE_URL、BAOZHENG_PRODUCTION 等。"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozheng.settings")
    from baozheng.config import ConfigError
    from baozheng.lib.heap import finished, loading

    try:
        import django

        with loading():
            django.setup()
    except ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return 2
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_help())
        return 0
    from django.core.management import ManagementUtility

    narrow_checks(argv[0])
    try:
        ManagementUtility(["baozheng", *argv]).execute()
    except ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return 2
    finished()
    return 0


if __name__ == "__main__":
    sys.exit(main())
