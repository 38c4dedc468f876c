"""Roll-up: observations → normalised indicator scores → every level above, with coverage.

The engine works on whole matrices (one row per region and year, one column per node), so a
national table of hundreds of thousands of observations is scored without a Python loop per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.model import Masterplan
from smartcity_model.scoring.aggregate import Aggregation, LevelResult, aggregate
from smartcity_model.scoring.normalise import normalise
from smartcity_model.scoring.readiness import ReadinessScale, readiness_scale
from smartcity_model.scoring.structure import PLAN_LEVELS, ScoringError, Structure

__all__ = [
    "MISSING_POLICIES",
    "SCORE_COLUMNS",
    "MissingPolicy",
    "RollUp",
    "observations_frame",
    "plan_vs_actual",
    "planned_frame",
    "roll_up",
]

FloatArray = npt.NDArray[np.float64]
MissingPolicy = Literal["coverage", "raise", "locf", "group_mean"]
#: How missing observations are handled before aggregation (all then apply the coverage threshold).
MISSING_POLICIES: tuple[MissingPolicy, ...] = ("coverage", "raise", "locf", "group_mean")
#: Columns of :attr:`RollUp.scores`.
SCORE_COLUMNS: tuple[str, ...] = ("region", "year", "level", "node", "score", "coverage")
_DATA_COLUMNS = ("region", "year", "indicator", "value")


def observations_frame(plan: Masterplan) -> pd.DataFrame:
    """Return a plan's observations as a tidy table: ``region, year, indicator, value``."""
    region = plan.region.id
    return pd.DataFrame(
        {
            "region": [o.region or region for o in plan.observations],
            "year": np.array([o.year for o in plan.observations], dtype=np.int64),
            "indicator": [o.indicator for o in plan.observations],
            "value": np.array([o.value for o in plan.observations], dtype=float),
        },
        columns=list(_DATA_COLUMNS),
    )


@dataclass(frozen=True)
class _Units:
    """The rows of the matrices: one per region and year, sorted."""

    region: npt.NDArray[np.object_]
    year: npt.NDArray[np.int64]
    region_code: npt.NDArray[np.intp]
    year_code: npt.NDArray[np.intp]


