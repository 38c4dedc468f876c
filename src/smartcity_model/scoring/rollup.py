"""Roll-up: observations → normalised indicator scores → every level above, with coverage.

The engine works on whole matrices over **every** region × year in scope (one row each, one
column per node), so a national table of hundreds of thousands of observations is scored without
a Python loop per row, and a region-year without observations is shown with coverage 0 instead
of vanishing.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_, use_language
from smartcity_model.model import Masterplan
from smartcity_model.scoring.aggregate import (
    Aggregation,
    LevelResult,
    NonPositive,
    NonPositiveError,
    aggregate,
    check_method,
)
from smartcity_model.scoring.impute import IMPUTATION_METHODS, impute_panel
from smartcity_model.scoring.normalise import NormaliseSpec, Scope, normalise_matrix
from smartcity_model.scoring.panel import DATA_COLUMNS, Panel
from smartcity_model.scoring.readiness import ReadinessScale, readiness_scale
from smartcity_model.scoring.structure import PLAN_LEVELS, ScoringError, Structure, listing, warn

__all__ = [
    "MISSING_POLICIES",
    "SCORE_COLUMNS",
    "MissingPolicy",
    "RollUp",
    "observations_frame",
    "plan_vs_actual",
    "planned_frame",
    "roll_up",
    "score_panel",
]

FloatArray = npt.NDArray[np.float64]
MissingPolicy = Literal["coverage", "raise", "mean", "median", "group_mean", "group_median", "locf", "nocb", "linear"]
#: How missing observations are handled before aggregation: ``coverage`` aggregates what is
#: there, ``raise`` refuses any gap, the others impute (see :mod:`smartcity_model.scoring.impute`).
MISSING_POLICIES: tuple[str, ...] = ("coverage", "raise", *IMPUTATION_METHODS)
#: Columns of :attr:`RollUp.scores`.
SCORE_COLUMNS: tuple[str, ...] = ("region", "year", "level", "node", "score", "coverage", "imputed")
_VALUES = ("score", "coverage", "imputed")
#: How far a score may stray outside 0–100 by rounding alone.
_ROUNDING = 1e-9


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
        columns=list(DATA_COLUMNS),
    )


@dataclass(frozen=True, eq=False)
class RollUp:
    """The result of a roll-up: scores, coverage and imputed share of every node, region and year.

    ``scores`` is tidy (``region, year, level, node, score, coverage, imputed``); ``data`` is the
    table actually scored, with every imputed cell flagged; :meth:`wide`, :meth:`readiness` and
    :meth:`contributions` give other views of the same numbers; ``notes`` say what was assumed.
    """

    structure: Structure
    panel: Panel
    levels: Mapping[str, LevelResult]
    aggregation: Mapping[str, str]
    scale: ReadinessScale = field(default_factory=lambda: readiness_scale("default"))
    normalisation: NormaliseSpec = field(default_factory=NormaliseSpec)
    options: Mapping[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @cached_property
    def units(self) -> pd.DataFrame:
        """The rows scored: every region × year in scope (``region, year``)."""
        return self.panel.units()

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Every score as a tidy table: ``region, year, level, node, score, coverage, imputed`` (built once)."""
        return self._frame(self.structure.levels)

    @property
    def data(self) -> pd.DataFrame:
        """The values actually scored: ``region, year, indicator, value, imputed, imputation``."""
        return self.panel.to_table()

    def _frame(self, levels: Sequence[str]) -> pd.DataFrame:
        """Return the scores of ``levels`` as one tidy table (built with numpy, in one go)."""
        regions, years = self.units["region"].to_numpy(), self.units["year"].to_numpy()
        n_units = len(regions)
        results = [self.levels[level] for level in levels]
        sizes = [result.score.shape[1] for result in results]
        columns = {
            "region": np.concatenate([np.repeat(regions, n) for n in sizes]),
            "year": np.concatenate([np.repeat(years, n) for n in sizes]),
            "level": np.repeat(np.asarray(levels, dtype=object), [n_units * n for n in sizes]),
            "node": np.concatenate(
                [np.tile(np.asarray(self.structure.level_nodes(level), dtype=object), n_units) for level in levels]
            ),
            "score": np.concatenate([result.score.ravel() for result in results]),
            "coverage": np.concatenate([result.coverage.ravel() for result in results]),
            "imputed": np.concatenate([result.imputed.ravel() for result in results]),
        }
        return pd.DataFrame(columns, columns=list(SCORE_COLUMNS))

    def wide(self, level: str | None = None, value: Literal["score", "coverage", "imputed"] = "score") -> pd.DataFrame:
        """Return one level (default: the one below the top) as a table: (region, year) × nodes."""
        chosen = self.structure.check_level(level) if level is not None else self.structure.levels[-2]
        if value not in _VALUES:
            msg = _("value must be one of {values}, not {value}{hint}").format(
                values=", ".join(_VALUES), value=repr(value), hint=suggest(str(value), _VALUES)
            )
            raise ScoringError(msg)
        result = self.levels[chosen]
        index = pd.MultiIndex.from_frame(self.units[["region", "year"]])
        data = {"score": result.score, "coverage": result.coverage, "imputed": result.imputed}[value]
        return pd.DataFrame(data, index=index, columns=pd.Index(self.structure.level_nodes(chosen), name="node"))

    def readiness(self, scale: str | ReadinessScale | None = None) -> pd.DataFrame:
        """Return the scores above the indicator level with ``readiness_level`` and ``readiness`` names."""
        chosen = self.scale if scale is None else readiness_scale(scale)
        self._check_readiness()
        frame = self.scores[self.scores["level"] != self.structure.levels[0]].reset_index(drop=True)
        levels = chosen.levels_of(frame["score"].to_numpy())
        return frame.assign(
            readiness_level=pd.Series(levels).astype("Int64").to_numpy(),
            readiness=pd.Series(chosen.names_of(levels), dtype=object),
        )

    def _check_readiness(self) -> None:
        """Refuse readiness levels for scores that are not on the 0–100 scale the bands are drawn on."""
        spec = self.normalisation
        reason = None
        if spec.method == "borda":
            reason = _("borda scores count the regions beaten, not 0–100")
        elif spec.method in {"minmax", "declared"} and spec.range[1] != 100:  # noqa: PLR2004 - the top of the scale
            reason = _("min-max to the range {range} does not end at 100").format(range=spec.range)
        else:
            scores = np.concatenate([self.levels[level].score.ravel() for level in self.structure.levels[1:]])
            present = scores[~np.isnan(scores)]
            if present.size and (present.min() < -_ROUNDING or present.max() > 100 + _ROUNDING):
                reason = _("scores run from {low:.4g} to {high:.4g}").format(low=present.min(), high=present.max())
        if reason is not None:
            msg = _(
                "readiness levels are bands of 0–100 scores, but {reason} ({normalisation}); "
                "normalise to 0–100 (e.g. method='minmax') to read readiness"
            ).format(reason=reason, normalisation=spec.describe())
            raise ScoringError(msg)

    def contributions(self, level: str | None = None) -> pd.DataFrame:
        """Return each indicator's contribution to its ancestor on ``level`` (default: the top).

        Columns ``region, year, node, indicator, weight, contribution``: ``weight`` is the
        indicator's effective weight in the node (weights renormalised among the children present
        at every level below it); ``contribution`` is weight × indicator score. With arithmetic
        aggregation all the way up the contributions of a node sum to its score; otherwise they
        are rescaled to sum to it (a proportional attribution). Excluded indicators (weight 0)
        contribute nothing and are left out.
        """
        levels = self.structure.levels
        target = self.structure.check_level(level) if level is not None else levels[-1]
        depth = levels.index(target)
        scores = self.levels[levels[0]].score
        effective = np.ones_like(scores)
        ancestor = np.arange(scores.shape[1])
        for lower, upper in itertools.pairwise(levels[: depth + 1]):
            membership, _parents = self.structure.membership(lower)
            parent = self.structure.parent_index(lower)
            weight = membership[np.arange(len(parent)), parent]
            present_weight = self.levels[upper].present_weight
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(~np.isnan(self.levels[lower].score), weight / present_weight[:, parent], 0.0)
            share = np.where(~np.isnan(self.levels[upper].score)[:, parent], share, 0.0)
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

    def __repr__(self) -> str:
        """Summarise in a few lines: size, levels, methods, coverage of the top level, notes, tables."""
        regions, years, _indicators = self.panel.shape
        span = f"{self.panel.years[0]}–{self.panel.years[-1]}" if self.panel.years else "no years"
        levels = " → ".join(f"{lv} ({len(self.structure.level_nodes(lv))})" for lv in self.structure.levels)
        methods = sorted(set(self.aggregation.values()))
        options = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in self.options.items())
        top = self.levels[self.structure.levels[-1]]
        scored = int((~np.isnan(top.score)).sum())
        coverage = float(top.coverage.mean()) if top.coverage.size else 0.0
        imputed = float(top.imputed.mean()) if top.imputed.size else 0.0
        excluded = (
            f"; {_count(len(self.structure.excluded), 'node')} excluded (weight 0)" if self.structure.excluded else ""
        )
        with use_language("en"):
            normalisation = self.normalisation.describe()
        lines = [
            f"<RollUp {_count(regions, 'region')} × {_count(years, 'year')} ({span}); {levels}{excluded}",
            f"  normalisation {normalisation}; aggregation {'/'.join(methods)}; {options}",
            (
                f"  {self.structure.levels[-1]}: {scored} of {top.score.size} node-region-years scored; "
                f"mean coverage {coverage:.2f} observed, {imputed:.2f} imputed"
            ),
        ]
        if self.notes:
            lines.append(f"  {_count(len(self.notes), 'note')}: see .notes")
        lines.append("  tables: .scores .data .wide(level) .readiness() .contributions(level)>")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Show what was scored and the latest scores of the level below the top in a notebook."""
        from smartcity_model.views import rollup_html  # noqa: PLC0415 - views import scoring

        return rollup_html(self)


def aggregation_per_level(
    structure: Structure, aggregation: str | Mapping[str, str], power: float | None
) -> dict[str, str]:
    """Return the aggregation method of every level above the indicators, checked."""
    upper = structure.levels[1:]
    if isinstance(aggregation, str):
        chosen = dict.fromkeys(upper, aggregation)
    else:
        unknown = [level for level in aggregation if level not in upper]
        if unknown:
            shown = listing(f"{level!r}{suggest(str(level), upper)}" for level in unknown)
            msg = _(
                "aggregation given for unknown levels {levels}; the levels above the indicators are {upper}"
            ).format(levels=shown, upper=", ".join(upper))
            raise ScoringError(msg)
        chosen = {level: aggregation.get(level, "arithmetic") for level in upper}
    for method in set(chosen.values()):
        check_method(method, power)
    if power is not None and "power" not in chosen.values():
        msg = _("power= is used only by aggregation 'power'")
        raise ScoringError(msg)
    return chosen


def _nonpositive(
    error: NonPositiveError, panel: Panel, structure: Structure, step: tuple[str, str], scores: FloatArray
) -> ScoringError:
    lower, upper = step
    regions, years = panel.unit_region(), panel.unit_year()
    children, parents = structure.level_nodes(lower), structure.level_nodes(upper)
    shown = listing(
        _("{upper} {parent} in region {region}, {year}: {lower} {child} scores {score:g}").format(
            upper=upper,
            parent=repr(parents[parent]),
            region=repr(regions[row]),
            year=years[row],
            lower=lower,
            child=repr(children[child]),
            score=scores[row, child],
        )
        for row, child, parent in error.cells
    )
    msg = n_(
        "the {method} mean needs scores above 0, but {n} aggregate meets 0 or less: {cells}. "
        "Normalise to a range above 0 (e.g. method=NormaliseSpec(method='minmax', range=(1, 100))), choose "
        "another aggregation, or pass nonpositive='zero' to let such a score sink the mean to 0",
        "the {method} mean needs scores above 0, but {n} aggregates meet 0 or less: {cells}. "
        "Normalise to a range above 0 (e.g. method=NormaliseSpec(method='minmax', range=(1, 100))), choose "
        "another aggregation, or pass nonpositive='zero' to let such a score sink the mean to 0",
        len(error.cells),
    ).format(method=error.method, n=len(error.cells), cells=shown)
    return ScoringError(msg)


def _reference(panel: Panel, spec: NormaliseSpec) -> FloatArray | None:
    if spec.method != "distance_to_reference":
        return None
    if spec.reference not in panel.regions:
        msg = _("reference region {region}{hint} is not in the data").format(
            region=repr(spec.reference), hint=suggest(str(spec.reference), panel.regions)
        )
        raise ScoringError(msg)
    region = panel.regions.index(spec.reference)
    n_years = len(panel.years)
    if spec.reference_year is None:
        rows = region * n_years + panel.year_code()
    elif spec.reference_year in panel.years:
        rows = np.full(len(panel.unit_year()), region * n_years + panel.years.index(spec.reference_year))
    else:
        msg = _("reference_year {year} is not among the years scored ({years})").format(
            year=spec.reference_year, years=listing(panel.years)
        )
        raise ScoringError(msg)
    return panel.matrix[rows]


def normalise_panel(panel: Panel, structure: Structure, normalisation: NormaliseSpec) -> tuple[FloatArray, str | None]:
    """Normalise a panel laid on the structure's indicators; return the scores and what was left unscored."""
    indicators = structure.indicators
    if normalisation.scope == "year":
        groups, scope_names = panel.year_code(), [str(y) for y in panel.years]
    else:
        groups, scope_names = np.zeros(len(panel.unit_year()), dtype=np.intp), [_("the panel")]
    normalised = normalise_matrix(
        panel.matrix,
        [structure.spec(i) for i in indicators],
        groups,
        normalisation,
        names=indicators,
        scope_names=scope_names,
        reference=_reference(panel, normalisation),
        row_names=[str(year) for year in panel.unit_year()],
    )
    return normalised.scores, normalised.message(normalisation.method) if normalised.skipped else None


