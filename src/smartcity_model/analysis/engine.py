"""Many roll-ups at once: every draw of an uncertainty analysis scored on whole arrays.

The data alternatives (missing-data policy × treatment × normalisation) are few: each is
normalised once, up front. A draw then only picks one of them and its own weights and
aggregations, so a chunk of draws is aggregated level by level as stacked matrices (draws ×
region-years × nodes) — one batched matrix product per level and aggregation method, no Python
loop per draw.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from smartcity_model.analysis.choices import Draws, Factor, Uncertainty, WeightDraw, weight_draws
from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.scoring.aggregate import AGGREGATIONS, NonPositive, NonPositiveError, aggregate, check_method
from smartcity_model.scoring.impute import impute_panel
from smartcity_model.scoring.normalise import NormaliseSpec
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.recipe import Study
from smartcity_model.scoring.rollup import MISSING_POLICIES, RollUp, leaf_level, normalise_panel
from smartcity_model.scoring.structure import ScoringError, ScoringWarning, Structure, listing, warn
from smartcity_model.scoring.treat import TREATMENTS, TreatmentRule, treat_panel

__all__ = ["Setup", "Sink", "evaluate", "prepare", "rank_regions", "run_draws"]

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
#: Bytes a chunk of draws may take while it is aggregated (:data:`_TEMPORARIES` arrays of draws × rows × nodes).
CHUNK_BYTES = 256 * 2**20
_TEMPORARIES = 12
_GROUPED = {"group_mean", "group_median"}
_TEMPORAL = {"locf", "nocb", "linear"}


@dataclass(frozen=True, eq=False)
class Setup:
    """A result made ready for many draws: its factors, the normalised data alternatives, the settings."""

    result: RollUp
    structure: Structure
    factors: tuple[Factor, ...]
    weight_specs: tuple[WeightDraw, ...]
    leaf_scores: FloatArray
    """(data alternatives, region-years, indicators) normalised scores."""
    leaf_coverage: FloatArray
    leaf_imputed: FloatArray
    data_factors: tuple[tuple[str, int], ...]
    """The discrete factors that pick a data alternative, with their sizes, in ravel order."""
    aggregations: Mapping[str, tuple[str | None, tuple[str, ...]]]
    """Level → (the factor that chooses its method, or None; the method of each choice)."""
    power: float | None
    nonpositive: NonPositive
    min_coverage: float
    count_imputed: bool
    notes: tuple[str, ...] = ()
    _ranks: dict[str, Float32Array] = field(default_factory=dict, repr=False)

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions scored."""
        return self.result.panel.regions

    @property
    def years(self) -> tuple[int, ...]:
        """The years scored."""
        return self.result.panel.years

    def factor(self, name: str) -> Factor:
        """Return the factor called ``name``."""
        return next(f for f in self.factors if f.name == name)

    def nominal_ranks(self, level: str) -> Float32Array:
        """Return the nominal result's ranks on ``level`` (region-years × nodes), computed once."""
        if level not in self._ranks:
            scores = self.result.levels[level].score[None]
            self._ranks[level] = rank_regions(scores, len(self.regions), len(self.years))[0]
        return self._ranks[level]


def _options(result: RollUp) -> tuple[float | None, NonPositive, float, bool]:
    options = result.options
    power = options.get("power")
    nonpositive = options.get("nonpositive", "raise")
    coverage = options.get("min_coverage", 0.65)
    return (
        float(power) if isinstance(power, int | float) else None,
        "zero" if nonpositive == "zero" else "raise",
        float(coverage) if isinstance(coverage, int | float) else 0.65,
        bool(options.get("count_imputed", False)),
    )


@dataclass(frozen=True)
class _Source:
    """The panels a source gives: the one before treatment, its nominal missing policy and treatment."""

    result: RollUp
    before_treatment: Panel
    missing: str
    treatment: str
    rule: TreatmentRule
    treat_options: Mapping[str, Any]


