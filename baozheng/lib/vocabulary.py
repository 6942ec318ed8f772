"""The one vocabulary of status lights (亮灯) and of the reasons a figure is missing.

Pages, exports (xlsx, docx), the assessment notice and charts import these names, colours
and explanations, so a state is called the same everywhere ("达保底", never also "达保" or
"达标"). `colour` is the screen colour (charts, page badges); `print_fill` is a pale
shade for printed tables, legible under black text on a black-and-white printer too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    code: str
    name: str
    colour: str
    print_fill: str
    explanation: str


STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("exceeds", "达争先", "0A7D3B", "B7DFC3", "达到争先目标"),
        Status("on_track", "达保底", "2E9E5B", "DCEFD9", "达到保底目标，未达争先目标"),
        Status(
            "at_risk",
            "黄灯",
            "D4A017",
            "FCEBB0",
            "低于保底目标，差距在1个百分点以内（总量目标：完成率低于时序进度5个百分点以内）",
        ),
        Status(
            "off_track",
            "红灯",
            "C62828",
            "F4B6B6",
            "低于保底目标1个百分点以上（总量目标：完成率低于时序进度5个百分点以上）",
        ),
        Status("no_target", "无目标", "9AA0A6", "", "未设目标，不评价"),
        Status("no_data", "无数据", "9AA0A6", "", "本期无数据或数据未审核，不评价"),
    )
}
# Key-project lights share the colours; their codes are the colour names.
LIGHTS: dict[str, Status] = {
    "red": Status("red", "红灯", "C62828", "F4B6B6", "严重滞后"),
    "yellow": Status("yellow", "黄灯", "D4A017", "FCEBB0", "进度滞后"),
    "green": Status("green", "绿灯", "2E9E5B", "DCEFD9", "正常推进"),
    "blue": Status("blue", "蓝灯", "1565C0", "BBDEFB", "已完成"),
}

STATUS_LABELS: dict[str, str] = {code: s.name for code, s in STATUSES.items()}
# A rank target's light (保三争二抢第一): the same codes, named for places.
RANK_STATUS_LABELS: dict[str, str] = {
    "exceeds": "位次达争",
    "on_track": "位次达保",
    "at_risk": "位次预警",
    "off_track": "位次落后",
    "no_data": "位次无数据",
}
WARNING_STATUSES = ("off_track", "at_risk")

# Reasons a figure is missing, as words a table note or a sentence can carry.
REASON_LABELS: dict[str, str] = {
    "no_data": "本期无数据或数据未审核",
    "growth_only": "只发布增速，无总量",
    "no_last_year": "无上年同期数",
    "zero_base": "上年同期基数为零",
    "negative_base": "上年同期基数为负",
    "not_additive": "不可加总的指标",
    "not_cumulative": "非累计指标",
    "incomplete_children": "下级单位数据不全，暂不汇总",
    "is_parent": "上级单位",
    "no_previous_release": "无上期数据",
    "no_target": "未设目标",
    "growth_target": "增速目标",
    "year_over": "全年已结束",
    "no_remaining_base": "剩余月份无基数",
    "target_reached": "已完成全年目标",
    "not_ranked": "无数据，不参与排名",
    "no_parent_growth": "无上级增速",
    "rate_indicator": "比率指标，以百分点比较",
    "not_rate": "非比率指标",
}


def status_name(code: str | None) -> str:
    found = STATUSES.get(code or "") or LIGHTS.get(code or "")
    return found.name if found else (code or "")


def status_colour(code: str | None) -> str:
    found = STATUSES.get(code or "") or LIGHTS.get(code or "")
    return found.colour if found else ""


def print_fill(code: str | None) -> str:
    found = STATUSES.get(code or "") or LIGHTS.get(code or "")
    return found.print_fill if found else ""


def reason_words(code: str | None) -> str:
    return REASON_LABELS.get(code or "", code or "")


def legend() -> str:
    """The 注 line that says what each colour means."""
    return "；".join(f"{s.name}：{s.explanation}" for s in STATUSES.values()) + "。"
