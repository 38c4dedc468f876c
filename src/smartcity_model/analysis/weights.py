"""Weights: what each indicator really weighs, noisy alternatives, and weights optimised for balance.

- :func:`effective_weights`: each indicator's share in every aggregate above it (the weights
  multiplied down the hierarchy, renormalised among siblings), the "real" weight a reader should
  see beside the nominal one.
- :func:`noisy_weights`: ``n`` random weight sets, each weight times a uniform draw in
  ``1 ± noise`` (COINr's ``get_noisy_weights``), for an analysis of one's own.
- :func:`optimise_weights`: the weights of one level chosen so that each node's correlation with
  the index matches its intended importance (COINr's ``get_opt_weights``, ``balance``), or so that
  the sum of the correlations is largest (``infomax``); the optimiser (scipy's Nelder–Mead, the
  ``optimise`` extra) and whether it converged are reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.analysis.audit import pairwise
from smartcity_model.analysis.choices import Draws, Uncertainty, weight_draws
from smartcity_model.analysis.engine import Setup, evaluate, prepare
from smartcity_model.analysis.uncertainty import check_year, count_of_draws, declared, node_level, seed_of
from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.scoring.recipe import Study
from smartcity_model.scoring.rollup import RollUp
from smartcity_model.scoring.structure import ScoringError, Structure, listing, warn

__all__ = ["OptimisedWeights", "effective_weights", "noisy_weights", "optimise_weights"]

FloatArray = npt.NDArray[np.float64]
Objective = Literal["balance", "infomax"]


def effective_weights(structure: Structure, level: str | None = None) -> pd.DataFrame:
    """Return each indicator's effective weight in every node of ``level`` (default: every level above).

    Columns ``level, node, indicator, weight``: the arithmetic means of the structure taken down
    the hierarchy, among the children that have an indicator beneath them (a node nothing
    measures can never be scored, so its share goes to its siblings, as in a roll-up). The
    weights of a node's indicators sum to 1; excluded indicators (weight 0) are left out.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> table = effective_weights(scm.Structure.from_plan(scm.load(scm.example_path())), "overall")
    >>> round(float(table["weight"].sum()), 9)
    1.0
    """
    levels = structure.levels[1:] if level is None else (structure.check_level(level),)
    reach: FloatArray = np.eye(len(structure.indicators))
    shares: dict[str, FloatArray] = {}
    for lower in structure.levels[:-1]:
        matrix, _parents = structure.membership(lower)
        measured = reach.sum(axis=0) > 0  # each node of ``lower`` has an indicator (of weight > 0) below it
        weighted = matrix * measured[:, None]
        totals = weighted.sum(axis=0)
        share = np.divide(weighted, totals, out=np.zeros_like(weighted), where=totals > 0)
        reach = reach @ share
        shares[structure.levels[structure.levels.index(lower) + 1]] = reach
    frames = []
    for chosen in levels:
        matrix = shares[chosen]
        rows, columns = np.nonzero(matrix)
        nodes = structure.level_nodes(chosen)
        frames.append(
            pd.DataFrame(
                {
                    "level": chosen,
                    "node": np.asarray(nodes, dtype=object)[columns],
                    "indicator": np.asarray(structure.indicators, dtype=object)[rows],
                    "weight": matrix[rows, columns],
                }
            ).sort_values(["node", "indicator"], kind="stable")
        )
    return pd.concat(frames, ignore_index=True)


def noisy_weights(
    structure: Structure, noise: float | Mapping[str, float], n: int, *, seed: int | None = None
) -> pd.DataFrame:
    """Return ``n`` random weight sets: every weight times a uniform draw in ``1 ± noise``.

    ``noise`` is one relative noise for every level below the top, or one per level name
    (``{"indicator": 0.25}``). Columns ``draw, level, node, weight`` (draw 0, 1, …), one row per
    draw and weighted node; the draws are reproducible with ``seed`` (the one used, drawn afresh
    when none is given, is in ``table.attrs["seed"]``).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> structure = scm.Structure.from_plan(scm.load(scm.example_path()))
    >>> table = noisy_weights(structure, 0.25, 3, seed=1)
    >>> sorted(table["draw"].unique().tolist())
    [0, 1, 2]
    """
    n = count_of_draws(n)
    spec = declared(None, {"weights": dict(noise) if isinstance(noise, Mapping) else noise})
    specs = weight_draws(structure, spec)
    seed = seed_of(seed)
    rng = np.random.default_rng(seed)
    frames = []
    for draw in specs:
        weights = draw.weights(rng.random((n, len(draw.nominal))))
        nodes = structure.level_nodes(draw.level)
        frames.append(
            pd.DataFrame(
                {
                    "draw": np.repeat(np.arange(n), len(nodes)),
                    "level": draw.level,
                    "node": np.tile(np.asarray(nodes, dtype=object), n),
                    "weight": weights.ravel(),
                }
            )
        )
    if not frames:
        msg = _("noise 0 leaves every weight as it is: give a noise above 0")
        raise ScoringError(msg)
    table = pd.concat(frames, ignore_index=True).sort_values(["draw", "level"], kind="stable").reset_index(drop=True)
    table.attrs["seed"] = seed
    return table


@dataclass(frozen=True, eq=False)
class OptimisedWeights:
    """Weights of one level optimised against an index, with how the optimiser fared."""

    weights: pd.DataFrame
    """``node, parent, nominal, weight, target, correlation_before, correlation_after``: weights sum
    to 1 within each parent; ``target`` is the intended share of correlation."""
    structure: Structure
    """The structure with the optimised weights (pass it to :func:`~smartcity_model.roll_up`)."""
    level: str
    against: str
    year: int
    objective: Objective
    converged: bool
    iterations: int
    evaluations: int
    message: str
    value_before: float
    value_after: float

    def __repr__(self) -> str:
        """Say what was optimised, whether it converged, and the weights."""
        state = "converged" if self.converged else "did NOT converge"
        lines = [
            (
                f"<OptimisedWeights {self.level} against {self.against} {self.year} ({self.objective}): {state} "
                f"after {self.iterations} iterations, objective {self.value_before:.4g} → {self.value_after:.4g}"
            ),
            *(
                f"  {row.node}: {row.nominal:.3f} → {row.weight:.3f} (r {row.correlation_before:.2f} → "
                f"{row.correlation_after:.2f})"
                for row in self.weights.itertuples()
            ),
            ">",
        ]
        return "\n".join(lines)


def _targets(nodes: tuple[str, ...], target: Mapping[str, float] | None, nominal: FloatArray) -> FloatArray:
    if target is None:
        return np.where(nominal > 0, 1.0, 0.0)
    unknown = [node for node in target if node not in nodes]
    if unknown:
        named = listing(f"{node!r}{suggest(str(node), nodes)}" for node in unknown)
        msg = _("target names nodes not on the level: {nodes}").format(nodes=named)
        raise ScoringError(msg)
    idle = [node for node, weight in zip(nodes, nominal.tolist(), strict=True) if node in target and weight <= 0]
    if idle:
        msg = _("target names nodes of weight 0, which the optimiser leaves at 0: {nodes}").format(
            nodes=listing(repr(node) for node in idle)
        )
        raise ScoringError(msg)
    values = np.array([float(target.get(node, 0.0)) for node in nodes])
    if not np.isfinite(values).all() or (values < 0).any() or not values.sum() > 0:
        msg = _("target importances must be finite numbers ≥ 0, not all 0")
        raise ScoringError(msg)
    return values


def _within_parents(weights: FloatArray, parents: npt.NDArray[np.object_]) -> FloatArray:
    """Return weights as shares of their parent's total (what an arithmetic mean uses)."""
    totals = pd.Series(weights).groupby(parents).transform("sum").to_numpy(dtype=float)
    shares: FloatArray = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    return shares