def _source(source: RollUp | Study) -> _Source:
    if isinstance(source, Study):
        step = source.recipe.treat
        before = [stage for stage in source.stages if stage != "treated"][-1]
        missing: str = source.recipe.impute.method if source.recipe.impute is not None else "coverage"
        if step is None:
            return _Source(source.result, source.result.panel, missing, "none", TreatmentRule(), {})
        rule = TreatmentRule(step.winmax, step.skew, step.kurtosis)
        options = {"scope": step.scope, "methods": dict(step.methods)}
        return _Source(source.result, source.stages[before], missing, step.method, rule, options)
    if isinstance(source, RollUp):
        missing = str(source.options.get("missing", "coverage"))
        return _Source(source, source.panel, missing, "none", TreatmentRule(), {})
    msg = _("an uncertainty analysis needs a RollUp (from roll_up) or a Study (from Recipe.run), not {kind}").format(
        kind=type(source).__name__
    )
    raise ScoringError(msg)


def _alternatives(nominal: str, given: Sequence[str], known: Sequence[str], what: str) -> tuple[str, ...]:
    unknown = [name for name in given if name not in known]
    if unknown:
        named = listing(f"{name!r}{suggest(str(name), known)}" for name in unknown)
        msg = _("unknown {what}: {names}; use {known}").format(what=what, names=named, known=", ".join(known))
        raise ScoringError(msg)
    return tuple(dict.fromkeys([nominal, *given]))


def _unimputed(panel: Panel) -> Panel:
    """Return the panel with every imputed cell a gap again."""
    if not panel.imputed.any():
        return panel
    values = np.where(panel.imputed, np.nan, panel.matrix)
    return panel.with_values(values, np.zeros_like(panel.filled), ("",))


def _recorded(notes: list[str], label: str, work: Callable[[], Any]) -> Any:
    """Run ``work``, keeping the ScoringWarnings it issues as notes prefixed with ``label``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScoringWarning)
        value = work()
    for item in caught:
        if issubclass(item.category, ScoringWarning):
            notes.append(f"{label}: {item.message}")
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return value


@dataclass(frozen=True)
class _Fill:
    """How missing-data alternatives are imputed: the groups and the longest gap, where a method needs them."""

    groups: Mapping[str, str] | None
    max_gap: int | None

    @classmethod
    def checked(cls, groups: Mapping[str, str] | None, max_gap: int | None, alternatives: Sequence[str]) -> _Fill:
        """Return the options, refusing one that no alternative among ``alternatives`` uses."""
        for name, given, methods in (("groups", groups, _GROUPED), ("max_gap", max_gap, _TEMPORAL)):
            if given is not None and not methods & set(alternatives):
                msg = _("{name}= is used only by the missing-data alternatives {methods}, none of them chosen")
                raise ScoringError(msg.format(name=name, methods=", ".join(sorted(methods))))
        return cls(groups, max_gap)

    def impute(self, panel: Panel, policy: str) -> Panel:
        """Impute ``panel`` by ``policy``, passing only the options the method takes."""
        return impute_panel(
            panel,
            policy,
            groups=self.groups if policy in _GROUPED else None,
            max_gap=self.max_gap if policy in _TEMPORAL else None,
        )[0]


def _data_panels(
    base: _Source, choices: tuple[tuple[str, ...], tuple[str, ...]], fill: _Fill, notes: list[str]
) -> list[Panel]:
    """Return the panel of every (missing policy, treatment) pair, the nominal one as the source scored it."""
    missing, treatment = choices
    raw = _unimputed(base.before_treatment)
    panels: list[Panel] = []
    for policy in missing:
        if policy == base.missing:
            filled = base.before_treatment
        elif policy == "coverage":
            filled = raw
        else:
            filled = _recorded(notes, _("missing {policy}").format(policy=policy), partial(fill.impute, raw, policy))
        for method in treatment:
            if policy == base.missing and method == base.treatment:
                panels.append(base.result.panel)
            elif method == "none":
                panels.append(filled)
            else:
                work = partial(treat_panel, filled, method, rule=base.rule, **base.treat_options)
                treated: tuple[Panel, Any, Any] = _recorded(notes, _("treatment {method}").format(method=method), work)
                panels.append(treated[0])
    return panels


def _spec(given: str | NormaliseSpec, nominal: NormaliseSpec) -> NormaliseSpec:
    """Return an alternative normalisation: a name takes the nominal one's scope."""
    if isinstance(given, NormaliseSpec):
        return given
    return NormaliseSpec.of(given).model_copy(update={"scope": nominal.scope})


def _label(spec: NormaliseSpec, specs: Sequence[NormaliseSpec]) -> str:
    """Name a normalisation by its method, or fully when two alternatives share the method."""
    if sum(other.method == spec.method for other in specs) > 1:
        return spec.describe()
    return spec.method


def _aggregation_factors(
    structure: Structure, nominal: Mapping[str, str], declared: tuple[str, ...] | Mapping[str, tuple[str, ...]]
) -> tuple[list[Factor], dict[str, tuple[str | None, tuple[str, ...]]]]:
    upper = structure.levels[1:]
    per_level: dict[str, tuple[str | None, tuple[str, ...]]] = {level: (None, (nominal[level],)) for level in upper}
    factors: list[Factor] = []
    if isinstance(declared, Mapping):
        unknown = [level for level in declared if level not in upper]
        if unknown:
            named = listing(f"{level!r}{suggest(str(level), upper)}" for level in unknown)
            msg = _("aggregation given for unknown levels {levels}; the levels above the indicators are {upper}")
            msg = msg.format(levels=named, upper=", ".join(upper))
            raise ScoringError(msg)
        for level, methods in declared.items():
            choices = _alternatives(nominal[level], methods, AGGREGATIONS, _("aggregations"))
            if len(choices) > 1:
                name = f"aggregation ({level})"
                factors.append(Factor(name, "choice", level, choices, 1))
                per_level[level] = (name, choices)
    elif declared:
        nominal_label = "/".join(dict.fromkeys(nominal[level] for level in upper))
        known = (*AGGREGATIONS, nominal_label)
        alternatives = list(_alternatives(nominal_label, declared, known, _("aggregations"))[1:])
        if alternatives:
            name = "aggregation"
            factors.append(Factor(name, "choice", None, (nominal_label, *alternatives), 1))
            for level in upper:
                per_level[level] = (name, (nominal[level], *alternatives))
    return factors, per_level


def _exclusion(structure: Structure, spec: Uncertainty) -> list[Factor]:
    """Return the factor that leaves out one indicator at a time (or none), if declared."""
    if spec.exclude is False:
        return []
    counted = tuple(name for name in structure.indicators if name not in structure.excluded)
    candidates = counted if spec.exclude is True else tuple(dict.fromkeys(spec.exclude))
    unknown = [name for name in candidates if name not in structure.indicators]
    if unknown:
        named = listing(f"{n!r}{suggest(str(n), structure.indicators)}" for n in unknown)
        msg = _("exclude names indicators the structure does not have: {names}").format(names=named)
        raise ScoringError(msg)
    already = [name for name in candidates if name in structure.excluded]
    if already:
        msg = _("exclude names indicators that already count for nothing (weight 0): {names}").format(
            names=listing(repr(name) for name in already)
        )
        raise ScoringError(msg)
    return [Factor("exclude", "choice", structure.levels[0], ("none", *candidates), 1)]


def _alternative_options(
    result: RollUp, spec: Uncertainty, power: float | None, nonpositive: NonPositive
) -> tuple[float | None, NonPositive]:
    """Return the power and the handling of scores of 0 the alternatives use; the nominal ones cannot change."""
    used = set(result.aggregation.values())
    if spec.power is not None and spec.power != power:
        if "power" in used:
            msg = _("the result's own power mean has power={nominal}: an alternative cannot use power={given}").format(
                nominal=power, given=spec.power
            )
            raise ScoringError(msg)
        power = spec.power
    if spec.nonpositive is not None and spec.nonpositive != nonpositive:
        if used & {"geometric", "harmonic", "power"}:
            msg = _("the result's own means take nonpositive={nominal}: an alternative cannot take {given}").format(
                nominal=repr(nonpositive), given=repr(spec.nonpositive)
            )
            raise ScoringError(msg)
        nonpositive = spec.nonpositive
    return power, nonpositive


def prepare(
    source: RollUp | Study,
    spec: Uncertainty,
    *,
    groups: Mapping[str, str] | None = None,
    max_gap: int | None = None,
) -> Setup:
    """Check the declared choices against the result and normalise every data alternative once."""
    base = _source(source)
    result = base.result
    structure = result.structure
    power, nonpositive, min_coverage, count_imputed = _options(result)
    power, nonpositive = _alternative_options(result, spec, power, nonpositive)
    notes: list[str] = []
    specs = tuple(weight_draws(structure, spec))
    factors = [
        Factor(f"weights ({w.level})", "weights", w.level, structure.level_nodes(w.level), len(w.nominal))
        for w in specs
    ]
    policies = [m for m in MISSING_POLICIES if m != "raise"]
    missing = _alternatives(base.missing, spec.missing, policies, _("missing-data policies"))
    treatment = _alternatives(base.treatment, spec.treatment, TREATMENTS, _("treatments"))
    normalisations = tuple(
        dict.fromkeys([result.normalisation, *(_spec(s, result.normalisation) for s in spec.normalisation)])
    )
    data_factors = (
        ("missing", missing),
        ("treatment", treatment),
        ("normalisation", tuple(_label(s, normalisations) for s in normalisations)),
    )
    factors.extend(Factor(name, "choice", None, choices, 1) for name, choices in data_factors if len(choices) > 1)
    aggregation_factors, aggregations = _aggregation_factors(structure, result.aggregation, spec.aggregation)
    factors.extend(aggregation_factors)
    for method in {method for _factor, methods in aggregations.values() for method in methods}:
        check_method(method, power)
    factors.extend(_exclusion(structure, spec))
    fill = _Fill.checked(groups, max_gap, missing[1:])
    nominal_gap = result.options.get("max_gap")
    if max_gap is None and isinstance(nominal_gap, int):
        fill = _Fill(groups, nominal_gap)  # the result's own limit holds for its alternatives
    panels = _data_panels(base, (missing, treatment), fill, notes)
    leaves = []
    for panel in panels:
        for normalisation in normalisations:
            if panel is result.panel and normalisation == result.normalisation:
                leaves.append(result.levels[structure.levels[0]])
                continue
            scores, note = normalise_panel(panel, structure, normalisation)
            if note is not None:
                notes.append(note)
            leaves.append(leaf_level(scores, panel))
    for note in dict.fromkeys(notes):
        warn(_("in the uncertainty analysis, {note}").format(note=note))
    return Setup(
        result,
        structure,
        tuple(factors),
        specs,
        np.stack([leaf.score for leaf in leaves]),
        np.stack([leaf.coverage for leaf in leaves]),
        np.stack([leaf.imputed for leaf in leaves]),
        tuple((name, len(choices)) for name, choices in data_factors),
        aggregations,
        power,
        nonpositive,
        min_coverage,
        count_imputed,
        tuple(dict.fromkeys(notes)),
    )


def _data_choice(setup: Setup, draws: Draws) -> IntArray:
    """Return the index of the data alternative (missing × treatment × normalisation) of each draw."""
    indices = [draws.choices.get(name, np.zeros(draws.size, dtype=np.intp)) for name, _size in setup.data_factors]
    sizes = [size for _name, size in setup.data_factors]
    return np.ravel_multi_index(tuple(indices), tuple(sizes)).astype(np.intp)


def _excluded(setup: Setup, draws: Draws) -> BoolArray | None:
    """Return which indicators each draw leaves out (draws × indicators), or None when none does."""
    if "exclude" not in draws.choices:
        return None
    factor = setup.factor("exclude")
    position = np.array([setup.structure.indicators.index(name) for name in factor.choices[1:]], dtype=np.intp)
    picked = draws.choices["exclude"]
    dropped = np.zeros((draws.size, len(setup.structure.indicators)), dtype=bool)
    rows = np.flatnonzero(picked > 0)
    dropped[rows, position[picked[rows] - 1]] = True
    return dropped


