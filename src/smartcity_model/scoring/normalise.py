"""Normalisation: raw indicator values to scores from 0 to 100, direction-aware and vectorised.

Declared methods (per indicator, from its :class:`~smartcity_model.Indicator`):

- goalposts: ``(x - min) / (max - min) × 100`` for higher-is-better, ``(max - x) / (max - min) × 100``
  for lower-is-better, clipped to 0–100; for a target band, 100 inside the band, falling linearly
  to 0 at the goalposts;
- distance to target: ``(x - worst) / (target - worst) × 100``, clipped;
- maturity levels 1…n: ``(x - 1) / (n - 1) × 100``;
- thresholds: the score of the band the value falls in.

Peer-relative methods (across the regions of each year, for multi-region studies):

- ``minmax``: ``(x - min) / (max - min) × 100`` over the regions, reversed for lower-is-better
  (COINr's ``n_minmax``); an indicator with one value for all regions scores 50;
- ``zscore``: ``50 + 10 z`` clipped to 0–100 (a T-score), ``z = (x - mean) / sd`` with ``sd`` the
  sample standard deviation;
- ``rank``: the percentile rank ``(rank - 1) / (n - 1) × 100``, ties sharing their mean rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.model import Direction, DistanceToTarget, Goalposts, MaturityLevels, Thresholds
from smartcity_model.scoring.structure import IndicatorSpec, ScoringError

__all__ = ["NORMALISATION_METHODS", "PeerMethod", "normalise"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
PeerMethod = Literal["minmax", "zscore", "rank"]
#: ``declared`` uses each indicator's own method (peer-relative ``minmax`` where none is declared).
NORMALISATION_METHODS: tuple[str, ...] = ("declared", "minmax", "zscore", "rank")


def _clip(values: FloatArray) -> FloatArray:
    return np.clip(values, 0.0, 100.0)


def _goalposts(x: FloatArray, spec: IndicatorSpec, goal: Goalposts) -> FloatArray:
    span = goal.max - goal.min
    if spec.direction is Direction.LOWER:
        return _clip((goal.max - x) / span * 100)
    if spec.direction is Direction.BAND and spec.band is not None:
        low, high = spec.band.low, spec.band.high
        below = (x - goal.min) / (low - goal.min) * 100 if low > goal.min else np.where(x >= low, 100.0, 0.0)
        above = (goal.max - x) / (goal.max - high) * 100 if goal.max > high else np.where(x <= high, 100.0, 0.0)
        return _clip(np.where(x < low, below, np.where(x > high, above, 100.0)))
    return _clip((x - goal.min) / span * 100)


def _declared(x: FloatArray, spec: IndicatorSpec) -> FloatArray | None:
    """Score one indicator's column by its declared method; ``None`` if it declares none."""
    norm = spec.normalisation
    if isinstance(norm, Goalposts):
        return _goalposts(x, spec, norm)
    if isinstance(norm, DistanceToTarget):
        target = norm.target if norm.target is not None else spec.last_target
        worst = norm.worst if norm.worst is not None else 0.0
        if target is None or target == worst:
            msg = "distance to target needs a target different from 'worst'"
            raise ScoringError(msg)
        return _clip((x - worst) / (target - worst) * 100)
    if isinstance(norm, MaturityLevels):
        return _clip((x - 1) / (norm.levels - 1) * 100)
    if isinstance(norm, Thresholds):
        scores = np.asarray(norm.scores, dtype=float)
        index = np.searchsorted(np.asarray(norm.breaks, dtype=float), np.nan_to_num(x), side="right")
        return np.where(np.isnan(x), np.nan, scores[index])
    if spec.direction is Direction.BAND and spec.band is not None:
        return np.where(np.isnan(x), np.nan, np.where((x >= spec.band.low) & (x <= spec.band.high), 100.0, 0.0))
    return None


def _peer(x: FloatArray, lower: npt.NDArray[np.bool_], groups: IntArray, method: PeerMethod) -> FloatArray:
    """Score columns relative to the other rows of the same group (year), vectorised per group."""
    out = np.full_like(x, np.nan)
    for group in np.unique(groups):
        rows = groups == group
        block = x[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            if method == "minmax":
                low, high = np.nanmin(block, axis=0), np.nanmax(block, axis=0)
                span = high - low
                scaled = np.where(lower, high - block, block - low) / span * 100
                scored = np.where(span > 0, scaled, np.where(np.isnan(block), np.nan, 50.0))
            elif method == "zscore":
                mean, sd = np.nanmean(block, axis=0), np.nanstd(block, axis=0, ddof=1)
                z = np.where(lower, mean - block, block - mean) / sd
                scored = _clip(np.where(sd > 0, 50 + 10 * z, np.where(np.isnan(block), np.nan, 50.0)))
            else:
                ranks = pd.DataFrame(np.where(lower, -block, block)).rank(method="average").to_numpy()
                counts = (~np.isnan(block)).sum(axis=0)
                scored = np.where(counts > 1, (ranks - 1) / (counts - 1) * 100, np.where(np.isnan(block), np.nan, 50.0))
        out[rows] = scored
    return out


def normalise(
    values: FloatArray, specs: Sequence[IndicatorSpec], groups: IntArray, method: str = "declared"
) -> FloatArray:
    """Return 0–100 scores for ``values`` (rows × indicators); ``groups`` labels rows for peer methods.

    With ``method="declared"`` each indicator uses its own method, and those declaring none are
    scored ``minmax`` against the other rows of their group; any other method applies to all.
    """
    if method not in NORMALISATION_METHODS:
        msg = f"unknown normalisation {method!r}; use one of {', '.join(NORMALISATION_METHODS)}"
        raise ScoringError(msg)
    lower = np.array([s.direction is Direction.LOWER for s in specs], dtype=bool)
    if method != "declared":
        return _peer(values, lower, groups, method)  # type: ignore[arg-type]  # checked against the tuple above
    scores = np.full_like(values, np.nan)
    undeclared = []
    for column, spec in enumerate(specs):
        scored = _declared(values[:, column], spec)
        if scored is None:
            undeclared.append(column)
        else:
            scores[:, column] = scored
    if undeclared:
        scores[:, undeclared] = _peer(values[:, undeclared], lower[undeclared], groups, "minmax")
    return scores
