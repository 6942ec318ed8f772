"""Chinese words for the bulletin's codes: status lights (亮灯) and the reasons a figure is
empty. One table, so that every page and hint names a state the same way."""

from __future__ import annotations

STATUS_LABELS: dict[str, str] = {
    "exceeds": "达争",
    "on_track": "达保",
    "at_risk": "黄灯",
    "off_track": "红灯",
    "no_target": "无目标",
    "no_data": "无数据",
}

# Red and yellow items are what the warnings page and the home hints count.
WARNING_STATUSES = ("off_track", "at_risk")

REASON_LABELS: dict[str, str] = {
    "no_data": "无数据",
    "growth_only": "增速类指标无总量",
    "no_last_year": "无上年同期数",
    "zero_base": "基数为零",
    "negative_base": "基数为负",
    "not_additive": "不可加指标",
    "not_cumulative": "非累计指标",
    "incomplete_children": "下级数据不全",
    "is_parent": "上级单位",
    "no_previous_release": "无上期数据",
    "no_target": "未设目标",
    "growth_target": "增速目标",
    "year_over": "全年已结束",
    "no_remaining_base": "剩余月份基数不足",
    "target_reached": "已达目标",
    "not_ranked": "不参与排名",
    "no_parent_growth": "无上级增速",
    "rate_indicator": "比率类指标看变化（百分点）",
    "not_rate": "非比率类指标",
}

RANK_STATUS_LABELS: dict[str, str] = {
    "exceeds": "位次达争",
    "on_track": "位次达保",
    "at_risk": "位次预警",
    "off_track": "位次落后",
    "no_data": "位次无数据",
}


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def reason_label(code: str | None) -> str:
    return REASON_LABELS.get(code or "", code or "")


def rank_status_label(status: str | None) -> str:
    return RANK_STATUS_LABELS.get(status or "", status or "")