@dataclass(frozen=True)
class _Weights:
    """One level's weights for a chunk of draws: to aggregate with, to reckon coverage with, and who is left out."""

    membership: FloatArray
    """(draws × children × parents): each draw's weights."""
    coverage: FloatArray
    """The nominal weights, with the children each draw leaves out at 0."""
    dropped: BoolArray | None
    """The parents each draw leaves out in turn (for the level above), or None."""

    def take(self, rows: IntArray) -> tuple[FloatArray, FloatArray]:
        """Return the weights of the draws ``rows``."""
        return self.membership[rows], self.coverage[rows]


def _membership(setup: Setup, lower: str, draws: Draws, dropped: BoolArray | None) -> _Weights:
    """Return each draw's weight matrices below ``lower``'s parents (draws × children × parents).

    ``dropped`` says which children each draw leaves out (weight 0). A parent all of whose
    weighted children are left out is left out in turn (returned for the level above), as a
    structure with those weights at 0 would have it; a parent nothing measures stays as it is.
    Drawn weights change the scores, not the coverage: it is reckoned with the nominal weights.
    """
    base, _parents = setup.structure.membership(lower)
    weights = draws.weights.get(lower)
    nominal = np.broadcast_to(base, (draws.size, *base.shape))
    if weights is None and dropped is None:
        return _Weights(nominal, nominal, None)
    parent = setup.structure.parent_index(lower)
    rows = np.arange(len(parent))
    coverage, parents_dropped = nominal, None
    if dropped is not None:
        coverage = np.where(dropped[:, :, None], 0.0, nominal)
        weighted = base > 0
        kept = (~dropped).astype(float) @ weighted.astype(float) > 0
        parents_dropped = weighted.any(axis=0) & ~kept
    if weights is None:
        return _Weights(coverage, coverage, parents_dropped)
    child = weights if dropped is None else np.where(dropped, 0.0, weights)
    matrix = np.zeros((draws.size, *base.shape))
    matrix[:, rows, parent] = child
    return _Weights(matrix, coverage, parents_dropped)


def check_memory(setup: Setup, runs: int, levels: Sequence[str], copies: int = 2) -> None:
    """Refuse, before starting, draws whose kept scores and ranks would not fit in this machine's memory."""
    rows = setup.leaf_scores.shape[1]
    needed = runs * rows * sum(len(setup.structure.level_nodes(level)) for level in levels) * 4 * copies
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not a POSIX system: nothing to compare with
        return
    if needed > 0.8 * physical:
        msg = _(
            "{runs} runs over {levels} would keep about {needed:.1f} GB of scores and ranks, more than this "
            "machine's {physical:.1f} GB: use fewer draws, or fewer levels (levels=)"
        ).format(runs=runs, levels=", ".join(levels), needed=needed / 2**30, physical=physical / 2**30)
        raise ScoringError(msg)


