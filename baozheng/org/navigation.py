"""Navigation and home-page hints contributed by each domain app.

An app's AppConfig may define `nav: list[NavItem]` and `home_hints(user) -> list[Hint]`.
Every domain app is always installed; an item shows only to users holding its capability,
so the menu never shows a page that would refuse the user (a misspelt URL name fails loudly).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.urls import get_script_prefix, reverse

from baozheng.org.permissions import can
from baozheng.org.roles import Cap


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    cap: str
    order: int = 50
    group: str = ""  # menu group; default: the app's label


@dataclass(frozen=True)
class Hint:
    """A line on the home page telling a user what to do next."""

    text: str
    url: str = ""
    count: int | None = None


def domain_apps() -> list:
    return [cfg for cfg in apps.get_app_configs() if cfg.name.startswith("baozheng.")]


def nav_for(user) -> list[dict]:
    """The menu in order; the first entry of each group (by default an app) starts a group, so that
    the bar reads as 监测 | 项目 | 督办 | … rather than one long row. It depends only on the
    capabilities the user holds, so it is built once per set of them: reversing its thirty
    addresses was half a millisecond of every page, refusals included."""
    held = frozenset(cap for cap in Cap.values if can(user, cap))
    return [dict(entry) for entry in _menu(held, get_script_prefix())]


@functools.cache
def _menu(held: frozenset[str], script_prefix: str) -> tuple[dict, ...]:
    """The menu for these capabilities (`script_prefix`, which `reverse` reads, is part of
    the key: a site served under another address gets its own)."""
    entries: list[dict] = []
    items: list[tuple[str, NavItem]] = []
    for cfg in domain_apps():
        items.extend(
            (item.group or cfg.label, item) for item in getattr(cfg, "nav", []) if item.cap in held
        )
    previous = None
    for group, item in sorted(items, key=lambda pair: pair[1].order):
        entries.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "name": item.url_name,
                "group_start": previous is not None and group != previous,
            }
        )
        previous = group
    return tuple(entries)


def hints_for(user) -> list[Hint]:
    hints: list[Hint] = []
    for cfg in domain_apps():
        hook = getattr(cfg, "home_hints", None)
        if hook:
            hints.extend(hook(user))
    return hints
