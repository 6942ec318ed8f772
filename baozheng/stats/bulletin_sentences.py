"""The sentences of the statistics bulletin, written as official bulletins write them and
never saying more than the row says: the gap to the target when behind, "要完成全年保底目标
（增长8%），下半年需增长3.8%以上" (with 约 when the figure is an approximation), 上半年 /
前三季度 for quarterly indicators, rates as "为5.0%，比上年同期下降0.3个百分点", 并列 for
tied ranks, the reason in words when a figure is missing, and warnings grouped per
indicator. Plain Python over a bulletin row (a dict of the JSON contract, docs/rules.md §3) and
an indicator-like object, so the rules are tested without a database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from baozheng.analysis.rounding import r
from baozheng.lib.numbers import never_raises
from baozheng.lib.places import podium_sentence
from baozheng.lib.vocabulary import reason_words

QUARTER_WORDS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
REST_WORDS = {3: "后三个季度", 6: "下半年", 9: "四季度", 11: "12月"}
PHASE_WORDS = {3: "一季度", 6: "上半年", 9: "前三季度"}


class IndicatorLike(Protocol):
    name: str
    measure: str
    kind: str
    frequency: str
    growth_only: bool
    cumulative: bool


@never_raises
def one(x: float) -> str:
    return f"{r(x):.1f}"


@never_raises
def amount(x: float, indicator: IndicatorLike) -> str:
    if indicator.kind == "count" and indicator.cumulative:
        return f"{r(x):.0f}"
    return one(x)


def is_rate(indicator: IndicatorLike, row: dict) -> bool:
    """A rate (失业率): kind `rate`, or a non-cumulative % level before that kind existed."""
    if indicator.kind == "rate" or row.get("change_pp") is not None:
        return True
    return indicator.measure == "%" and not indicator.growth_only and not indicator.cumulative


def period_words(month: int, span: str, indicator: IndicatorLike) -> str:
    if indicator.frequency == "quarterly" and month in QUARTER_WORDS:
        return QUARTER_WORDS[month]
    return span


def rest_words(month: int) -> str:
    return REST_WORDS.get(month) or f"{month + 1}—12月"


def _pp(x: float, above: str, equal: str = "持平") -> str:
    if r(x) > 0:
        return f"高于{above}{one(abs(x))}个百分点"
    if r(x) < 0:
        return f"低于{above}{one(abs(x))}个百分点"
    return f"与{above}{equal}"


def target_words(row: dict) -> str:
    """年度保底目标, or the phase's (一季度目标) when the row's target is a phase target."""
    period = str(row.get("target_period") or "")
    if "-" in period:
        month = int(period.split("-")[1])
        return f"{PHASE_WORDS.get(month, f'{month}月')}保底目标"
    return "年度保底目标"


def _floor(row: dict, indicator: IndicatorLike) -> str:
    floor = row.get("target_floor")
    if floor is None:
        return ""
    if row.get("target_basis") == "level":
        return f"（{amount(floor, indicator)}{indicator.measure}）"
    return f"（增长{one(floor)}%）" if not is_rate(indicator, row) else f"（{one(floor)}%）"


def _missing(row: dict, key: str) -> str:
    reason = (row.get("reasons") or {}).get(key) or (row.get("reasons") or {}).get("value")
    return f"暂无数据（{reason_words(reason)}）" if reason else "暂无数据"


TIED = "并列"
TIED_FORMAT = f'"{TIED}"0'  # a tied rank in a workbook: still the number, printed 并列3


def rank_cell(row: dict) -> int | str | None:
    """A rank in a Word table: 3, or 并列3 when another unit of the group shares it."""
    if row.get("rank") is None:
        return None
    return f"{TIED}{row['rank']}" if row.get("rank_tied") else row["rank"]


def _rank(row: dict, above: str) -> str:
    if row.get("rank") is None or not above or (row.get("rank_of") or 0) <= 1:
        return ""
    tied = TIED if row.get("rank_tied") else ""
    return f"，居{above}{tied}第{row['rank']}位"


def places_sentence(ranked: Sequence[tuple[int, str]]) -> str:
    """The first three counties of one indicator, ties as 并列: "分县市区看，甲县、乙区并列
    第一，丙县位列第三。" `ranked` holds (rank, name) of the ranked counties in rank order;
    nothing when fewer than two are ranked."""
    podium = podium_sentence(list(ranked))
    return f"分县市区看，{podium}" if podium and len(ranked) > 1 else ""


def summary_sentence(
    indicator: IndicatorLike, row: dict, *, month: int, span: str, here: str, above: str
) -> str:
    """One line of the bulletin's opening for the parent row."""
    when = period_words(month, span, indicator)
    if is_rate(indicator, row):
        return _rate_sentence(indicator, row, month=month, here=here, above=above)
    text = f"{when}，{here}{indicator.name}"
    if row.get("value") is not None and not indicator.growth_only:
        text += f"{amount(row['value'], indicator)}{indicator.measure}，"
    growth = row.get("growth")
    if growth is None:
        return (
            text.rstrip("，")
            + ("，" if row.get("value") is not None else "")
            + _missing(row, "growth")
            + "。"
        )
    text += ("同比增长" if r(growth) >= 0 else "同比下降") + f"{one(abs(growth))}%"
    if row.get("vs_parent_pp") is not None and above:
        text += "，" + _pp(row["vs_parent_pp"], above)
    text += _rank(row, above)
    text += _target_clause(indicator, row, month)
    return text + "。"