def _chunk(setup: Setup) -> int:
    """Return how many draws to aggregate at once: their arrays of draws × rows × nodes fit in :data:`CHUNK_BYTES`."""
    rows = setup.leaf_scores.shape[1]
    widest = max(len(setup.structure.level_nodes(level)) for level in setup.structure.levels[1:])
    return max(1, CHUNK_BYTES // max(1, int(rows) * widest * 8 * _TEMPORARIES))


def _aggregate(  # noqa: PLR0913 - the arrays and options of one level
    setup: Setup,
    step: tuple[str, str],
    arrays: tuple[FloatArray, ...],
    weights: tuple[FloatArray, FloatArray],
    method: str,
    *,
    parents: int | None = None,
) -> tuple[FloatArray, ...]:
    """Aggregate one level with (weights, coverage weights); ``parents``: per draw, when draws lie side by side."""
    score, coverage, imputed = arrays
    membership, reckoned = weights
    try:
        level = aggregate(
            score,
            coverage,
            membership,
            method,
            setup.min_coverage,
            imputed=imputed,
            power=setup.power,
            nonpositive=setup.nonpositive,
            count_imputed=setup.count_imputed,
            coverage_weights=reckoned,
        )
    except NonPositiveError as error:
        cells = error.cells.copy()
        if parents is not None and len(cells):
            cells[:, 2] %= parents  # a column of the draws side by side → its parent
        raise _nonpositive(setup, step, NonPositiveError(error.method, cells)) from None
    return level.score, level.coverage, level.imputed


def _first_level(setup: Setup, chunk: Draws, data: IntArray) -> tuple[Any, ...]:
    """Aggregate the indicators of a chunk of draws: one matrix product per data alternative and method.

    Draws that share a data alternative share its (rows × indicators) scores: their weight
    matrices are laid side by side (indicators × draws·parents) so a single product serves them all.
    """
    lower, upper = setup.structure.levels[:2]
    weights = _membership(setup, lower, chunk, _excluded(setup, chunk))
    _draws, n_children, n_parents = weights.membership.shape
    rows = setup.leaf_scores.shape[1]
    name, methods = setup.aggregations[upper]
    method_of = chunk.choices.get(name, np.zeros(chunk.size, dtype=np.intp)) if name else np.zeros(chunk.size, np.intp)
    out = tuple(np.empty((chunk.size, rows, n_parents)) for _ in range(3))
    for alternative in np.unique(data):
        for index, method in enumerate(methods):
            sel = np.flatnonzero((data == alternative) & (method_of == index))
            if not len(sel):
                continue
            membership, coverage = (
                matrix.transpose(1, 0, 2).reshape(n_children, len(sel) * n_parents) for matrix in weights.take(sel)
            )
            arrays = (setup.leaf_scores[alternative], setup.leaf_coverage[alternative], setup.leaf_imputed[alternative])
            found = _aggregate(setup, (lower, upper), arrays, (membership, coverage), method, parents=n_parents)
            for target, values in zip(out, found, strict=True):
                target[sel] = values.reshape(rows, len(sel), n_parents).transpose(1, 0, 2)
    return (*out, weights.dropped)


#: Receives each chunk of draws: its slice, and the scores (float64) and ranks of the levels asked for.
Sink = Callable[[slice, Mapping[str, FloatArray], Mapping[str, Float32Array]], None]


def run_draws(setup: Setup, draws: Draws, levels: Sequence[str], sink: Sink, *, ranked: bool = True) -> None:
    """Score every draw, a chunk at a time, handing each chunk's scores (and ranks) of ``levels`` to ``sink``."""
    structure = setup.structure
    rows = setup.leaf_scores.shape[1]
    n_regions, n_years = len(setup.regions), len(setup.years)
    data = _data_choice(setup, draws)
    step = _chunk(setup)
    for start in range(0, draws.size, step):
        part = slice(start, min(start + step, draws.size))
        chunk = draws.take(part)
        *arrays, dropped = _first_level(setup, chunk, data[part])
        found_levels = {structure.levels[1]: arrays[0]}
        if structure.levels[0] in levels:
            found_levels[structure.levels[0]] = setup.leaf_scores[data[part]]
        for lower, upper in itertools.pairwise(structure.levels[1:]):
            weights = _membership(setup, lower, chunk, dropped)
            dropped = weights.dropped
            name, methods = setup.aggregations[upper]
            method_of = chunk.choices.get(name, np.zeros(chunk.size, dtype=np.intp)) if name else None
            found = [np.empty((chunk.size, rows, weights.membership.shape[-1])) for _ in range(3)]
            for index, method in enumerate(methods):
                sel = np.flatnonzero(method_of == index) if method_of is not None else np.arange(chunk.size)
                if not len(sel):
                    continue
                values = _aggregate(setup, (lower, upper), tuple(a[sel] for a in arrays), weights.take(sel), method)
                for target, value in zip(found, values, strict=True):
                    target[sel] = value
            arrays = found
            found_levels[upper] = arrays[0]
        scores = {level: found_levels[level] for level in levels}
        ranks = {level: rank_regions(values, n_regions, n_years) for level, values in scores.items()} if ranked else {}
        sink(part, scores, ranks)


def evaluate(
    setup: Setup, draws: Draws, levels: Sequence[str], *, exact: bool = False
) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Float32Array]]:
    """Score every draw; return the scores and ranks of ``levels``, each (draws × region-years × nodes).

    Both are single precision: ranks are whole numbers, and scores keep seven significant digits,
    far finer than the spread of any interval drawn. ``exact`` keeps the scores in double
    precision and skips the ranks (for an optimiser).
    """
    check_memory(setup, draws.size, levels)  # float64 scores, or float32 scores and ranks: 8 bytes a cell
    rows = setup.leaf_scores.shape[1]
    dtype = np.float64 if exact else np.float32
    out = {
        level: np.empty((draws.size, rows, len(setup.structure.level_nodes(level))), dtype=dtype) for level in levels
    }
    ranks = {} if exact else {level: np.empty(values.shape, dtype=np.float32) for level, values in out.items()}

    def keep(part: slice, scores: Mapping[str, FloatArray], ranked: Mapping[str, Float32Array]) -> None:
        for level, score in scores.items():
            out[level][part] = score
        for level, rank in ranked.items():
            ranks[level][part] = rank

    run_draws(setup, draws, levels, keep, ranked=not exact)
    return out, ranks


