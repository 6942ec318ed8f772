"""Template filters that print bulletin figures the way official tables do: one decimal,
rounded half-up with r(x) (docs/rules.md §3), a dash for an empty figure with its reason."""

from __future__ import annotations

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from baozheng.analysis.rounding import r
from baozheng.lib import rawjson
from baozheng.lib.numbers import never_raises
from baozheng.monitor.labels import rank_status_label, reason_label, status_label
from baozheng.stats.bulletin_sentences import rank_cell
from baozheng.stats.models import tier_label

register = template.Library()


def _one_decimal(value) -> str:
    rounded = r(float(value))
    return "—" if rounded is None else f"{rounded:,.1f}"


@register.filter
@never_raises
def fig(value) -> str:
    """A figure with one decimal (8.2), or a dash."""
    return "—" if value is None or value == "" else _one_decimal(value)


@register.filter
@never_raises
def signed(value) -> str:
    """A difference in percentage points with its sign (+1.2 / −0.4 / 0.0)."""
    if value is None or value == "":
        return "—"
    rounded = r(float(value))
    if rounded is None:
        return "—"
    return f"+{rounded:.1f}" if rounded > 0 else f"{rounded:.1f}".replace("-", "−")


@register.filter
def status_name(status: str) -> str:
    return status_label(status)


@register.filter
def rank_status_name(status: str) -> str:
    return rank_status_label(status)


@register.filter
def rank(row) -> str:
    """A rank as the bulletin's tables print it: 3, or 并列3 when another unit of the same
    group shares it (the Word and Excel bulletins say the same)."""
    value = rank_cell(getattr(row, "data", row))
    return "" if value is None else str(value)


@register.filter
def reason(row, key: str) -> str:
    """The Chinese reason a row's figure is empty (for a title attribute)."""
    reasons = getattr(row, "data", row).get("reasons") or {}
    return reason_label(reasons.get(key)) if key in reasons else ""


@register.simple_tag
@never_raises
def cell(row, key: str, kind: str = "fig"):
    """A table cell's text: the figure, or a dash whose title says why it is empty. A
    figure is digits, signs and dashes only, so it is marked safe here rather than escaped
    again by every template that prints it (a bulletin page prints thousands)."""
    value = row.data.get(key)
    if value is None:
        why = reason(row, key)
        return _empty_cell(why) if why else "—"
    if kind == "signed":
        return mark_safe(signed(value))
    if kind == "level" and _whole(value, row.indicator):
        return mark_safe(f"{int(value):,}")
    return mark_safe(fig(value))


@functools.cache
def _empty_cell(why: str) -> str:
    """The dash of an empty figure with its reason, made once per reason."""
    return format_html('<span class="muted" title="{}">—</span>', why)


@register.filter
def rank_change(value) -> str:
    """进位 ↑n / 退位 ↓n / 持平 —."""
    if value is None:
        return ""
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "持平"


def _whole(value, indicator) -> bool:
    """Cumulative counts (firms, base stations, projects) print as whole numbers."""
    return indicator.kind == "count" and indicator.cumulative and float(value).is_integer()


@register.simple_tag
def status(row):
    """The status light (亮灯) of a row, in the product's colours."""
    return _light(row.status)


@functools.cache
def _light(state: str) -> str:
    """One status light's markup, made once per status."""
    return format_html('<span class="status st-{}">{}</span>', state, status_label(state))


@register.filter
@never_raises
def size(value) -> str:
    """A gap's size without its sign, when the words already say which way (低于/落后)."""
    return "—" if value is None else fig(abs(float(value)))


@register.simple_tag
@never_raises
def growth_cell(row):
    """同比增长 for most indicators; for a rate (docs/rules.md §3) the change from last year
    in percentage points, never a growth rate."""
    if row.indicator.kind != "rate":
        return cell(row, "growth")
    if row.data.get("change_pp") is None:
        return cell(row, "change_pp")
    return format_html(
        '<span title="比上年同期变化">{}<small class="muted">个百分点</small></span>',
        signed(row.data["change_pp"]),
    )


@register.filter
def growth_heading(indicator) -> str:
    """The column heading of `growth_cell` for one indicator."""
    return "比上年同期(百分点)" if indicator.kind == "rate" else "同比增长(%)"


@register.simple_tag
def target_in_force(row):
    """Which target the row is judged against: 全年目标, or the phase (一季度目标)."""
    period = row.data.get("target_period")
    if not period or row.data.get("target_basis") is None:
        return "目标"
    month = int(period[5:]) if len(period) > 4 else None
    label = tier_label(month)
    if month is None:
        return label
    return format_html('<span class="phase" title="本期按阶段目标判定">{}</span>', label)


@register.simple_tag
def rank_status(row):
    """The rank target's light (位次目标) beside the value status, with its places."""
    state = row.data.get("rank_status")
    if state is None:
        return ""
    places = [
        f"{word}{row.data[key]}"
        for word, key in (
            ("保", "target_rank_floor"),
            ("争", "target_rank_stretch"),
            ("抢", "target_rank_top"),
        )
        if row.data.get(key) is not None
    ]
    return format_html(
        '<span class="status st-{}" title="位次目标：{}">{}</span>',
        state,
        "".join(places),
        rank_status_label(state),
    )


# What `json_script` escapes, so that the data cannot close its script element.
_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.filter
def chart_data(value, element_id: str) -> str:
    """Django's `json_script`, byte for byte, for the charts' and maps' data: its
    `str.translate` took 70 ms on the meeting-room screen's 1.4 MB of outlines, where
    three `str.replace` take 5 ms. The outlines come encoded already (`lib.rawjson`)."""
    text = rawjson.dumps(value)
    for char, escaped in _SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )
