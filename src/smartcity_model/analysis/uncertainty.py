"""Uncertainty analysis: how far the scores and ranks move when the study's choices move.

Declare what is uncertain (:class:`~smartcity_model.analysis.Uncertainty`: weights, normalisation,
aggregation, missing-data policy, outlier treatment, one indicator left out), draw ``n`` settings
of it at random (seeded) and score them all (:func:`uncertainty`). For every region, year and node
the result gives the nominal score and rank beside the median and the 5–95 % interval of the
draws, as the OECD/JRC Handbook and COINr's ``get_sensitivity(SA_type = "UA")`` report them.
:func:`one_at_a_time` changes one choice at a time instead (remove one indicator, switch one
aggregation…) and says how far each moves the ranking.

Ranks are among the regions of the same year (1 = best; ties share the best rank). Each draw is
the roll-up its choices give, with one exception: coverage (whether a node has enough data to be
scored) is reckoned with the nominal weights, so drawing the weights moves scores, not which
scores exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import ValidationError

from smartcity_model.analysis.choices import Draws, Factor, Uncertainty, draws_from_unit, nominal_draws
from smartcity_model.analysis.engine import Setup, check_memory, evaluate, prepare, run_draws
from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_
from smartcity_model.scoring.recipe import Study
from smartcity_model.scoring.rollup import RollUp
from smartcity_model.scoring.structure import ScoringError, Structure, listing, warn

__all__ = ["SUMMARY_COLUMNS", "UncertaintyResult", "one_at_a_time", "uncertainty"]

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
#: Columns of :attr:`UncertaintyResult.summary`.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "region",
    "year",
    "level",
    "node",
    "score",
    "rank",
    "score_p05",
    "score_median",
    "score_p95",
    "rank_p05",
    "rank_median",
    "rank_p95",
    "rank_shift",
    "scored",
)


def declared(choices: Uncertainty | Mapping[str, Any] | None, given: Mapping[str, Any]) -> Uncertainty:
    """Return the declared choices, given as an :class:`Uncertainty`, a mapping or keywords (not two of them)."""
    if choices is not None and given:
        msg = _("give the uncertain choices once: as choices= or as keywords ({names}), not both").format(
            names=", ".join(given)
        )
        raise ScoringError(msg)
    if isinstance(choices, Uncertainty):
        return choices
    fields = dict(choices or given)
    unknown = [name for name in fields if name not in Uncertainty.model_fields]
    if unknown:
        known = list(Uncertainty.model_fields)
        named = listing(f"{name!r}{suggest(str(name), known)}" for name in unknown)
        msg = _("unknown uncertain choices {names}; declare {known}").format(names=named, known=", ".join(known))
        raise ScoringError(msg)
    try:
        return Uncertainty.model_validate(fields)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in item['loc']) or 'choices'}: {item['msg']}" for item in error.errors()
        ]
        msg = _("the uncertain choices cannot be read: {problems}").format(problems="; ".join(problems))
        raise ScoringError(msg) from None


def check_levels(setup: Setup, levels: Sequence[str] | str | None) -> tuple[str, ...]:
    """Return the levels to report (default: every level above the indicators), checked."""
    structure = setup.structure
    if levels is None:
        return structure.levels[1:]
    chosen = (levels,) if isinstance(levels, str) else tuple(levels)
    if not chosen:
        msg = _("levels= names no level; leave it out for every level above the indicators")
        raise ScoringError(msg)
    ordered = dict.fromkeys(structure.check_level(str(level)) for level in chosen)
    return tuple(level for level in structure.levels if level in ordered)


def seed_of(seed: int | None) -> int:
    """Return ``seed``, or a fresh one to report when none is given (so a run can be repeated)."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % 2**63)  # type: ignore[operator]  # entropy is an int here
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        msg = _("seed must be a whole number ≥ 0, not {value}").format(value=repr(seed))
        raise ScoringError(msg)
    return int(seed)


#: Rows of a draws table sorted at once when quantiles are taken (bounds the memory it borrows).
_BLOCK = 16384