def _rate_sentence(indicator: IndicatorLike, row: dict, *, month: int, here: str, above: str):
    text = f"{month}月份，{here}{indicator.name}"
    if row.get("value") is None:
        return text + _missing(row, "value") + "。"
    text += f"为{one(row['value'])}%"
    change = row.get("change_pp")
    if change is not None:
        if r(change) > 0:
            text += f"，比上年同期上升{one(change)}个百分点"
        elif r(change) < 0:
            text += f"，比上年同期下降{one(abs(change))}个百分点"
        else:
            text += "，与上年同期持平"
    if row.get("vs_parent_pp") is not None and above:
        text += "，" + _pp(row["vs_parent_pp"], above)
    if indicator.kind == "rate":  # ranked by the level only once the rate kind exists
        text += _rank(row, above)
    floor = row.get("target_floor")
    if floor is not None and row.get("status") in ("at_risk", "off_track"):
        down = getattr(indicator, "direction", "up") == "down"
        gap = abs(r(row["value"]) - r(floor))
        word = "高于" if down else "低于"
        text += f"，{word}{target_words(row)}（{one(floor)}%）{one(gap)}个百分点"
    return text + "。"


def _target_clause(indicator: IndicatorLike, row: dict, month: int) -> str:
    text = ""
    status = row.get("status")
    if row.get("completion_pct") is not None:
        completion, expected = row["completion_pct"], row.get("expected_pct")
        text += f"，完成年度目标的{one(completion)}%"
        if expected is not None:
            gap = r(completion) - r(expected)
            pace = "快于" if gap > 0 else "慢于"
            text += f"，{pace}时序进度{one(abs(gap))}个百分点" if gap else "，与时序进度持平"
    elif row.get("target_floor") is not None and row.get("growth") is not None:
        gap = r(row["growth"]) - r(row["target_floor"])
        if status in ("at_risk", "off_track") and gap < 0:
            text += f"，低于{target_words(row)}{_floor(row, indicator)}{one(abs(gap))}个百分点"
        elif status in ("on_track", "exceeds"):
            text += f"，达到{target_words(row)}{_floor(row, indicator)}"
    required = row.get("required_growth_floor")
    if required is not None:
        about = "约" if row.get("required_approximate") else ""
        goal = f"全年保底目标{_floor({**row, 'target_period': ''}, indicator)}"
        rest = rest_words(month)
        if r(required) >= 0:
            tail = "" if about else "以上"
            text += f"；要完成{goal}，{rest}需增长{about}{one(required)}%{tail}"
        else:
            text += f"；{rest}增速不低于{about}{one(required)}%即可完成{goal}"
    return text


def unit_noun(count: int, all_counties: bool) -> str:
    return f"{count}个县市区" if all_counties else f"{count}个单位"


WARNING_PHRASES = {
    ("off_track", "growth"): "增速低于保底目标1个百分点以上的有",
    ("at_risk", "growth"): "增速低于保底目标、差距在1个百分点以内的有",
    ("off_track", "level"): "完成率落后时序进度5个百分点以上的有",
    ("at_risk", "level"): "完成率落后时序进度、差距在5个百分点以内的有",
}


def warning_sentence(
    indicator_name: str, basis: str, status: str, names: Sequence[str], all_counties: bool
) -> str:
    """One sentence per indicator and light: "地区生产总值增速低于保底目标1个百分点以上的有
    甲县、乙区、丙县3个县市区。"."""
    phrase = WARNING_PHRASES[(status, "level" if basis == "level" else "growth")]
    if basis == "rate":
        phrase = phrase.replace("增速", "")
    return f"{indicator_name}{phrase}{'、'.join(names)}{unit_noun(len(names), all_counties)}。"