def leaf_level(scores: FloatArray, panel: Panel) -> LevelResult:
    """Return the indicator level of a roll-up: each score present counts 1, as observed or as imputed."""
    present = ~np.isnan(scores)
    imputed = present & panel.imputed
    return LevelResult(scores, (present & ~imputed).astype(float), imputed.astype(float), present.astype(float))


def score_panel(  # noqa: PLR0913 - keyword-only options of one roll-up
    panel: Panel,
    structure: Structure,
    *,
    normalisation: NormaliseSpec,
    aggregations: Mapping[str, str],
    power: float | None = None,
    nonpositive: NonPositive = "raise",
    min_coverage: float = 0.65,
    count_imputed: bool = False,
    scale: ReadinessScale | None = None,
    options: Mapping[str, object] | None = None,
    notes: Iterable[str] = (),
) -> RollUp:
    """Normalise a panel (laid on the structure's indicators) and aggregate it up every level."""
    notes = list(notes)
    scores, note = normalise_panel(panel, structure, normalisation)
    if note is not None:
        notes.append(note)
        warn(note)
    levels: dict[str, LevelResult] = {structure.levels[0]: leaf_level(scores, panel)}
    for lower, upper in zip(structure.levels, structure.levels[1:], strict=False):
        membership, _parents = structure.membership(lower)
        below = levels[lower]
        try:
            levels[upper] = aggregate(
                below.score,
                below.coverage,
                membership,
                aggregations[upper],
                min_coverage,
                imputed=below.imputed,
                power=power,
                nonpositive=nonpositive,
                count_imputed=count_imputed,
            )
        except NonPositiveError as error:
            raise _nonpositive(error, panel, structure, (lower, upper), below.score) from None
        if levels[upper].score.size and np.isnan(levels[upper].score).all():
            notes.append(
                _("no {level} got a score: none reached min_coverage {min_coverage:g}").format(
                    level=upper, min_coverage=min_coverage
                )
                + ("" if count_imputed else _(" (observed values only; count_imputed=True also counts imputed ones)"))
            )
            warn(notes[-1])
            break
    for level in structure.levels[len(levels) :]:
        n_units, n_nodes = len(panel.unit_year()), len(structure.level_nodes(level))
        empty = np.full((n_units, n_nodes), np.nan)
        zeros = np.zeros((n_units, n_nodes))
        levels[level] = LevelResult(empty, zeros, zeros, zeros)
    return RollUp(
        structure,
        panel,
        levels,
        dict(aggregations),
        scale or readiness_scale("default"),
        normalisation,
        dict(options or {}),
        tuple(notes),
    )