def _correlations(children: FloatArray, index: FloatArray) -> FloatArray:
    """Return the Pearson correlation of each column of ``children`` with ``index`` (pairwise-complete rows)."""
    return pairwise(children, index[:, None], "pearson")[0][:, 0]


def _levels(structure: Structure, level: str | None, against: str | None) -> tuple[str, str, str]:
    """Return the level optimised (default: below the top), and the node and level it is optimised against."""
    level = structure.check_level(level) if level is not None else structure.levels[-2]
    if level == structure.levels[-1]:
        msg = _("the top level has no weights to optimise; choose a level below it")
        raise ScoringError(msg)
    node, node_level_ = node_level(structure, against)
    if structure.levels.index(node_level_) <= structure.levels.index(level):
        msg = _("against= must be a node above level {level}, not {node}").format(level=level, node=repr(node))
        raise ScoringError(msg)
    return level, node, node_level_


class _Balance:
    """The objective of :func:`optimise_weights`: the level's nodes, their scores, the index re-aggregated."""

    def __init__(self, setup: Setup, level: str, against: tuple[str, str], year: int, objective: Objective) -> None:
        structure = setup.structure
        self.setup, self.level, self.objective = setup, level, objective
        self.against_level = against[1]
        self.column = structure.level_nodes(against[1]).index(against[0])
        self.rows = np.flatnonzero(setup.result.units["year"].to_numpy() == year)
        # Only the nodes beneath ``against`` weigh in it.
        self.below = structure.ancestor_index(level, against[1]) == self.column
        every = structure.level_nodes(level)
        self.level_weights = structure.nodes.set_index("node").loc[list(every), "weight"].to_numpy(dtype=float)
        self.nodes = tuple(node for node, keep in zip(every, self.below.tolist(), strict=True) if keep)
        self.nominal = self.level_weights[self.below]
        self.active = self.nominal > 0
        self.children = setup.result.levels[level].score[self.rows][:, self.below]
        self.goal = np.where(self.active, 1.0, 0.0)

    def index_of(self, weights: FloatArray) -> FloatArray:
        """Return the index re-aggregated with ``weights`` on the nodes beneath it, for the year's regions."""
        every = self.level_weights.copy()
        every[self.below] = weights
        draws = Draws({self.level: every[None]}, {}, 1)
        scores = evaluate(self.setup, draws, (self.against_level,), exact=True)[0][self.against_level]
        return np.asarray(scores[0, self.rows, self.column], dtype=float)

    def value(self, theta: FloatArray) -> float:
        """Return the objective at log-weights ``theta`` of the active nodes (inf where undefined)."""
        weights = np.zeros_like(self.nominal)
        weights[self.active] = np.exp(theta)
        found = _correlations(self.children, self.index_of(weights))[self.active]
        if np.isnan(found).any():
            return float("inf")
        if self.objective == "infomax":
            return -float(found.sum())
        share = found / found.sum() if found.sum() != 0 else found
        return float(((share - self.goal[self.active]) ** 2).sum())


