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
    `down` says per indicator that lower is better.  A group has a few dozen
    members at most, so counting who is ahead of whom is cheapest.
    """
    key = np.where(down[:, None], -metric, metric)
    ahead = (key[:, None, :] > key[:, :, None]).sum(axis=2)
    ranked = ~np.isnan(key)
    return np.where(ranked, ahead + 1, 0), ranked.sum(axis=1)