def sorted_quantiles(values: Float32Array, qs: Sequence[float]) -> tuple[list[FloatArray], npt.NDArray[np.intp]]:
    """Return the quantiles ``qs`` of every row of ``values`` (one draw per column) and the counts.

    Missing values (NaN) are left out; quantiles are interpolated linearly (R's type 7, numpy's
    default). ``values`` is **sorted in place**, row by row, a block of rows at a time.
    """
    n_rows, n_draws = values.shape
    counts = np.empty(n_rows, dtype=np.intp)
    found = [np.empty(n_rows) for _ in qs]
    for start in range(0, n_rows, _BLOCK):
        block = values[start : start + _BLOCK]
        missing = np.isnan(block)
        present = n_draws - missing.sum(axis=1)
        block[missing] = np.inf  # sorted last, and faster to sort than NaN
        block.sort(axis=1)
        rows = np.arange(len(block))
        last = np.maximum(present - 1, 0)
        for q, out in zip(qs, found, strict=True):
            position = q * last
            below = np.floor(position).astype(np.intp)
            above = np.minimum(below + 1, last)
            low, high = block[rows, below].astype(float), block[rows, above].astype(float)
            with np.errstate(invalid="ignore"):  # inf - inf where no draw has a value: NaN, as it should
                value = low + (position - below) * (high - low)
            out[start : start + len(block)] = np.where(present > 0, value, np.nan)
        counts[start : start + len(block)] = present
    return found, counts


