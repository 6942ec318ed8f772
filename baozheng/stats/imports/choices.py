"""Reading the enumerated columns of the import formats in either language."""

from __future__ import annotations

from django.db.models import TextChoices

from baozheng.stats.models import Basis, Direction, Frequency, Kind

# Words people write besides each choice's value and label.
SYNONYMS: dict[str, str] = {
    "月度": Frequency.MONTHLY,
    "季度": Frequency.QUARTERLY,
    "年度": Frequency.YEARLY,
    "总量类": Kind.AMOUNT,
    "增速类": Kind.GROWTH,
    "数量类": Kind.COUNT,
    "level": Kind.COUNT,
    "正": Direction.UP,
    "逆": Direction.DOWN,
    "越大越好": Direction.UP,
    "越小越好": Direction.DOWN,
}


def parse_choice(text: str, choices: type[TextChoices]) -> str:
    cleaned = text.strip()
    lowered = cleaned.lower()
    for value, label in choices.choices:
        if lowered == value or cleaned == label:
            return value
    synonym = SYNONYMS.get(cleaned)
    if synonym is not None and synonym in choices.values:
        return synonym
    options = "、".join(f"{label}（{value}）" for value, label in choices.choices)
    raise ValueError(f"“{text}”无法识别，可选：{options}")


def parse_kind(text: str) -> str:
    return parse_choice(text, Kind)


def parse_frequency(text: str) -> str:
    return parse_choice(text, Frequency)


def parse_direction(text: str) -> str:
    return parse_choice(text, Direction)


def parse_basis(text: str) -> str:
    return parse_choice(text, Basis)
