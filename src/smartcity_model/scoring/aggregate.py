"""Aggregation: children's scores to their parent's, one level at a time, on whole matrices.

Methods (weights renormalised among the children present; a child of weight 0 counts for nothing):

- ``arithmetic``: ``Σ wᵢxᵢ / Σ wᵢ`` (fully compensatory);
- ``geometric``: ``exp(Σ wᵢ ln xᵢ / Σ wᵢ)``;
- ``harmonic``: ``Σ wᵢ / Σ (wᵢ / xᵢ)``;
- ``power``: the generalised mean ``(Σ wᵢxᵢᵖ / Σ wᵢ)^(1/p)`` (p = 1 arithmetic, p = -1 harmonic,
  p → 0 geometric, large p approaches the maximum);
- ``minimum``: the weakest child (non-compensatory).

Geometric, harmonic and negative-power means are undefined for scores of 0 or below (a positive
power for scores below 0): such a score is refused with the region, year and node, unless
``nonpositive="zero"`` lets it sink the mean to 0 (a positive power mean, defined at 0, counts a
negative score as 0 instead). A min-max range above 0 (e.g. 1–100) is the usual cure.

Coverage is the weighted share of a node's indicators that reach it *observed*, and ``imputed``
the share that reaches it filled by a missing-data method: a leaf counts 1 in one of the two, and a
parent's share is ``Σ wᵢcᵢ / Σ wᵢ`` over all its children, a child without a score counting 0. A
parent whose coverage (plus the imputed share, if asked) falls below the threshold is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_
from smartcity_model.scoring.structure import ScoringError

__all__ = ["AGGREGATIONS", "Aggregation", "LevelResult", "NonPositive", "NonPositiveError", "aggregate"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
Aggregation = Literal["arithmetic", "geometric", "harmonic", "power", "minimum"]
NonPositive = Literal["raise", "zero"]
#: The aggregation methods.
AGGREGATIONS: tuple[Aggregation, ...] = ("arithmetic", "geometric", "harmonic", "power", "minimum")


@dataclass(frozen=True, eq=False)
class LevelResult:
    """Scores of one level (rows × nodes), their observed and imputed shares, and the weight present."""

    score: FloatArray
    coverage: FloatArray
    imputed: FloatArray
    present_weight: FloatArray


class NonPositiveError(ScoringError):
    """A mean that needs positive scores met a score of 0 or below; ``cells`` are (row, child, parent)."""

    def __init__(self, method: str, cells: IntArray) -> None:
        """Record the offending cells of ``method``."""
        self.method = method
        self.cells = cells
        super().__init__(
            n_(
                "{method} mean of scores of 0 or below in {n} cell",
                "{method} mean of scores of 0 or below in {n} cells",
                len(cells),
            ).format(method=method, n=len(cells))
        )


def _child_extreme(scores: FloatArray, linked: BoolArray, reduce: np.ufunc) -> FloatArray:
    """Return each parent's smallest (``np.fmin``) or largest (``np.fmax``) child score per row.

    ``scores`` is (…, rows, children) and ``linked`` (…, children, parents): leading axes are
    draws of an uncertainty analysis, each with its own links.
    """
    n_parents = linked.shape[-1]
    if not n_parents:
        return np.zeros((*scores.shape[:-1], 0))
    union: BoolArray = np.asarray(linked.reshape(-1, *linked.shape[-2:]).any(axis=0), dtype=bool)
    if (union.sum(axis=1) <= 1).all():
        return _tree_extreme(scores, linked, union, reduce)
    if linked.ndim == 2:  # noqa: PLR2004 - one link pattern for every row
        # Parents side by side for many draws repeat a few patterns of children: reduce each
        # pattern once, the patterns split into groups without a shared child (each a tree).
        patterns, inverse = np.unique(linked, axis=1, return_inverse=True)
        groups: list[tuple[list[int], BoolArray]] = []
        for j in range(patterns.shape[1]):
            group = next((g for g in groups if not (g[1] & patterns[:, j]).any()), None)
            if group is None:
                groups.append(([j], patterns[:, j].copy()))
            else:
                group[0].append(j)
                group[1][:] |= patterns[:, j]
        found = np.empty((*scores.shape[:-1], patterns.shape[1]))
        for columns, _children in groups:
            found[..., columns] = _tree_extreme(scores, patterns[:, columns], patterns[:, columns], reduce)
        return found[..., inverse.reshape(-1)]
    columns = [
        reduce.reduce(np.where(linked[..., None, :, j], scores, np.nan), axis=-1) for j in range(n_parents)
    ]
    return np.stack(columns, axis=-1)


def _tree_extreme(scores: FloatArray, linked: BoolArray, union: BoolArray, reduce: np.ufunc) -> FloatArray:
    """:func:`_child_extreme` when every child has at most one parent: children grouped by parent, one reduce."""
    n_children, n_parents = union.shape
    has_parent = union.any(axis=1)
    parent = np.where(has_parent, union.argmax(axis=1), n_parents)
    counts = np.bincount(parent, minlength=n_parents + 1)[:n_parents]
    grouped = np.argsort(parent, kind="stable")[: int(counts.sum())]
    owned = linked[..., np.arange(n_children), np.minimum(parent, n_parents - 1)] & has_parent
    values = np.where(owned[..., None, :], scores, np.nan)[..., grouped]
    found = np.full((*scores.shape[:-1], n_parents), np.nan)
    if values.shape[-1]:
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        with_children = counts > 0
        found[..., with_children] = reduce.reduceat(values, starts[with_children], axis=-1)
    return found


def check_method(method: str, power: float | None) -> None:
    """Refuse an unknown aggregation method, or a power mean without a usable ``power``."""
    if method not in AGGREGATIONS:
        msg = _("unknown aggregation {method}{hint}; use one of {methods}").format(
            method=repr(method), hint=suggest(str(method), AGGREGATIONS), methods=", ".join(AGGREGATIONS)
        )
        raise ScoringError(msg)
    if method == "power":
        if isinstance(power, bool) or not isinstance(power, int | float) or not np.isfinite(power):
            msg = _("aggregation 'power' needs power=p, a finite number (e.g. 0.5 or 2)")
            raise ScoringError(msg)
        if power == 0:
            msg = _("power=0 is the limit of the geometric mean: use aggregation='geometric'")
            raise ScoringError(msg)


def _range(scores: FloatArray) -> tuple[float, float]:
    """Return the band every aggregate of ``scores`` must lie in: 0–100, widened to the scores' own range."""
    present = scores[~np.isnan(scores)]
    if not present.size:
        return 0.0, 100.0
    return min(0.0, float(present.min())), max(100.0, float(present.max()))


