"""Variance-based sensitivity: which uncertain choice moves the ranking, alone and with the others.

For an output ``Y`` (the mean absolute rank shift of a node, or one region's rank) and each
uncertain factor ``Xᵢ`` (a level's weights, the normalisation, an aggregation, …):

- the **first-order** index ``Sᵢ = V[E(Y | Xᵢ)] / V(Y)`` is the share of the variance of ``Y``
  that ``Xᵢ`` explains alone;
- the **total** index ``STᵢ = E[V(Y | X₋ᵢ)] / V(Y)`` adds every interaction it takes part in;
  ``STᵢ ≈ 0`` means the choice does not matter.

They are estimated on Saltelli's design (a Sobol sequence, ``n × (k + 2)`` runs for ``k``
factors) with Saltelli's (2010) first-order and Jansen's total estimators, and confidence
intervals from bootstrap resamples, by SALib (the ``sensitivity`` extra:
``pip install "smartcity-model[sensitivity]"``). :func:`sobol_sample` and :func:`sobol_indices`
serve any model; :func:`sensitivity` runs a study's choices through them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.analysis.choices import Uncertainty, draws_from_unit
from smartcity_model.analysis.engine import Setup, check_memory, evaluate, prepare
from smartcity_model.analysis.uncertainty import check_year, declared, node_level, seed_of
from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_
from smartcity_model.scoring.recipe import Study
from smartcity_model.scoring.rollup import RollUp
from smartcity_model.scoring.structure import ScoringError, listing, warn

__all__ = ["INDEX_COLUMNS", "SensitivityResult", "sensitivity", "sobol_indices", "sobol_sample"]

FloatArray = npt.NDArray[np.float64]
#: Columns of :func:`sobol_indices` (and :attr:`SensitivityResult.indices`, after ``output, region``).
INDEX_COLUMNS: tuple[str, ...] = (
    "factor",
    "first_order",
    "first_order_low",
    "first_order_high",
    "total",
    "total_low",
    "total_high",
)
_MEAN_SHIFT = "mean_rank_shift"
#: The name of a group that moves nothing, added where SALib would misread a single group.
_UNUSED = "(unused)"


def _salib(module: str) -> Any:
    """Import a SALib module, or say how to install it."""
    try:
        return import_module(f"SALib.{module}")
    except ImportError:
        msg = _(
            'variance-based sensitivity needs SALib: pip install "smartcity-model[sensitivity]" '
            "(uncertainty() and one_at_a_time() work without it)"
        )
        raise ScoringError(msg) from None


def _names(factors: int | Sequence[str]) -> list[str]:
    if isinstance(factors, int) and not isinstance(factors, bool):
        if factors < 1:
            msg = _("a sensitivity analysis needs at least one factor, not {n}").format(n=factors)
            raise ScoringError(msg)
        return [f"x{i + 1}" for i in range(factors)]
    names = [str(name) for name in factors] if not isinstance(factors, int) else []
    if not names or len(set(names)) != len(names):
        msg = _("factor names must be given and differ: {names}").format(names=names)
        raise ScoringError(msg)
    return names


def _problem(names: Sequence[str], groups: Sequence[str] | None) -> dict[str, Any]:
    problem: dict[str, Any] = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if groups is not None:
        if len(groups) != len(names):
            msg = _("groups must name one group per column: {n} columns, {m} groups").format(
                n=len(names), m=len(groups)
            )
            raise ScoringError(msg)
        problem["groups"] = list(groups)
    return problem


def _base_size(n: int) -> int:
    """Return ``n`` if it is a power of two, else the next one, saying so (Sobol sequences need it)."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:  # noqa: PLR2004 - a sample of two at least
        msg = _("n must be a whole number ≥ 2 (a power of two, e.g. 256), not {value}").format(value=repr(n))
        raise ScoringError(msg)
    power = 1 << (int(n) - 1).bit_length()
    if power != n:
        warn(_("n={n} is not a power of two, which a Sobol sequence needs: {power} is used").format(n=n, power=power))
    return power


