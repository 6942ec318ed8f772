"""gunicorn's own settings for `baozheng serve` from GUNICORN_CMD_ARGS, as gunicorn's
documentation gives them; what serve decides itself, unknown options and bad values are
refused in Chinese before anything starts."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baozheng.lib import server
from baozheng.lib.server import ServeApplication, environment_settings


def test_gunicorns_tuning_options_are_read_and_reach_the_server():
    found = environment_settings(
        {
            "GUNICORN_CMD_ARGS": "--max-requests 1000 --max-requests-jitter 50 --keep-alive 5 "
            "--graceful-timeout 30 --access-logfile '/var/log/baozheng/access.log'"
        }
    )
    assert found == {
        "max_requests": 1000,
        "max_requests_jitter": 50,
        "keepalive": 5,
        "graceful_timeout": 30,
        "accesslog": "/var/log/baozheng/access.log",
    }
    cfg = ServeApplication({"workers": 2, **found}).cfg
    assert (cfg.max_requests, cfg.keepalive, cfg.accesslog) == (
        1000,
        5,
        "/var/log/baozheng/access.log",
    )
    assert cfg.preload_app and cfg.workers == 2


@pytest.mark.parametrize("text", ["", "   "])
def test_no_variable_sets_nothing(text):
    assert environment_settings({"GUNICORN_CMD_ARGS": text}) == {}
    assert environment_settings({}) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("--bind 0.0.0.0:9000", "不能设置 --bind：请用 baozheng serve --bind"),
        ("-w 3", "不能设置 --workers：请用 baozheng serve --workers"),
        ("--timeout 5", "不能设置 --timeout：请用 baozheng serve --timeout"),
        ("--worker-class sync", "不能设置 --worker-class"),
        ("--preload", "不能设置 --preload"),
        ("-c gunicorn.conf.py", "不读取 gunicorn 配置文件"),
        ("--bogus 1", "无法识别的内容：--bogus 1"),
        ("baozheng.asgi:application", "无法识别的内容：baozheng.asgi:application"),
        ("--max-requests abc", "无效的选项或取值"),
        ("--keep-alive -3", "--keep-alive 的值无效：-3"),
        ("--help", "不支持 --help"),
        ("--max-requests '1000", "引号不成对"),
    ],
)
def test_what_serve_decides_and_bad_input_are_refused_in_chinese(text, message):
    with pytest.raises(CommandError, match="GUNICORN_CMD_ARGS") as refused:
        environment_settings({"GUNICORN_CMD_ARGS": text})
    assert message in str(refused.value)


def test_serve_refuses_before_it_binds_or_starts_anything(monkeypatch):
    started = []
    monkeypatch.setattr(server.ServeApplication, "run", lambda self: started.append(self))
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--bind 0.0.0.0:1")
    with pytest.raises(CommandError, match="请用 baozheng serve --bind"):
        call_command("serve", "--bind", "127.0.0.1:0", "--workers", "1")
    assert started == []