def _check_options(tolerance: float, max_iterations: int) -> None:
    """Refuse a tolerance that is not a positive number, or a count of iterations that is not a whole number ≥ 1."""
    number = isinstance(tolerance, int | float | np.floating) and not isinstance(tolerance, bool)
    if not number or not np.isfinite(tolerance) or tolerance <= 0:
        msg = _("tolerance must be a number above 0 (e.g. 1e-6), not {value}").format(value=repr(tolerance))
        raise ScoringError(msg)
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, int | np.integer) or max_iterations < 1:
        msg = _("max_iterations must be a whole number ≥ 1, not {value}").format(value=repr(max_iterations))
        raise ScoringError(msg)


def optimise_weights(  # noqa: PLR0913 - keyword-only options of the optimiser
    source: RollUp | Study,
    level: str | None = None,
    *,
    against: str | None = None,
    year: int | None = None,
    target: Mapping[str, float] | None = None,
    objective: Objective = "balance",
    tolerance: float = 1e-6,
    max_iterations: int = 2000,
) -> OptimisedWeights:
    """Optimise the weights of ``level`` so each node's correlation with ``against`` matches ``target``.

    ``balance`` (COINr's default) minimises ``Σ (rᵢ / Σr − tᵢ / Σt)²`` over the nodes of ``level``
    (default: the one below the top), ``rᵢ`` each node's Pearson correlation with ``against``
    (default: the top node) across regions in ``year`` (default: the latest) and ``t`` the
    intended importance (default: equal). ``infomax`` maximises ``Σ rᵢ``. The scores are
    re-aggregated exactly as the source's roll-up for every trial; weights stay positive.
    Needs scipy (``pip install "smartcity-model[optimise]"``).
    """
    try:
        from scipy.optimize import minimize  # noqa: PLC0415 - optional dependency
    except ImportError:
        msg = _('optimising weights needs scipy: pip install "smartcity-model[optimise]"')
        raise ScoringError(msg) from None
    _check_options(tolerance, max_iterations)
    if objective not in {"balance", "infomax"}:
        msg = _("objective must be 'balance' or 'infomax', not {value}{hint}").format(
            value=repr(objective), hint=suggest(str(objective), ("balance", "infomax"))
        )
        raise ScoringError(msg)
    setup = prepare(source, Uncertainty())
    level, against, against_level = _levels(setup.structure, level, against)
    year = check_year(year, setup.years)
    problem = _Balance(setup, level, (against, against_level), year, objective)
    nodes, nominal, active = problem.nodes, problem.nominal, problem.active
    goal = _targets(nodes, target, nominal)
    goal = problem.goal = goal / goal.sum()
    structure, children, index_of = setup.structure, problem.children, problem.index_of
    start = np.log(nominal[active])
    before = problem.value(start)
    if not np.isfinite(before):
        msg = _("the correlations with {node} in {year} cannot be computed (too few regions with scores)").format(
            node=against, year=year
        )
        raise ScoringError(msg)
    found = minimize(
        problem.value,
        start,
        method="Nelder-Mead",
        options={"xatol": tolerance, "fatol": tolerance, "maxiter": max_iterations},
    )
    weights = np.zeros_like(nominal)
    weights[active] = np.exp(found.x)
    parents = structure.nodes.set_index("node").loc[list(nodes), "parent"].to_numpy(dtype=object)
    weights = _within_parents(weights, parents)
    table = pd.DataFrame(
        {
            "node": nodes,
            "parent": parents,
            "nominal": _within_parents(nominal, parents),
            "weight": weights,
            "target": goal,
            "correlation_before": _correlations(children, index_of(nominal)),
            "correlation_after": _correlations(children, index_of(weights)),
        }
    )
    if not found.success:
        warn(
            _(
                "the optimiser stopped before converging ({message}) after {n} iterations: the weights are its last "
                "trial; raise max_iterations or the tolerance"
            ).format(message=found.message, n=found.nit)
        )
    optimised = structure.nodes.copy()
    on_level = optimised["node"].isin(nodes)
    by_node = dict(zip(nodes, weights.tolist(), strict=True))
    optimised.loc[on_level, "weight"] = optimised.loc[on_level, "node"].map(by_node).to_numpy(dtype=float)
    return OptimisedWeights(
        table,
        Structure(structure.levels, optimised, structure.specs),
        level,
        against,
        year,
        objective,
        bool(found.success),
        int(found.nit),
        int(found.nfev),
        str(found.message),
        before,
        float(found.fun),
    )