def _to_matrix(data: pd.DataFrame, structure: Structure) -> tuple[_Units, FloatArray]:
    missing = set(_DATA_COLUMNS) - set(data.columns)
    if missing:
        msg = f"the data need columns region, year, indicator, value; missing: {', '.join(sorted(missing))}"
        raise ScoringError(msg)
    indicators = structure.indicators
    column = pd.Index(indicators).get_indexer(pd.Index(data["indicator"]))
    if (column < 0).any():
        unknown = sorted(set(data.loc[column < 0, "indicator"].astype(str)))
        msg = f"indicators not in the structure: {', '.join(unknown[:10])}" + (" ..." if len(unknown) > 10 else "")  # noqa: PLR2004
        raise ScoringError(msg)
    values = data["value"].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        msg = "values must be finite numbers (no NaN or infinity); leave missing observations out"
        raise ScoringError(msg)
    region_code, regions = pd.factorize(data["region"], sort=True)
    year_code, years = pd.factorize(data["year"].astype(np.int64), sort=True)
    unit = region_code * len(years) + year_code
    # Counting sorts: every region-year seen gets a row, every cell at most one value (linear time).
    seen = np.bincount(unit, minlength=len(regions) * len(years)) > 0
    present_units = np.flatnonzero(seen)
    row = (np.cumsum(seen) - 1)[unit]
    cell = row * len(indicators) + column
    if len(cell) and np.bincount(cell).max() > 1:
        first = int(np.flatnonzero(np.bincount(cell) > 1)[0])
        dup = data.iloc[int(np.flatnonzero(cell == first)[0])]
        msg = f"observed twice: region {dup['region']!r}, year {dup['year']}, indicator {dup['indicator']!r}"
        raise ScoringError(msg)
    matrix = np.full((len(present_units), len(indicators)), np.nan)
    matrix[row, column] = values
    units = _Units(
        region=np.asarray(regions, dtype=object)[present_units // len(years)],
        year=np.asarray(years, dtype=np.int64)[present_units % len(years)],
        region_code=present_units // len(years),
        year_code=present_units % len(years),
    )
    return units, matrix


def _fill(
    matrix: FloatArray, units: _Units, policy: str, groups: Mapping[str, str] | None, names: tuple[str, ...]
) -> FloatArray:
    if policy not in MISSING_POLICIES:
        msg = f"unknown missing-data policy {policy!r}; use one of {', '.join(MISSING_POLICIES)}"
        raise ScoringError(msg)
    if policy == "raise":
        gaps = np.argwhere(np.isnan(matrix))
        if len(gaps):
            row, col = gaps[0]
            msg = (
                f"{len(gaps)} missing values, e.g. region {units.region[row]!r}, year {units.year[row]}, "
                f"indicator {names[col]!r}; choose another missing-data policy or complete the data"
            )
            raise ScoringError(msg)
        return matrix
    frame = pd.DataFrame(matrix)
    if policy == "locf":
        return frame.groupby(units.region_code).ffill().to_numpy(dtype=float)
    if policy == "group_mean":
        labels = (
            np.zeros(len(units.region), dtype=object)
            if groups is None
            else np.array([groups.get(r, r) for r in units.region], dtype=object)
        )
        means = frame.groupby([labels, units.year_code]).transform("mean").to_numpy(dtype=float)
        return np.where(np.isnan(matrix), means, matrix)
    return matrix


@dataclass(frozen=True)
class RollUp:
    """The result of a roll-up: scores and coverage of every node, region and year.

    ``scores`` is tidy (``region, year, level, node, score, coverage``); :meth:`wide`,
    :meth:`readiness` and :meth:`contributions` give other views of the same numbers.
    """

    structure: Structure
    units: pd.DataFrame
    levels: Mapping[str, LevelResult]
    aggregation: Mapping[str, str]
    scale: ReadinessScale = field(default_factory=lambda: readiness_scale("default"))

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Every score as a tidy table: ``region, year, level, node, score, coverage`` (built once)."""
        frames = [self._level_frame(level) for level in self.structure.levels]
        return pd.concat(frames, ignore_index=True)

    def _level_frame(self, level: str) -> pd.DataFrame:
        result = self.levels[level]
        nodes = self.structure.level_nodes(level)
        n_units, n_nodes = result.score.shape
        return pd.DataFrame(
            {
                "region": np.repeat(self.units["region"].to_numpy(), n_nodes),
                "year": np.repeat(self.units["year"].to_numpy(), n_nodes),
                "level": level,
                "node": np.tile(np.asarray(nodes, dtype=object), n_units),
                "score": result.score.ravel(),
                "coverage": result.coverage.ravel(),
            },
            columns=list(SCORE_COLUMNS),
        )

    def wide(self, level: str | None = None, value: Literal["score", "coverage"] = "score") -> pd.DataFrame:
        """Return one level (default: the one below the top) as a table: (region, year) × nodes."""
        chosen = level if level is not None else self.structure.levels[-2]
        result = self.levels[chosen]
        index = pd.MultiIndex.from_frame(self.units[["region", "year"]])
        data = result.score if value == "score" else result.coverage
        return pd.DataFrame(data, index=index, columns=pd.Index(self.structure.level_nodes(chosen), name="node"))

    def readiness(self, scale: str | ReadinessScale | None = None) -> pd.DataFrame:
        """Return the scores above the indicator level with ``readiness_level`` and ``readiness`` names."""
        chosen = self.scale if scale is None else readiness_scale(scale)
        frame = pd.concat([self._level_frame(level) for level in self.structure.levels[1:]], ignore_index=True)
        levels = chosen.levels_of(frame["score"].to_numpy())
        return frame.assign(
            readiness_level=pd.Series(levels).astype("Int64").to_numpy(),
            readiness=pd.Series(chosen.names_of(levels), dtype=object),
        )

    def contributions(self, level: str | None = None) -> pd.DataFrame:
        """Return each indicator's contribution to its ancestor on ``level`` (default: the top).

        Columns ``region, year, node, indicator, weight, contribution``: ``weight`` is the
        indicator's effective weight in the node (weights renormalised among the children present
        at every level below it); ``contribution`` is weight × indicator score. With arithmetic
        aggregation all the way up the contributions of a node sum to its score; otherwise they
        are rescaled to sum to it (a proportional attribution).
        """
        levels = self.structure.levels
        target = level if level is not None else levels[-1]
        depth = levels.index(target)
        scores = self.levels[levels[0]].score
        effective = np.ones_like(scores)
        ancestor = np.arange(scores.shape[1])
        for lower in levels[:depth]:
            membership, _ = self.structure.membership(lower)
            result = self.levels[lower]
            parent = membership.argmax(axis=1)
            upper = levels[levels.index(lower) + 1]
            parent_present = ~np.isnan(self.levels[upper].score)
            present_weight = self.levels[upper].present_weight
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(~np.isnan(result.score), membership.max(axis=1) / present_weight[:, parent], 0.0)
            share = np.where(parent_present[:, parent], share, 0.0)
            effective = effective * share[:, ancestor]
            ancestor = parent[ancestor]
        contribution = effective * np.nan_to_num(scores)
        node_scores = self.levels[target].score[:, ancestor]
        exact = all(self.aggregation[lv] == "arithmetic" for lv in levels[1 : depth + 1])
        if not exact:
            totals = pd.DataFrame(contribution).T.groupby(ancestor).transform("sum").T.to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                contribution = np.where(totals > 0, contribution / totals * np.nan_to_num(node_scores), 0.0)
        n_units, n_ind = scores.shape
        nodes = np.asarray(self.structure.level_nodes(target), dtype=object)
        frame = pd.DataFrame(
            {
                "region": np.repeat(self.units["region"].to_numpy(), n_ind),
                "year": np.repeat(self.units["year"].to_numpy(), n_ind),
                "node": np.tile(nodes[ancestor], n_units),
                "indicator": np.tile(np.asarray(self.structure.indicators, dtype=object), n_units),
                "weight": effective.ravel(),
                "contribution": contribution.ravel(),
            }
        )
        return frame[frame["weight"] > 0].reset_index(drop=True)


def _aggregations(structure: Structure, aggregation: Aggregation | Mapping[str, Aggregation]) -> dict[str, str]:
    upper = structure.levels[1:]
    if isinstance(aggregation, str):
        return dict.fromkeys(upper, aggregation)
    unknown = set(aggregation) - set(upper)
    if unknown:
        msg = f"aggregation given for unknown levels {sorted(unknown)}; levels above indicators: {list(upper)}"
        raise ScoringError(msg)
    return {level: aggregation.get(level, "arithmetic") for level in upper}


def roll_up(  # noqa: PLR0913 - keyword-only options of the public API
    source: Masterplan | pd.DataFrame,
    structure: Structure | None = None,
    *,
    method: str = "declared",
    aggregation: Aggregation | Mapping[str, Aggregation] = "arithmetic",
    missing: MissingPolicy = "coverage",
    min_coverage: float = 0.65,
    groups: Mapping[str, str] | None = None,
    scale: str | ReadinessScale = "default",
) -> RollUp:
    """Score a masterplan's observations, or a tidy table of many regions, up every level.

    Parameters
    ----------
    source
        A :class:`~smartcity_model.Masterplan`, or a table with columns ``region, year,
        indicator, value`` (one row per observation; absent rows are missing values).
    structure
        The hierarchy; by default the plan's own (indicator → element → dimension → overall).
    method
        ``declared`` (each indicator's own normalisation, ``minmax`` where none is declared), or
        ``minmax``, ``zscore`` or ``rank`` across the regions of each year.
    aggregation
        One method for every level, or a method per level name (default arithmetic).
    missing
        ``coverage`` aggregates the children present; ``raise`` refuses any gap; ``locf``
        carries each region's last observation forward; ``group_mean`` fills a gap with the mean
        of the region's group (``groups`` maps region to group; default: all regions) that year.
        Every policy then drops aggregates whose coverage is below ``min_coverage``.
    min_coverage
        Share of a node's indicator weight that must be observed for it to get a score.
    groups
        Region → group, for ``group_mean``.
    scale
        Readiness scale for :meth:`RollUp.readiness` (a preset name or a scale).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> result = scm.roll_up(scm.load(scm.example_path()), missing="locf")
    >>> row = result.wide("dimension").loc[("solok-selatan", 2024)]
    >>> round(float(row["society"]), 1)
    58.3
    """
    if isinstance(source, Masterplan):
        data = observations_frame(source)
        structure = structure if structure is not None else Structure.from_plan(source)
    else:
        data = source
        if structure is None:
            msg = "a table needs a structure; use Structure.from_framework or Structure.from_frame"
            raise ScoringError(msg)
    if not 0 <= min_coverage <= 1:
        msg = f"min_coverage must lie between 0 and 1, not {min_coverage}"
        raise ScoringError(msg)
    aggregations = _aggregations(structure, aggregation)
    units, matrix = _to_matrix(data, structure)
    indicators = structure.indicators
    matrix = _fill(matrix, units, missing, groups, indicators)
    scores = normalise(matrix, [structure.spec(i) for i in indicators], units.year_code, method)
    present = (~np.isnan(scores)).astype(float)
    levels: dict[str, LevelResult] = {structure.levels[0]: LevelResult(scores, present, present)}
    for lower, upper in zip(structure.levels, structure.levels[1:], strict=False):
        membership, _ = structure.membership(lower)
        below = levels[lower]
        levels[upper] = aggregate(below.score, below.coverage, membership, aggregations[upper], min_coverage)
    unit_frame = pd.DataFrame({"region": units.region, "year": units.year})
    return RollUp(structure, unit_frame, levels, aggregations, readiness_scale(scale))


def planned_frame(plan: Masterplan) -> pd.DataFrame:
    """Return the plan's intended indicator values by year: baseline to targets, linearly in between."""
    rows = []
    for indicator in plan.indicators:
        points = dict(indicator.targets)
        if indicator.baseline is not None:
            points[indicator.baseline.year] = indicator.baseline.value
        if not points:
            continue
        years = np.array(sorted(points))
        span = np.arange(years[0], years[-1] + 1)
        values = np.interp(span, years, [points[y] for y in years])
        rows.append(pd.DataFrame({"region": plan.region.id, "year": span, "indicator": indicator.id, "value": values}))
    if not rows:
        return pd.DataFrame(columns=list(_DATA_COLUMNS))
    return pd.concat(rows, ignore_index=True)


def plan_vs_actual(plan: Masterplan, **options: object) -> pd.DataFrame:
    """Compare observed readiness with the readiness the plan's own targets imply, by node and year.

    Columns ``region, year, level, node, observed, planned, gap`` (``gap = observed - planned``)
    for every aggregate level; years without one of the two are left out. ``options`` are passed
    to :func:`roll_up` for both.
    """
    structure = Structure.from_plan(plan)
    observed = roll_up(plan, structure, **options).scores  # type: ignore[arg-type]  # options are roll_up's own
    planned = roll_up(planned_frame(plan), structure, **options).scores  # type: ignore[arg-type]
    keys = ["region", "year", "level", "node"]
    merged = observed.merge(planned, on=keys, suffixes=("_observed", "_planned"))
    merged = merged[merged["level"] != PLAN_LEVELS[0]]
    merged = merged.rename(columns={"score_observed": "observed", "score_planned": "planned"})
    merged = merged.dropna(subset=["observed", "planned"])
    merged["gap"] = merged["observed"] - merged["planned"]
    return merged[[*keys, "observed", "planned", "gap"]].reset_index(drop=True)