def _spec(method: str | NormaliseSpec, scope: str | None) -> NormaliseSpec:
    spec = NormaliseSpec.of(method)
    if scope is None:
        return spec
    if scope not in {"panel", "year"}:
        msg = _("scope must be 'panel' or 'year', not {value}{hint}").format(
            value=repr(scope), hint=suggest(str(scope), ("panel", "year"))
        )
        raise ScoringError(msg)
    if isinstance(method, NormaliseSpec) and method.scope != scope:
        msg = _("scope given twice: {spec} in the NormaliseSpec and {scope} as scope=").format(
            spec=repr(method.scope), scope=repr(scope)
        )
        raise ScoringError(msg)
    return spec.model_copy(update={"scope": scope})


def _fill(
    panel: Panel,
    missing: str,
    groups: Mapping[str, str] | None,
    max_gap: int | None,
) -> Panel:
    if missing not in MISSING_POLICIES:
        msg = _("unknown missing-data policy {policy}{hint}; use one of {policies}").format(
            policy=repr(missing), hint=suggest(str(missing), MISSING_POLICIES), policies=", ".join(MISSING_POLICIES)
        )
        raise ScoringError(msg)
    if missing in {"coverage", "raise"}:
        for name, given in (("groups", groups), ("max_gap", max_gap)):
            if given is not None:
                msg = _("{name}= is used only when missing= imputes, not with missing={missing}").format(
                    name=name, missing=repr(missing)
                )
                raise ScoringError(msg)
    if missing == "raise":
        gaps = np.argwhere(np.isnan(panel.matrix))
        if len(gaps):
            row, col = gaps[0]
            msg = n_(
                "{n} missing value: region {region}, year {year}, indicator {indicator}; "
                "choose another missing-data policy or complete the data",
                "{n} missing values, e.g. region {region}, year {year}, indicator {indicator}; "
                "choose another missing-data policy or complete the data",
                len(gaps),
            ).format(
                n=len(gaps),
                region=repr(panel.unit_region()[row]),
                year=panel.unit_year()[row],
                indicator=repr(panel.indicators[col]),
            )
            raise ScoringError(msg)
        return panel
    if missing == "coverage":
        return panel
    filled, _details = impute_panel(panel, missing, groups=groups, max_gap=max_gap)
    return filled


def roll_up(  # noqa: PLR0913 - keyword-only options of the public API
    source: Masterplan | pd.DataFrame,
    structure: Structure | None = None,
    *,
    method: str | NormaliseSpec = "declared",
    scope: Scope | None = None,
    aggregation: Aggregation | Mapping[str, Aggregation] = "arithmetic",
    power: float | None = None,
    nonpositive: NonPositive = "raise",
    missing: MissingPolicy = "coverage",
    max_gap: int | None = None,
    min_coverage: float = 0.65,
    count_imputed: bool = False,
    groups: Mapping[str, str] | None = None,
    regions: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    scale: str | ReadinessScale = "default",
) -> RollUp:
    """Score a masterplan's observations, or a tidy table of many regions, up every level.

    Parameters
    ----------
    source
        A :class:`~smartcity_model.Masterplan`, or a table with columns ``region, year,
        indicator, value`` (one row per observation; absent rows are missing values; an
        ``imputed`` column marks values filled earlier, e.g. by :func:`impute`).
    structure
        The hierarchy; by default the plan's own (indicator → element → dimension → overall).
    method
        ``declared`` (each indicator's own normalisation, ``minmax`` where none is declared), a
        peer-relative method name, or a :class:`NormaliseSpec` with its settings.
    scope
        Peers of peer-relative methods: ``panel`` (all regions and years together, the
        default) or ``year``.
    aggregation
        One method for every level, or a method per level name (default arithmetic).
    power
        The exponent of ``aggregation="power"``.
    nonpositive
        ``raise`` (default) refuses scores of 0 or below in geometric, harmonic and power means;
        ``zero`` lets them sink the mean to 0.
    missing
        ``coverage`` aggregates the children present; ``raise`` refuses any gap; an imputation
        method (``locf``, ``nocb``, ``linear``, ``mean``, ``median``, ``group_mean``,
        ``group_median``) fills gaps first, flagging every filled cell.
    max_gap
        For ``locf``, ``nocb`` and ``linear``: the most years a gap may span.
    min_coverage
        Share of a node's indicator weight that must be *observed* for it to get a score.
    count_imputed
        Count imputed values towards ``min_coverage`` too.
    groups
        Region → group, for ``group_mean`` and ``group_median``; every region needs one.
    regions, years
        The grid scored: every region × every year, by default those of the data. A region or
        year without observations is scored with coverage 0; rows of other years are left out.
    scale
        Readiness scale for :meth:`RollUp.readiness` (a preset name or a scale).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> result = scm.roll_up(scm.load(scm.example_path()), missing="locf", count_imputed=True)
    >>> row = result.wide("dimension").loc[("solok-selatan", 2024)]
    >>> round(float(row["society"]), 1)
    58.3
    """
    if isinstance(source, Masterplan):
        data = observations_frame(source)
        structure = structure if structure is not None else Structure.from_plan(source)
        regions = regions if regions is not None else [source.region.id]
    else:
        data = source
        if structure is None:
            msg = _("a table needs a structure; use Structure.from_framework or Structure.from_frame")
            raise ScoringError(msg)
    if isinstance(min_coverage, bool) or not isinstance(min_coverage, int | float) or not 0 <= min_coverage <= 1:
        msg = _("min_coverage must lie between 0 and 1, not {value}").format(value=repr(min_coverage))
        raise ScoringError(msg)
    if not isinstance(count_imputed, bool):
        msg = _("count_imputed must be True or False, not {value}").format(value=repr(count_imputed))
        raise ScoringError(msg)
    spec = _spec(method, scope)
    aggregations = aggregation_per_level(structure, aggregation, power)
    if nonpositive != "raise" and not {"geometric", "harmonic", "power"} & set(aggregations.values()):
        msg = _("nonpositive= is used only by geometric, harmonic and power means, and no level uses one")
        raise ScoringError(msg)
    panel = Panel.from_table(data, indicators=structure.indicators, regions=regions, years=years)
    if not panel.regions or not panel.years:
        msg = _("nothing to score: the data have no observations (in the years asked for)")
        raise ScoringError(msg)
    panel = _fill(panel, missing, groups, max_gap)
    return score_panel(
        panel,
        structure,
        normalisation=spec,
        aggregations=aggregations,
        power=power,
        nonpositive=nonpositive,
        min_coverage=float(min_coverage),
        count_imputed=count_imputed,
        scale=readiness_scale(scale),
        options={
            "missing": missing,
            "min_coverage": float(min_coverage),
            "count_imputed": count_imputed,
            **({"max_gap": max_gap} if max_gap is not None else {}),
            **({"power": power} if power is not None else {}),
            **({"nonpositive": nonpositive} if nonpositive != "raise" else {}),
        },
    )


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
        return pd.DataFrame(columns=list(DATA_COLUMNS))
    return pd.concat(rows, ignore_index=True)


