"""Sentences about places (名次) in every document: the first three places, ties as 并列,
never "位列前三名" for five units that share them. Used by the assessment notice and the
statistics bulletin, so both word ties the same way."""

from __future__ import annotations

CN_PLACES = "一二三四五六七八九十"


def podium_sentence(ranked: list[tuple[int, str]]) -> str:
    """The lead sentence about the first three places, ties as 并列: "甲县、乙县分列第一、
    二位，丙县、丁县、戊县并列第三". `ranked` holds (rank, name) in rank order."""
    top = [(rank, name) for rank, name in ranked if rank <= 3]
    by_rank: dict[int, list[str]] = {}
    for rank, name in top:
        by_rank.setdefault(rank, []).append(name)
    parts, single = [], []

    def flush() -> None:
        if len(single) == 1:
            parts.append(f"{single[0][1]}位列第{CN_PLACES[single[0][0] - 1]}")
        elif single:
            names = "、".join(n for _, n in single)
            places = "、".join(CN_PLACES[r - 1] for r, _ in single)
            parts.append(f"{names}分列第{places}位")
        single.clear()

    for rank, names in sorted(by_rank.items()):
        if len(names) == 1:
            single.append((rank, names[0]))
        else:
            flush()
            parts.append(f"{'、'.join(names)}并列第{CN_PLACES[rank - 1]}")
    flush()
    return "，".join(parts) + "。" if parts else ""
