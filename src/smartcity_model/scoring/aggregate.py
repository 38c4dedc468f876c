"""Aggregation: children's scores to their parent's, one level at a time, on whole matrices.

Methods (weights renormalised among the children present):

- ``arithmetic``: ``Σ wᵢxᵢ / Σ wᵢ`` (fully compensatory);
- ``geometric``: ``exp(Σ wᵢ ln xᵢ / Σ wᵢ)``, 0 when any child scores 0;
- ``harmonic``: ``Σ wᵢ / Σ (wᵢ / xᵢ)``, 0 when any child scores 0;
- ``minimum``: the weakest child (non-compensatory).

Coverage is the weighted share of a node's indicators that reach it: a leaf observed counts 1,
and a parent's coverage is ``Σ wᵢcᵢ / Σ wᵢ`` over all its children, a missing child counting 0.
A parent whose coverage falls below the threshold is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartcity_model.scoring.structure import ScoringError

__all__ = ["AGGREGATIONS", "Aggregation", "LevelResult", "aggregate"]

FloatArray = npt.NDArray[np.float64]
Aggregation = Literal["arithmetic", "geometric", "harmonic", "minimum"]
#: Scores below this count as zero in geometric and harmonic means.
_ZERO = 1e-9
#: The aggregation methods.
AGGREGATIONS: tuple[Aggregation, ...] = ("arithmetic", "geometric", "harmonic", "minimum")


@dataclass(frozen=True)
class LevelResult:
    """Scores of one level (rows × nodes), their coverage and the weight of the children present."""

    score: FloatArray
    coverage: FloatArray
    present_weight: FloatArray


def aggregate(
    scores: FloatArray, coverage: FloatArray, membership: FloatArray, method: str, min_coverage: float
) -> LevelResult:
    """Aggregate ``scores`` (rows × children) into the parents of ``membership`` (children × parents)."""
    if method not in AGGREGATIONS:
        msg = f"unknown aggregation {method!r}; use one of {', '.join(AGGREGATIONS)}"
        raise ScoringError(msg)
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    linked = membership > 0
    present_weight = present.astype(float) @ membership
    total_weight = membership.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        parent_coverage = np.where(total_weight > 0, np.where(present, coverage, 0.0) @ membership / total_weight, 0.0)
        if method == "arithmetic":
            result = filled @ membership / present_weight
        elif method == "minimum":
            result = np.column_stack(
                [np.fmin.reduce(np.where(linked[:, j], scores, np.nan), axis=1) for j in range(membership.shape[1])]
            )
        else:
            # A score below _ZERO counts as 0, which sinks a geometric or harmonic mean; keeping
            # reciprocals finite also keeps an infinity from leaking into other parents' sums.
            tiny = present & (filled < _ZERO)
            zero = tiny.astype(float) @ linked.astype(float) > 0
            safe = np.where(present & ~tiny, filled, 1.0)
            if method == "geometric":
                result = np.exp(np.where(present, np.log(safe), 0.0) @ membership / present_weight)
            else:
                result = present_weight / (np.where(present, 1.0 / safe, 0.0) @ membership)
            result = np.where(zero, 0.0, result)
    keep = (present_weight > 0) & (parent_coverage >= min_coverage - 1e-12)
    # exp(log(x)) and 1 / (1 / x) can stray from x by an ulp: keep every score inside 0-100.
    return LevelResult(np.where(keep, np.clip(result, 0.0, 100.0), np.nan), parent_coverage, present_weight)