def sobol_sample(
    factors: int | Sequence[str], n: int, *, seed: int | None = None, groups: Sequence[str] | None = None
) -> FloatArray:
    """Return Saltelli's design on the unit hypercube: ``n × (k + 2)`` rows, one column per factor.

    ``k`` is the number of factors, or of ``groups`` when columns are grouped (a group moves as
    one factor, e.g. all the weights of one level). ``n`` should be a power of two. Scale the
    columns to each factor's range before running the model.

    Examples
    --------
    >>> sobol_sample(3, 8, seed=1).shape
    (40, 3)
    """
    names = _names(factors)
    size = _base_size(n)
    _problem(names, groups)  # checks the groups
    if _one_group(names, groups):
        # SALib reads a single group as no grouping: design two groups, the second unused, and
        # keep the rows of the first (A, AB, B of every base point).
        problem = _problem([*names, _UNUSED], [*(groups or ()), _UNUSED])
        sample = np.asarray(
            _salib("sample.sobol").sample(problem, size, calc_second_order=False, scramble=True, seed=seed), float
        )
        return sample.reshape(size, 4, len(names) + 1)[:, [0, 1, 3], : len(names)].reshape(-1, len(names))
    sample = _salib("sample.sobol").sample(
        _problem(names, groups), size, calc_second_order=False, scramble=True, seed=seed
    )
    return np.asarray(sample, dtype=float)


def _one_group(names: Sequence[str], groups: Sequence[str] | None) -> bool:
    """Say whether several columns form one group (which SALib would read as no grouping)."""
    return groups is not None and len(names) > 1 and len(set(groups)) == 1


def sobol_indices(  # noqa: PLR0913 - keyword-only options of the estimators
    outputs: npt.ArrayLike,
    factors: int | Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int | None = None,
) -> pd.DataFrame:
    """Return first-order and total indices of the model ``outputs`` of a :func:`sobol_sample` design.

    Columns :data:`INDEX_COLUMNS`: each index with the bounds of its ``confidence`` interval
    (bootstrap with ``resamples`` resamples). An output that does not vary gives indices of 0.

    Examples
    --------
    >>> x = sobol_sample(["a", "b"], 256, seed=1)
    >>> table = sobol_indices(x[:, 0] + 0.1 * x[:, 1], ["a", "b"], seed=1)
    >>> table["factor"].tolist(), bool(table["first_order"].iloc[0] > 0.9)
    (['a', 'b'], True)
    """
    names = _names(factors)
    problem = _problem(names, groups)
    labels = list(dict.fromkeys(groups)) if groups is not None else names
    given = np.asarray(outputs, dtype=float)
    if given.ndim != 1:
        msg = _("outputs must be one number per run of the design (a flat array), not an array of shape {shape}")
        raise ScoringError(msg.format(shape=given.shape))
    values = given
    if len(values) % (len(labels) + 2):
        msg = _("{n} outputs do not come from a design of {k} factors (a multiple of {k} + 2 rows)").format(
            n=len(values), k=len(labels)
        )
        raise ScoringError(msg)
    if not np.isfinite(values).all():
        msg = n_(
            "{n} output is missing or not finite; every run of the design needs one",
            "{n} outputs are missing or not finite; every run of the design needs one",
            int((~np.isfinite(values)).sum()),
        ).format(n=int((~np.isfinite(values)).sum()))
        raise ScoringError(msg)
    _check_estimators(resamples, confidence)
    if np.ptp(values) == 0:
        zeros = np.zeros(len(labels))
        return pd.DataFrame(dict(zip(INDEX_COLUMNS, [labels, *([zeros] * 6)], strict=True)))
    if _one_group(names, groups):
        # As in sobol_sample: the unused second group's runs equal A's (it moves nothing).
        blocks = values.reshape(-1, 3)
        values = np.column_stack([blocks[:, :2], blocks[:, :1], blocks[:, 2:]]).ravel()
        problem = _problem([*names, _UNUSED], [*(groups or ()), _UNUSED])
    found = _salib("analyze.sobol").analyze(
        problem, values, calc_second_order=False, num_resamples=int(resamples), conf_level=confidence, seed=seed
    )
    count = len(labels)
    first, first_conf = np.asarray(found["S1"], float)[:count], np.asarray(found["S1_conf"], float)[:count]
    total, total_conf = np.asarray(found["ST"], float)[:count], np.asarray(found["ST_conf"], float)[:count]
    return pd.DataFrame(
        {
            "factor": labels,
            "first_order": first,
            "first_order_low": first - first_conf,
            "first_order_high": first + first_conf,
            "total": total,
            "total_low": total - total_conf,
            "total_high": total + total_conf,
        }
    )


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Sensitivity indices of the uncertain choices for the mean rank shift and chosen regions' ranks."""

    indices: pd.DataFrame
    """``output, region`` (``mean_rank_shift`` with no region, or ``rank`` of a region) then :data:`INDEX_COLUMNS`."""
    outputs: pd.DataFrame
    """One row per run: ``run``, ``mean_rank_shift`` and ``rank <region>`` for each region asked for."""
    node: str
    year: int
    n: int
    """Base sample size; the runs are ``n × (factors + 2)``."""
    seed: int
    confidence: float = 0.95
    """The level of the intervals."""
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        """Show the indices of the mean rank shift, most influential factor first."""
        shift = self.indices[self.indices["output"] == _MEAN_SHIFT].sort_values("total", ascending=False)
        lines = [
            f"<SensitivityResult {self.node} {self.year}: {len(self.outputs)} runs (n={self.n}, seed {self.seed})",
            f"  mean rank shift — factor: first order [{self.confidence:.0%} interval], total [interval]",
        ]
        lines.extend(
            f"  {row.factor}: {row.first_order:.3f} [{row.first_order_low:.3f}, {row.first_order_high:.3f}], "
            f"{row.total:.3f} [{row.total_low:.3f}, {row.total_high:.3f}]"
            for row in shift.itertuples()
        )
        if self.notes:
            lines.append(f"  {len(self.notes)} note(s): see .notes")
        lines.append("  tables: .indices .outputs>")
        return "\n".join(lines)