class _Collector:
    """Keeps every draw's scores and ranks laid out node-region-year × draw, and the rank shifts."""

    def __init__(self, setup: Setup, levels: Sequence[str], n: int) -> None:
        rows = setup.leaf_scores.shape[1]
        self.levels = tuple(levels)
        self.size = {level: rows * len(setup.structure.level_nodes(level)) for level in levels}
        self.scores = {level: np.empty((size, n), dtype=np.float32) for level, size in self.size.items()}
        self.ranks = {level: np.empty((size, n), dtype=np.float32) for level, size in self.size.items()}
        self.nominal = {level: setup.nominal_ranks(level).ravel() for level in levels}
        self.moved = {level: np.zeros(size) for level, size in self.size.items()}
        self.both = {level: np.zeros(size, dtype=np.intp) for level, size in self.size.items()}

    def __call__(self, part: slice, scores: Mapping[str, FloatArray], ranks: Mapping[str, Float32Array]) -> None:
        """Store one chunk of draws."""
        for level in self.levels:
            count = len(scores[level])
            ranked = ranks[level].reshape(count, -1)
            self.scores[level][:, part] = scores[level].reshape(count, -1).T
            self.ranks[level][:, part] = ranked.T
            shift = np.abs(ranked - self.nominal[level])
            valid = ~np.isnan(shift)
            self.moved[level] += np.where(valid, shift, 0.0).sum(axis=0)
            self.both[level] += valid.sum(axis=0)

    def kept(self, setup: Setup) -> tuple[dict[str, Float32Array], dict[str, Float32Array]]:
        """Return copies of the draws as (draws × region-years × nodes), before the summary sorts them."""
        rows = setup.leaf_scores.shape[1]

        def laid(values: Float32Array, level: str) -> Float32Array:
            nodes = len(setup.structure.level_nodes(level))
            return np.ascontiguousarray(values.T.reshape(-1, rows, nodes))

        return (
            {level: laid(values, level) for level, values in self.scores.items()},
            {level: laid(values, level) for level, values in self.ranks.items()},
        )


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Scores and ranks of many draws of the uncertain choices, summarised per region, year and node."""

    nominal: RollUp
    """The result the choices vary around."""
    factors: tuple[Factor, ...]
    """The uncertain inputs, in the order of :attr:`choices`'s columns."""
    choices: pd.DataFrame
    """One row per draw: ``draw`` and the choice each discrete factor took (weights: their mean ratio to nominal)."""
    summary: pd.DataFrame
    """Columns :data:`SUMMARY_COLUMNS`: nominal ``score`` and ``rank``, the draws' median and interval
    (``_p05``/``_p95`` by default, named after the quantiles of :attr:`interval`), ``rank_shift``
    (mean absolute rank change from nominal) and ``scored`` (draws that gave a score)."""
    interval: tuple[float, float]
    seed: int
    notes: tuple[str, ...] = ()
    scores: Mapping[str, Float32Array] | None = None
    """Every draw's scores per level (draws × region-years × nodes), when kept."""
    ranks: Mapping[str, Float32Array] | None = None

    @property
    def n(self) -> int:
        """The number of draws."""
        return len(self.choices)

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels analysed, bottom to top."""
        return tuple(dict.fromkeys(self.summary["level"]))

    @property
    def bounds(self) -> tuple[str, str]:
        """The suffixes of the interval's columns, e.g. ``p05`` and ``p95``."""
        return quantile_name(self.interval[0]), quantile_name(self.interval[1])

    def focus(self, node: str | None = None, year: int | None = None) -> tuple[str, int]:
        """Return the node (default: the first of the top level analysed) and year (default: its latest) shown."""
        node = node if node is not None else self.nominal.structure.level_nodes(self.levels[-1])[0]
        table = self.summary[self.summary["node"] == node]
        if table.empty:
            known = list(dict.fromkeys(self.summary["node"]))
            msg = _("node {node}{hint} is not among the nodes analysed ({nodes})").format(
                node=repr(node), hint=suggest(str(node), known), nodes=listing(known)
            )
            raise ScoringError(msg)
        return node, check_year(year, sorted(table["year"].unique()))

    def ranking(self, node: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Return one row per region for one node (default: the top one analysed) and year (default: the latest).

        Columns ``region, rank, rank_p05, rank_median, rank_p95, score, score_p05, score_median,
        score_p95, rank_shift`` (the interval's quantiles name the columns), best nominal rank
        first: the table that answers "how robust is this first place?".
        """
        node, year = self.focus(node, year)
        table = self.summary[(self.summary["node"] == node) & (self.summary["year"] == year)]
        table = table.sort_values(["rank", "region"], na_position="last")
        low, high = self.bounds
        columns = [
            "region",
            "rank",
            f"rank_{low}",
            "rank_median",
            f"rank_{high}",
            "score",
            f"score_{low}",
            "score_median",
            f"score_{high}",
            "rank_shift",
        ]
        return table[columns].reset_index(drop=True)

    def draws(self, level: str | None = None) -> pd.DataFrame:
        """Return every draw's scores and ranks on ``level`` (default: the top one analysed) as a tidy table.

        Columns ``draw, region, year, node, score, rank``; needs ``keep_draws=True``.
        """
        if self.scores is None or self.ranks is None:
            msg = _("the draws were not kept: run uncertainty(..., keep_draws=True) to get them")
            raise ScoringError(msg)
        structure = self.nominal.structure
        level = structure.check_level(level) if level is not None else self.levels[-1]
        if level not in self.scores:
            msg = _("level {level} was not among the levels analysed ({levels})").format(
                level=repr(level), levels=", ".join(self.scores)
            )
            raise ScoringError(msg)
        scores, ranks = self.scores[level], self.ranks[level]
        n_draws, n_rows, n_nodes = scores.shape
        units = self.nominal.units
        return pd.DataFrame(
            {
                "draw": np.repeat(np.arange(n_draws), n_rows * n_nodes),
                "region": np.tile(np.repeat(units["region"].to_numpy(), n_nodes), n_draws),
                "year": np.tile(np.repeat(units["year"].to_numpy(), n_nodes), n_draws),
                "node": np.tile(np.asarray(structure.level_nodes(level), dtype=object), n_draws * n_rows),
                "score": scores.ravel().astype(float),
                "rank": ranks.ravel().astype(float),
            }
        )

    def __repr__(self) -> str:
        """Summarise: draws, factors, the widest rank intervals of the top node in the latest year."""
        top = self.levels[-1]
        low, high = self.bounds
        lines = [
            (
                f"<UncertaintyResult {self.n} draws (seed {self.seed}), interval "
                f"{self.interval[0]:.0%}–{self.interval[1]:.0%}"
            ),
            "  factors: " + "; ".join(_describe(f) for f in self.factors),
        ]
        node = self.nominal.structure.level_nodes(top)[0]
        head = self.ranking(node).head(5)
        shown = ", ".join(
            f"{row['region']} {row['rank']:.0f} [{row[f'rank_{low}']:.0f}–{row[f'rank_{high}']:.0f}]"
            for _index, row in head.iterrows()
            if not np.isnan(row["rank"])
        )
        lines.append(f"  {node} ranks, nominal [interval]: {shown or 'none scored'}")
        if self.notes:
            lines.append(f"  {len(self.notes)} notes: see .notes")
        lines.append("  tables: .summary .ranking(node, year) .choices .draws(level)>")
        return "\n".join(lines)


def quantile_name(q: float) -> str:
    """Name a quantile for a column: 0.05 → ``p05``, 0.95 → ``p95``, 0.025 → ``p2.5``."""
    return f"p{q * 100:02g}"


def _describe(factor: Factor) -> str:
    if factor.kind == "weights":
        return f"{factor.name} ×{factor.columns}"
    return f"{factor.name} {{{', '.join(factor.choices[:4])}{', …' if len(factor.choices) > 4 else ''}}}"  # noqa: PLR2004


def node_level(structure: Structure, node: str | None) -> tuple[str, str]:
    """Return a node (default: the first of the top level) and its level, checked."""
    if node is None:
        top = structure.levels[-1]
        return structure.level_nodes(top)[0], top
    for level in structure.levels:
        if node in structure.level_nodes(level):
            return node, level
    known = [n for level in structure.levels[1:] for n in structure.level_nodes(level)]
    msg = _("unknown node {node}{hint}; the aggregates are {nodes}").format(
        node=repr(node), hint=suggest(str(node), known), nodes=listing(known)
    )
    raise ScoringError(msg)


def check_year(year: int | None, years: Sequence[int]) -> int:
    """Return ``year`` (default: the latest of ``years``), refusing one not scored."""
    if year is None:
        return int(years[-1])
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        msg = _("year must be a whole number (e.g. 2024), not {value}").format(value=repr(year))
        raise ScoringError(msg)
    if year not in years:
        msg = _("year {year} is not among the years scored ({years})").format(year=year, years=listing(years))
        raise ScoringError(msg)
    return int(year)


def _choices_table(setup: Setup, draws: Draws) -> pd.DataFrame:
    columns: dict[str, Any] = {"draw": np.arange(draws.size)}
    for factor in setup.factors:
        if factor.kind == "weights" and factor.level is not None:
            spec = next(s for s in setup.weight_specs if s.level == factor.level)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = draws.weights[factor.level] / np.where(spec.nominal > 0, spec.nominal, np.nan)
            columns[factor.name] = np.nanmean(ratio, axis=1) if np.isfinite(ratio).any() else np.nan
        else:
            columns[factor.name] = np.asarray(factor.choices, dtype=object)[draws.choices[factor.name]]
    return pd.DataFrame(columns)


def _summarise(setup: Setup, collected: _Collector, interval: tuple[float, float]) -> pd.DataFrame:
    """Return the summary table; sorts the collected draws in place."""
    structure = setup.structure
    units = setup.result.units
    low, high = quantile_name(interval[0]), quantile_name(interval[1])
    qs = (interval[0], 0.5, interval[1])
    frames = []
    for level in collected.levels:
        nodes = structure.level_nodes(level)
        (score_low, score_median, score_high), counts = sorted_quantiles(collected.scores[level], qs)
        (rank_low, rank_median, rank_high), _counts = sorted_quantiles(collected.ranks[level], qs)
        both = collected.both[level]
        with np.errstate(divide="ignore", invalid="ignore"):
            rank_shift = np.where(both > 0, collected.moved[level] / both, np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "region": np.repeat(units["region"].to_numpy(), len(nodes)),
                    "year": np.repeat(units["year"].to_numpy(), len(nodes)),
                    "level": level,
                    "node": np.tile(np.asarray(nodes, dtype=object), len(units)),
                    "score": setup.result.levels[level].score.ravel(),
                    "rank": collected.nominal[level].astype(float),
                    f"score_{low}": score_low,
                    "score_median": score_median,
                    f"score_{high}": score_high,
                    f"rank_{low}": rank_low,
                    "rank_median": rank_median,
                    f"rank_{high}": rank_high,
                    "rank_shift": rank_shift,
                    "scored": counts,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _interval(interval: tuple[float, float]) -> tuple[float, float]:
    numbers = (
        isinstance(interval, tuple | list)
        and len(interval) == 2  # noqa: PLR2004 - a low and a high quantile
        and all(isinstance(q, int | float | np.integer | np.floating) and not isinstance(q, bool) for q in interval)
    )
    if not numbers or not 0 <= interval[0] < interval[1] <= 1:
        msg = _("interval must be two quantiles 0 ≤ low < high ≤ 1, e.g. (0.05, 0.95), not {value}").format(
            value=repr(interval)
        )
        raise ScoringError(msg)
    return float(interval[0]), float(interval[1])


def count_of_draws(n: int, what: str = "n") -> int:
    """Return ``n`` as an int, refusing anything but a whole number ≥ 1."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        msg = _("{what} must be a whole number of draws ≥ 1, not {value}").format(what=what, value=repr(n))
        raise ScoringError(msg)
    return int(n)


def uncertainty(  # noqa: PLR0913 - keyword-only options of the public API
    source: RollUp | Study,
    choices: Uncertainty | Mapping[str, Any] | None = None,
    *,
    n: int = 1000,
    seed: int | None = None,
    levels: Sequence[str] | str | None = None,
    interval: tuple[float, float] = (0.05, 0.95),
    keep_draws: bool = False,
    groups: Mapping[str, str] | None = None,
    max_gap: int | None = None,
    **declared_choices: Any,
) -> UncertaintyResult:
    """Score ``n`` random draws of the uncertain choices and summarise every score and rank.

    Parameters
    ----------
    source
        The nominal result: a :class:`~smartcity_model.RollUp` or a :class:`~smartcity_model.Study`
        (whose own imputation and treatment are then the nominal ones).
    choices
        An :class:`Uncertainty`, a mapping of its fields, or its fields as keywords
        (``weights=0.25, normalisation=["zscore"], exclude=True``…).
    n
        Number of draws; every choice is drawn uniformly and independently.
    seed
        Makes the draws reproducible; without one, a fresh seed is drawn and reported on the result.
    levels
        The levels summarised (default: every level above the indicators).
    interval
        The quantiles of the interval (default 5 % and 95 %).
    keep_draws
        Keep every draw's scores and ranks (:meth:`UncertaintyResult.draws`); they take draws ×
        region-years × nodes × 8 bytes (single-precision scores and ranks) once more.
    groups, max_gap
        For missing-data alternatives that need them (``group_mean``; ``locf``…).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> result = scm.roll_up(scm.load(scm.example_path()), missing="locf", count_imputed=True)
    >>> robust = scm.uncertainty(result, n=200, normalisation=["minmax", "zscore"], seed=1)
    >>> row = robust.summary.query("node == 'economy' and year == 2024").iloc[0]
    >>> bool(row["score_p05"] <= row["score"] <= row["score_p95"]), int(row["scored"])
    (True, 200)
    """
    spec = declared(choices, declared_choices)
    n = count_of_draws(n)
    seed = seed_of(seed)
    bounds = _interval(interval)
    if not isinstance(keep_draws, bool):
        msg = _("keep_draws must be True or False, not {value}").format(value=repr(keep_draws))
        raise ScoringError(msg)
    setup = prepare(source, spec, groups=groups, max_gap=max_gap)
    chosen = check_levels(setup, levels)
    notes = list(setup.notes)
    if not setup.factors:
        notes.append(_("nothing is declared uncertain: every draw is the nominal result"))
        warn(notes[-1])
    check_memory(setup, n, chosen, copies=4 if keep_draws else 2)
    columns = sum(f.columns for f in setup.factors)
    unit = np.random.default_rng(seed).random((n, columns))
    draws = draws_from_unit(unit, setup.factors, setup.weight_specs)
    collected = _Collector(setup, chosen, n)
    run_draws(setup, draws, chosen, collected)
    kept = collected.kept(setup) if keep_draws else None
    summary = _summarise(setup, collected, bounds)
    unscored = summary[(summary["scored"] < n) & summary["score"].notna()]
    if len(unscored):
        examples = listing(
            f"{row.node} {row.region} {row.year} ({row.scored}/{n})" for row in unscored.head(3).itertuples()
        )
        notes.append(
            n_(
                "{count} score of the nominal result is missing in some draws (too little coverage left): {examples}",
                "{count} scores of the nominal result are missing in some draws (too little coverage left): {examples}",
                len(unscored),
            ).format(count=len(unscored), examples=examples)
        )
        warn(notes[-1])
    gained = summary[summary["score"].isna() & (summary["scored"] > 0)]
    if len(gained):
        examples = listing(
            f"{row.node} {row.region} {row.year} ({row.scored}/{n})" for row in gained.head(3).itertuples()
        )
        notes.append(
            n_(
                "{count} node-region-year without a nominal score gets one in some draws (a choice that leaves out "
                "an indicator without data raises coverage) and is ranked in them: {examples}",
                "{count} node-region-years without a nominal score get one in some draws (a choice that leaves out "
                "an indicator without data raises coverage) and are ranked in them: {examples}",
                len(gained),
            ).format(count=len(gained), examples=examples)
        )
        warn(notes[-1])
    return UncertaintyResult(
        setup.result,
        setup.factors,
        _choices_table(setup, draws),
        summary,
        bounds,
        seed,
        tuple(notes),
        kept[0] if kept is not None else None,
        kept[1] if kept is not None else None,
    )


def one_at_a_time(  # noqa: PLR0913 - keyword-only options of the public API
    source: RollUp | Study,
    choices: Uncertainty | Mapping[str, Any] | None = None,
    *,
    node: str | None = None,
    year: int | None = None,
    by_region: bool = False,
    groups: Mapping[str, str] | None = None,
    max_gap: int | None = None,
    **declared_choices: Any,
) -> pd.DataFrame:
    """Change one discrete choice at a time (all else nominal) and say how far the ranking moves.

    With ``exclude=True`` this is the "remove one indicator" table; with aggregation
    alternatives, "switch one aggregation". Weights, being continuous, are left to
    :func:`uncertainty` and :func:`~smartcity_model.analysis.sensitivity`.

    Returns one row per factor and alternative: ``factor, choice, mean_rank_shift,
    max_rank_shift, regions_moved, regions_unscored`` for the ranking of ``node`` (default: the
    top node) in ``year`` (default: the latest), largest mean shift first; ``mean_rank_shift`` is
    the mean absolute rank change of the regions scored both ways. With ``by_region=True``:
    ``factor, choice, region, rank_nominal, rank, rank_change`` (``rank_nominal - rank``: above 0
    the region moves up, as in :func:`~smartcity_model.analysis.change`).
    """
    spec = declared(choices, declared_choices)
    setup = prepare(source, spec, groups=groups, max_gap=max_gap)
    structure = setup.structure
    node, level = node_level(structure, node)
    year = check_year(year, setup.years)
    discrete = [f for f in setup.factors if f.kind == "choice"]
    if not discrete:
        msg = _(
            "one_at_a_time needs a discrete choice to change (normalisation, aggregation, missing, treatment or "
            "exclude); weights are continuous: use uncertainty() or sensitivity()"
        )
        raise ScoringError(msg)
    continuous = [f.name for f in setup.factors if f.kind == "weights"]
    if continuous:
        warn(
            _("one_at_a_time keeps the weights nominal: {names} are left to uncertainty() and sensitivity()").format(
                names=", ".join(continuous)
            )
        )
    labels = [(f, index) for f in discrete for index in range(1, len(f.choices))]
    draws = nominal_draws(setup.factors, setup.weight_specs, len(labels))
    for row, (factor, index) in enumerate(labels):
        draws.choices[factor.name][row] = index
    rows = np.flatnonzero(setup.result.units["year"].to_numpy() == year)
    column = structure.level_nodes(level).index(node)
    ranks = evaluate(setup, draws, (level,))[1][level][:, rows, column].astype(float)
    nominal = setup.nominal_ranks(level)[rows, column].astype(float)
    shift = ranks - nominal[None]
    factors = [f.name for f, _index in labels]
    picked = [f.choices[index] for f, index in labels]
    if by_region:
        regions = setup.result.units["region"].to_numpy()[rows]
        return pd.DataFrame(
            {
                "factor": np.repeat(factors, len(regions)),
                "choice": np.repeat(picked, len(regions)),
                "region": np.tile(regions, len(labels)),
                "rank_nominal": np.tile(nominal, len(labels)),
                "rank": ranks.ravel(),
                "rank_change": -shift.ravel(),
            }
        )
    absolute = np.abs(shift)
    table = pd.DataFrame(
        {
            "factor": factors,
            "choice": picked,
            "mean_rank_shift": _mean_rows(absolute),
            "max_rank_shift": _max_rows(absolute),
            "regions_moved": (absolute > 0).sum(axis=1),
            "regions_unscored": (np.isnan(ranks) & ~np.isnan(nominal)[None]).sum(axis=1),
        }
    )
    return table.sort_values(["mean_rank_shift", "factor"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def _mean_rows(values: Float32Array) -> FloatArray:
    present = ~np.isnan(values)
    total = np.where(present, values, 0.0).sum(axis=1)
    count = present.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _max_rows(values: Float32Array) -> FloatArray:
    present = ~np.isnan(values)
    return np.where(present.any(axis=1), np.where(present, values, -np.inf).max(axis=1, initial=-np.inf), np.nan)