def check_options(options: Mapping[str, object], *, taken: Iterable[str] = ()) -> None:
    """Refuse options that :func:`roll_up` does not take (``taken``: those the caller sets itself)."""
    accepted = [name for name in inspect.signature(roll_up).parameters if name not in {"source", "structure", *taken}]
    unknown = [f"{name!r}{suggest(name, accepted)}" for name in options if name not in accepted]
    if unknown:
        msg = _("unknown options {options}; roll_up takes {accepted}").format(
            options=listing(unknown), accepted=", ".join(accepted)
        )
        raise ScoringError(msg)


def plan_vs_actual(plan: Masterplan, **options: object) -> pd.DataFrame:
    """Compare observed readiness with the readiness the plan's own targets imply, by node and year.

    Columns ``region, year, level, node, observed, planned, gap`` (``gap = observed - planned``)
    for every aggregate level; years without one of the two are left out. ``options`` are passed
    to :func:`roll_up` for both.
    """
    check_options(options)
    structure = Structure.from_plan(plan)
    observed = roll_up(plan, structure, **options).scores  # type: ignore[arg-type]  # options are roll_up's own
    planned_data = planned_frame(plan)
    if planned_data.empty:
        msg = _("the plan sets no baseline or target for any indicator: there is no planned path to compare with")
        raise ScoringError(msg)
    planned = roll_up(planned_data, structure, **options).scores  # type: ignore[arg-type]
    keys = ["region", "year", "level", "node"]
    merged = observed.merge(planned, on=keys, suffixes=("_observed", "_planned"))
    merged = merged[merged["level"] != PLAN_LEVELS[0]]
    merged = merged.rename(columns={"score_observed": "observed", "score_planned": "planned"})
    merged = merged.dropna(subset=["observed", "planned"])
    merged["gap"] = merged["observed"] - merged["planned"]
    return merged[[*keys, "observed", "planned", "gap"]].reset_index(drop=True)


def _count(n: int, word: str) -> str:
    """Write ``1 region`` or ``2 regions`` (reprs are in English)."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