def _regions(setup: Setup, regions: Sequence[str] | str) -> list[str]:
    chosen = [regions] if isinstance(regions, str) else list(regions)
    unknown = [r for r in chosen if r not in setup.regions]
    if unknown:
        named = listing(f"{r!r}{suggest(str(r), setup.regions)}" for r in unknown)
        msg = _("unknown regions {names}").format(names=named)
        raise ScoringError(msg)
    return list(dict.fromkeys(chosen))


def _check_estimators(resamples: int, confidence: float) -> None:
    """Refuse a number of bootstrap resamples or a confidence level the estimators cannot use."""
    if isinstance(resamples, bool) or not isinstance(resamples, int | np.integer) or resamples < 1:
        msg = _("resamples must be a whole number ≥ 1 (e.g. 1000), not {value}").format(value=repr(resamples))
        raise ScoringError(msg)
    number = isinstance(confidence, int | float | np.floating) and not isinstance(confidence, bool)
    if not number or not 0 < confidence < 1:
        msg = _("confidence must lie between 0 and 1, not {value}").format(value=repr(confidence))
        raise ScoringError(msg)


def _check_ranked(nominal: FloatArray, regions: npt.NDArray[Any], chosen: Sequence[str], at: tuple[str, int]) -> None:
    """Refuse a node, or regions, without a rank in the result itself: there is nothing to analyse."""
    node, year = at
    if np.isnan(nominal).all():
        msg = _("no {node} score in {year} in the result itself, so no ranking to analyse").format(node=node, year=year)
        raise ScoringError(msg)
    unranked = [region for region in chosen if np.isnan(nominal[regions == region]).all()]
    if unranked:
        msg = _("{regions}: no {node} score in {year} in the result itself, so no rank to analyse").format(
            regions=listing(repr(region) for region in unranked), node=node, year=year
        )
        raise ScoringError(msg)