def _nonpositive(setup: Setup, step: tuple[str, str], error: NonPositiveError) -> ScoringError:
    lower, upper = step
    regions, years = setup.result.panel.unit_region(), setup.result.panel.unit_year()
    children, parents = setup.structure.level_nodes(lower), setup.structure.level_nodes(upper)
    row, child, parent = error.cells[0]
    msg = _(
        "the {method} mean among the choices needs scores above 0, but {lower} {child} scores 0 or less under "
        "{upper} {parent} in region {region}, {year} (in {n} cells); normalise to a range above 0 "
        "(e.g. NormaliseSpec(method='minmax', range=(1, 100))) or let such scores sink the mean with "
        "nonpositive='zero'"
    ).format(
        method=error.method,
        lower=lower,
        child=repr(children[child]),
        upper=upper,
        parent=repr(parents[parent]),
        region=repr(regions[row]),
        year=years[row],
        n=len(error.cells),
    )
    return ScoringError(msg)


def rank_regions(scores: npt.NDArray[np.floating[Any]], n_regions: int, n_years: int) -> Float32Array:
    """Rank regions within each draw, year and node (1 = best score, ties share the best rank; no score, NaN).

    ``scores`` is (draws × region-years × nodes) with region-years region-major, as a panel's rows.
    """
    draws, _rows, nodes = scores.shape
    grid = scores.reshape(draws, n_regions, n_years, nodes).transpose(0, 2, 3, 1).reshape(-1, n_regions)
    missing = np.isnan(grid)
    order = np.argsort(np.where(missing, np.inf, -grid), axis=1)  # no score last; sorting NaN is slower
    ordered = np.take_along_axis(grid, order, axis=1)
    place = np.broadcast_to(np.arange(1, n_regions + 1, dtype=np.float32), grid.shape)
    tied = ordered[:, 1:] == ordered[:, :-1]
    tied_rows = np.flatnonzero(tied.any(axis=1))
    if len(tied_rows):
        # Tied scores share the place of the first of them.
        place = place.copy()
        starts = np.ones((len(tied_rows), n_regions), dtype=bool)
        starts[:, 1:] = ~tied[tied_rows]
        first = np.maximum.accumulate(np.where(starts, np.arange(n_regions), 0), axis=1)
        place[tied_rows] = first + 1
    ranked = np.empty(grid.shape, dtype=np.float32)
    np.put_along_axis(ranked, order, place, axis=1)
    ranked[missing] = np.nan
    return ranked.reshape(draws, n_years, nodes, n_regions).transpose(0, 3, 1, 2).reshape(draws, -1, nodes)