def aggregate(  # noqa: PLR0913 - the arrays and options of one level
    scores: FloatArray,
    coverage: FloatArray,
    membership: FloatArray,
    method: str,
    min_coverage: float,
    *,
    imputed: FloatArray | None = None,
    power: float | None = None,
    nonpositive: NonPositive = "raise",
    count_imputed: bool = False,
    coverage_weights: FloatArray | None = None,
) -> LevelResult:
    """Aggregate ``scores`` (rows × children) into the parents of ``membership`` (children × parents).

    Leading axes, if any, are independent draws: ``scores`` (draws, rows, children) with
    ``membership`` (draws, children, parents) aggregates every draw with its own weights at once.
    ``coverage_weights`` (shaped as ``membership``; default: ``membership``) are the weights the
    coverage is reckoned with, so that drawing the weights changes the scores but not which of
    them the data allow.
    """
    check_method(method, power)
    if nonpositive not in {"raise", "zero"}:
        msg = _("nonpositive must be 'raise' or 'zero', not {value}").format(value=repr(nonpositive))
        raise ScoringError(msg)
    imputed = np.zeros_like(coverage) if imputed is None else imputed
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    linked = membership > 0
    present_weight = present.astype(float) @ membership
    reckoned = membership if coverage_weights is None else coverage_weights
    total_weight = reckoned.sum(axis=-2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.where(total_weight > 0, 1.0 / total_weight, 0.0)
        parent_coverage = (np.where(present, coverage, 0.0) @ reckoned) * share
        parent_imputed = (np.where(present, imputed, 0.0) @ reckoned) * share
        if method == "arithmetic":
            result = filled @ membership / present_weight
        elif method == "minimum":
            result = _child_extreme(scores, linked, np.fmin)
        else:
            result = _mean_of_positives(
                filled,
                present=present,
                membership=membership,
                linked=linked,
                present_weight=present_weight,
                method=method,
                power=power,
                nonpositive=nonpositive,
            )
    counted = parent_coverage + parent_imputed if count_imputed else parent_coverage
    keep = (present_weight > 0) & (counted >= min_coverage - 1e-12)
    # exp(log(x)) and 1 / (1 / x) can stray from x by an ulp: keep every score inside its range.
    low, high = _range(scores)
    return LevelResult(
        np.where(keep, np.clip(result, low, high), np.nan), parent_coverage, parent_imputed, present_weight
    )


#: A mean power below this has lost digits to underflow (doubles keep full precision down to 1e-308).
_FAINT = 1e-200


def _scaled_power_mean(
    values: FloatArray,
    present: BoolArray,
    weights: tuple[FloatArray, FloatArray],
    p: float,
    scale: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Return ``s · (Σ wᵢ (xᵢ/s)ᵖ / Σ wᵢ)^(1/p)`` and the weighted sum of powers, for a scale ``s`` per row.

    ``weights`` are the membership (children × parents) and the weight present of each parent.
    """
    membership, present_weight = weights
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        powered = np.where(present & np.isfinite(values), (values / scale) ** p, 0.0)
        total = powered @ membership
        result = scale * (total / present_weight) ** (1.0 / p)
    return result, total


def _mean_of_positives(  # noqa: PLR0913 - the arrays of one level
    filled: FloatArray,
    *,
    present: BoolArray,
    membership: FloatArray,
    linked: BoolArray,
    present_weight: FloatArray,
    method: str,
    power: float | None,
    nonpositive: NonPositive,
) -> FloatArray:
    """Geometric, harmonic or power mean; non-positive children raise or sink the mean to 0."""
    p = -1.0 if method == "harmonic" else (0.0 if method == "geometric" else float(power or 0.0))
    bad = present & ((filled < 0) if p > 0 else (filled <= 0))
    if bad.any():
        hits = bad.astype(float) @ linked.astype(float) > 0
        if nonpositive == "raise" and hits.any():
            # Over draws (leading axes), name the cells that fail in any of them.
            any_bad = np.asarray(bad.reshape(-1, *bad.shape[-2:]).any(axis=0), dtype=bool)
            any_linked = np.asarray(linked.reshape(-1, *linked.shape[-2:]).any(axis=0), dtype=bool)
            any_hits = np.asarray(hits.reshape(-1, *hits.shape[-2:]).any(axis=0), dtype=bool)
            cells = [
                (row, int(np.flatnonzero(any_bad[row] & any_linked[:, parent])[0]), parent)
                for row, parent in np.argwhere(any_hits)
            ]
            raise NonPositiveError(
                method if method != "power" else f"power (p={p:g})", np.asarray(cells, dtype=np.intp)
            )
    else:
        hits = np.zeros(present_weight.shape, dtype=bool)
    usable = present & ~bad
    if p == 0:
        safe = np.where(usable, filled, 1.0)
        result = np.exp(np.where(present, np.log(safe), 0.0) @ membership / present_weight)
    else:
        # M_p(x) = s · M_p(x / s): with s the row's largest score (p > 0) or smallest positive one
        # (p < 0) every power lies in [0, 1] and none overflows. A parent whose powers all come
        # near underflow (an extreme p, where they would lose their digits) is computed again
        # with its own extreme child as s.
        values = np.where(usable, filled, 0.0 if p > 0 else np.inf)  # a negative score counts as 0 when p > 0
        row = values.max(axis=-1, keepdims=True, initial=0.0) if p > 0 else values.min(axis=-1, keepdims=True)
        result, total = _scaled_power_mean(values, present, (membership, present_weight), p, row)
        lost = (total < _FAINT * present_weight) & (usable.astype(float) @ linked.astype(float) > 0)
        if lost.any():
            extreme = _child_extreme(np.where(usable, filled, np.nan), linked, np.fmax if p > 0 else np.fmin)
            for parent in np.unique(np.nonzero(lost)[-1]):
                scale = extreme[..., parent : parent + 1]
                # only this parent's children: the others' powers may overflow at its scale
                own = present & linked[..., None, :, parent]
                column = slice(parent, parent + 1)
                again, _total = _scaled_power_mean(
                    values, own, (membership[..., column], present_weight[..., column]), p, scale
                )
                result[..., parent] = np.where(lost[..., parent], again[..., 0], result[..., parent])
        if p > 0:
            hits = np.zeros(present_weight.shape, dtype=bool)
    # A mean lies between its smallest and largest child.
    children = np.where(present, filled, np.nan)
    result = np.clip(result, _child_extreme(children, linked, np.fmin), _child_extreme(children, linked, np.fmax))
    # A score of 0 sinks a geometric, harmonic or negative-power mean (when the caller allows it).
    return np.where(hits, 0.0, result)
