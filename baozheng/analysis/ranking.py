"""位次: ranks within peer groups, now and at the previous release.

Ranks compare the figures as printed, r(x), so 5.04 and 4.96 tie at 5.0; ties
share the best rank (1, 2, 2, 4); "down" indicators rank the lowest first; a
unit without a figure gets no rank instead of silently coming last.
"""

from __future__ import annotations

import numpy as np


def ranks(metric: np.ndarray, down: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank of each member and the number ranked, per row of an (indicator × member) matrix.

    `metric` is already rounded with r() (NaN: no figure, no rank, rank 0 here);
    `down` says per indicator that lower is better.  A peer group can be a
    province's townships (thousands of members), so each row is sorted once
    (O(n log n) time, O(n) memory) instead of comparing every member with every
    other: in the sorted row a member's rank is one more than the position of
    the first member with the same figure.
    """
    key = np.where(down[:, None], metric, -metric)  # ascending key: best first
    ranked = ~np.isnan(key)
    if key.size == 0:
        return np.zeros(key.shape, np.int64), ranked.sum(axis=1)
    order = np.argsort(key, axis=1, kind="stable")  # NaN sorts last
    ordered = np.take_along_axis(key, order, axis=1)
    position = np.broadcast_to(np.arange(key.shape[1]), key.shape)
    starts = np.ones(key.shape, bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    rank = np.empty(key.shape, np.int64)
    np.put_along_axis(rank, order, first + 1, axis=1)
    return np.where(ranked, rank, 0), ranked.sum(axis=1)


def tied(rank: np.ndarray) -> np.ndarray:
    """Whether each member shares its rank with another member of its row (并列), per row
    of an (indicator × member) rank matrix from `ranks`; rank 0 (not ranked) never ties.
    Printed documents say 并列第3 rather than a bare 3 that reads as sole third place."""
    if rank.size == 0:
        return np.zeros(rank.shape, bool)
    order = np.argsort(rank, axis=1, kind="stable")
    ordered = np.take_along_axis(rank, order, axis=1)
    equal = ordered[:, 1:] == ordered[:, :-1]
    same = np.zeros(rank.shape, bool)
    same[:, 1:] |= equal
    same[:, :-1] |= equal
    result = np.empty(rank.shape, bool)
    np.put_along_axis(result, order, same, axis=1)
    return result & (rank > 0)