def sensitivity(  # noqa: PLR0913 - keyword-only options of the public API
    source: RollUp | Study,
    choices: Uncertainty | Mapping[str, Any] | None = None,
    *,
    n: int = 256,
    seed: int | None = None,
    node: str | None = None,
    year: int | None = None,
    regions: Sequence[str] | str = (),
    resamples: int = 1000,
    confidence: float = 0.95,
    groups: Mapping[str, str] | None = None,
    max_gap: int | None = None,
    **declared_choices: Any,
) -> SensitivityResult:
    """Estimate how much each uncertain choice drives the ranking of ``node`` in ``year``.

    Each factor of the declared choices (a level's weights move together as one factor) gets
    first-order and total indices for the mean absolute rank shift from the nominal ranking,
    and for the rank of every region in ``regions``. ``n`` (a power of two) base runs make
    ``n × (factors + 2)`` roll-ups, all scored at once. ``node`` defaults to the top node and
    ``year`` to the latest.
    """
    spec = declared(choices, declared_choices)
    seed = seed_of(seed)
    size = _base_size(n)
    _check_estimators(resamples, confidence)
    setup = prepare(source, spec, groups=groups, max_gap=max_gap)
    if not setup.factors:
        msg = _("nothing is declared uncertain: declare weights, normalisation, aggregation… to analyse")
        raise ScoringError(msg)
    node, level = node_level(setup.structure, node)
    year = check_year(year, setup.years)
    chosen = _regions(setup, regions)
    rows = np.flatnonzero(setup.result.units["year"].to_numpy() == year)
    column = setup.structure.level_nodes(level).index(node)
    nominal = setup.nominal_ranks(level)[rows, column].astype(float)
    regions_of_rows = setup.result.units["region"].to_numpy()[rows]
    _check_ranked(nominal, regions_of_rows, chosen, (node, year))
    columns = [f.name for f in setup.factors for _column in range(f.columns)]
    labels = [f"c{i}" for i in range(len(columns))]
    check_memory(setup, size * (len(dict.fromkeys(columns)) + 2), (level,))
    sample = sobol_sample(labels, size, seed=seed, groups=columns)
    draws = draws_from_unit(sample, setup.factors, setup.weight_specs)
    ranked = evaluate(setup, draws, (level,))[1][level][:, rows, column].astype(float)
    shift = np.abs(ranked - nominal[None])
    both = ~np.isnan(shift)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_shift = np.where(both, shift, 0.0).sum(axis=1) / both.sum(axis=1)
    outputs = {"run": np.arange(len(sample)), _MEAN_SHIFT: mean_shift}
    for region in chosen:
        outputs[f"rank {region}"] = ranked[:, int(np.flatnonzero(regions_of_rows == region)[0])]
    table = pd.DataFrame(outputs)
    gaps = [name for name in table.columns[1:] if table[name].isna().any()]
    if gaps:
        msg = _(
            "{names}: some runs leave {node} {year} without a score (too little coverage left), so the "
            "indices cannot be estimated; lower min_coverage or narrow the choices (e.g. exclude)"
        ).format(names=listing(gaps), node=node, year=year)
        raise ScoringError(msg)
    notes = list(setup.notes)
    partial = int((both.sum(axis=1) < (~np.isnan(nominal)).sum()).sum())
    if partial:
        notes.append(
            n_(
                "{n} run leaves some regions without a {node} score in {year}: its mean rank shift is over the others",
                "{n} runs leave some regions without a {node} score in {year}: their mean rank shift is over the "
                "others",
                partial,
            ).format(n=partial, node=node, year=year)
        )
        warn(notes[-1])
    frames = []
    for name in table.columns[1:]:
        found = sobol_indices(
            table[name].to_numpy(),
            labels,
            groups=columns,
            resamples=resamples,
            confidence=confidence,
            seed=seed,
        )
        found.insert(0, "region", None if name == _MEAN_SHIFT else name.removeprefix("rank "))
        found.insert(0, "output", _MEAN_SHIFT if name == _MEAN_SHIFT else "rank")
        frames.append(found)
    indices = pd.concat(frames, ignore_index=True)
    constant = [name for name in table.columns[1:] if np.ptp(table[name].to_numpy()) == 0]
    if constant:
        notes.append(_("{names} did not change in any run: every index is 0").format(names=listing(constant)))
    return SensitivityResult(indices, table, node, year, size, seed, confidence, tuple(notes))
