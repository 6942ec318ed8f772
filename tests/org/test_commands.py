import io
import socket

import pytest
from django.core.management import CommandError, call_command

from baozheng.org import demo
from baozheng.org.models import Unit, User


@pytest.mark.django_db
def test_createuser_creates_a_scoped_clerk(monkeypatch):
    demo.create_units()
    monkeypatch.setattr("sys.stdin", io.StringIO("a-Long-passw0rd\n"))
    out = io.StringIO()
    call_command(
        "createuser",
        "xixia",
        "--role",
        "clerk",
        "--unit",
        "411323",
        "--name",
        "西峡填报员",
        "--password-stdin",
        stdout=out,
    )
    user = User.objects.get(username="xixia")
    assert user.role == "clerk" and user.check_password("a-Long-passw0rd")
    assert list(user.scope.values_list("code", flat=True)) == ["411323"]
    assert "已创建用户 xixia" in out.getvalue()


@pytest.mark.django_db
def test_createuser_refuses_an_unknown_unit(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-Long-passw0rd\n"))
    with pytest.raises(CommandError, match="单位编码不存在"):
        call_command("createuser", "x", "--role", "clerk", "--unit", "999999", "--password-stdin")


@pytest.mark.django_db
def test_createuser_refuses_a_weak_password(monkeypatch):
    demo.create_units()
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("createuser", "x", "--role", "clerk", "--unit", "411323", "--password-stdin")


@pytest.mark.django_db
def test_the_org_demo_twice_duplicates_nothing():
    demo.load(lambda _: None)
    counts = Unit.objects.count(), User.objects.count()
    demo.load(lambda _: None)
    assert (Unit.objects.count(), User.objects.count()) == counts
    assert Unit.objects.get(code="411381").path == "410000/411300/411381/"


def test_the_demo_command_loads_every_app_with_a_demo_in_installed_apps_order():
    """A new app's demo.py is not silently skipped: DEMOS is written out by hand."""
    from importlib.util import find_spec

    from django.conf import settings

    from baozheng.org.management.commands.demo import DEMOS

    expected = [
        f"{app}.demo"
        for app in settings.INSTALLED_APPS
        if app.startswith("baozheng.") and find_spec(f"{app}.demo")
    ]
    assert list(DEMOS) == expected


def test_the_demo_keeps_the_anchor_it_was_built_on(tmp_path, settings):
    from datetime import date

    from baozheng.org.management.commands.demo import Command

    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    command = Command(stdout=out)
    assert command._timeline(date(2026, 12, 5)).anchor == date(2026, 12, 5)
    assert command._timeline(date(2027, 3, 10)).anchor == date(2026, 12, 5)
    assert "演示数据已按 2026-12-05 建好，--as-of 未生效" in out.getvalue()
    assert command._timeline(None).anchor == date(2026, 12, 5)


def test_the_demo_refuses_a_taken_port_before_it_builds_anything(tmp_path, settings):
    """Without database access (no `db` here): the refusal comes before the tables, at once
    rather than after seconds of building."""
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"无法监听 127.0.0.1:{port}"):
            call_command("demo", "--port", str(port), stdout=out)
    assert "演示服务已启动" not in out.getvalue()
    assert not (tmp_path / "demo-as-of.txt").exists()


@pytest.mark.django_db
def test_a_demo_load_runs_with_the_collector_paused():
    """The loads allocate hundreds of thousands of short-lived objects, freed by reference
    counting; the few cycles among them (2 MB of the demo's peak) wait for the load's end.
    The collections during the build were 0.1 s of the first start. The collector is back
    on once the load is done, nested loads included."""
    import gc

    seen = []

    @demo.one_load()
    def load():
        seen.append(gc.isenabled())
        inner()

    @demo.one_load()
    def inner():
        seen.append(gc.isenabled())

    assert gc.isenabled()
    load()
    assert seen == [False, False]
    assert gc.isenabled()
