"""The uncertain choices of a study, and the draws that set them.

:class:`Uncertainty` declares what may change: weights (relative noise per level, or a range per
node), the normalisation among alternatives, the aggregation of each level among alternatives,
the missing-data policy, the outlier treatment, and leaving out one indicator at a time. Against
a result it becomes a list of *factors*, each a block of columns of the unit hypercube: a draw is
one point of it, mapped to one setting of every factor (the nominal setting is always the first
choice of every factor, and weights at their nominal values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.model.base import FrozenModel
from smartcity_model.scoring.aggregate import NonPositive
from smartcity_model.scoring.normalise import NormaliseSpec
from smartcity_model.scoring.structure import ScoringError, Structure, listing

__all__ = ["Draws", "Factor", "Uncertainty"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Noise = Annotated[float, Field(ge=0, le=1)]


class Uncertainty(FrozenModel):
    """The choices of a study that an uncertainty or sensitivity analysis lets vary.

    Every alternative is drawn with equal probability, the nominal choice (the result's own)
    included; a field left empty keeps its nominal choice.

    Examples
    --------
    >>> Uncertainty(weights=0.25, normalisation=["minmax", NormaliseSpec(method="zscore", sd=15)]).normalisation[0]
    'minmax'
    >>> Uncertainty(aggregation=["geometric"]).aggregation
    ('geometric',)
    """

    weights: Noise | dict[str, Noise] = 0.0
    """Relative weight noise: each weight is multiplied by a uniform draw in ``1 ± noise`` (one
    value for every level below the top, or one per level name); ``0.25`` is COINr's ±25 %.
    Drawn weights move the scores, never which scores the data allow: coverage is reckoned with
    the nominal weights."""
    weight_ranges: dict[str, tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)]]] = Field(
        default_factory=dict
    )
    """Node → ``(low, high)``: that node's weight is drawn uniformly in the range instead."""
    normalisation: tuple[str | NormaliseSpec, ...] = ()
    """Normalisations to draw from besides the nominal one: a name (with the nominal one's scope,
    ``panel`` or ``year``, and default settings) or a :class:`NormaliseSpec` (as it is)."""
    aggregation: tuple[str, ...] | dict[str, tuple[str, ...]] = ()
    """Aggregations to draw from besides the nominal one (names from
    :data:`~smartcity_model.scoring.AGGREGATIONS`): for every level above the indicators, or per
    level name (each level drawn on its own)."""
    power: float | None = None
    """The exponent when ``power`` is among the aggregations (default: the result's own)."""
    nonpositive: NonPositive | None = None
    """Geometric, harmonic and power means among the aggregations: refuse scores of 0 or below
    (``raise``) or let them sink the mean to 0 (``zero``); default: the result's own."""
    missing: tuple[str, ...] = ()
    """Missing-data policies to draw from besides the nominal one (``coverage`` or an imputation
    method of :data:`~smartcity_model.scoring.IMPUTATION_METHODS`)."""
    treatment: tuple[str, ...] = ()
    """Outlier treatments to draw from besides the nominal one, e.g. ``("none", "coinr")`` (names
    from :data:`~smartcity_model.scoring.TREATMENTS`)."""
    exclude: bool | tuple[str, ...] = False
    """Leave out one indicator at a time (or none): ``True`` for any indicator that counts, or the
    candidates. A parent whose every weighted child is left out is left out in turn, as a
    structure with those weights at 0 would have it."""

    @field_validator("normalisation", mode="before")
    @classmethod
    def _specs(cls, value: Any) -> Any:
        if isinstance(value, str | NormaliseSpec):
            value = [value]
        if isinstance(value, Sequence):
            for item in value:
                if isinstance(item, str):
                    NormaliseSpec.of(item)  # an unknown name is refused here, with a hint
        return value

    @field_validator("weights", mode="before")
    @classmethod
    def _noise(cls, value: Any) -> Any:
        noises = value.values() if isinstance(value, Mapping) else [value]
        if any(isinstance(item, bool | str) for item in noises):
            msg = _("weight noise must be a number between 0 and 1 (e.g. 0.25), not {value}").format(
                value=repr(value)
            )
            raise ValueError(msg)
        return value

    @field_validator("aggregation", "missing", "treatment", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, Mapping):
            return {key: (item,) if isinstance(item, str) else item for key, item in value.items()}
        return value

    @field_validator("exclude", mode="before")
    @classmethod
    def _excluded(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ranges(self) -> Uncertainty:
        reversed_ = [node for node, (low, high) in self.weight_ranges.items() if low > high]
        if reversed_:
            raise PydanticCustomError(
                "out-of-range", _("weight ranges need low ≤ high: {nodes}"), {"nodes": ", ".join(reversed_)}
            )
        if "raise" in self.missing:
            raise PydanticCustomError(
                "invalid-choice", _("missing='raise' refuses gaps instead of handling them: it is no alternative")
            )
        return self



@dataclass(frozen=True)
class Factor:
    """One uncertain input: a level's weights or one discrete choice, and its columns of the hypercube."""

    name: str
    """``weights (<level>)``, ``normalisation``, ``aggregation`` (or ``aggregation (<level>)``),
    ``missing``, ``treatment`` or ``exclude``: stable English codes, as in the tables."""
    kind: Literal["weights", "choice"]
    level: str | None
    choices: tuple[str, ...]
    """The labels of a choice, the nominal one first; for weights, the nodes."""
    columns: int
    """How many uniform columns the factor takes (its nodes for weights, 1 for a choice)."""


@dataclass(frozen=True)
class WeightDraw:
    """How one level's weights are drawn: nominal weights, relative noise, per-node ranges."""

    level: str
    nominal: FloatArray
    noise: float
    low: FloatArray
    high: FloatArray
    ranged: npt.NDArray[np.bool_]

    def weights(self, u: FloatArray) -> FloatArray:
        """Map uniform draws (draws × nodes) to weights."""
        noisy = self.nominal * (1.0 + self.noise * (2.0 * u - 1.0))
        return np.where(self.ranged, self.low + u * (self.high - self.low), noisy)


@dataclass(frozen=True)
class Draws:
    """Settings of every factor for each draw: weights per level, the index of every discrete choice."""

    weights: Mapping[str, FloatArray]
    """Level → (draws × nodes) weights; levels without uncertain weights are absent."""
    choices: Mapping[str, IntArray]
    """Factor name → (draws,) index into its choices (0 = nominal)."""
    size: int

    def take(self, rows: slice | IntArray) -> Draws:
        """Return the draws of ``rows``."""
        weights = {level: values[rows] for level, values in self.weights.items()}
        choices = {name: values[rows] for name, values in self.choices.items()}
        return Draws(weights, choices, len(np.arange(self.size)[rows]))


def weight_draws(structure: Structure, spec: Uncertainty) -> list[WeightDraw]:
    """Return how the weights of each level below the top are drawn, checking level and node names."""
    below_top = structure.levels[:-1]
    noise = dict.fromkeys(below_top, spec.weights) if isinstance(spec.weights, float) else dict(spec.weights)
    unknown = [level for level in noise if level not in below_top]
    if unknown:
        named = listing(f"{level!r}{suggest(level, below_top)}" for level in unknown)
        msg = _("weights given for unknown levels {levels}; the levels with weights are {known}").format(
            levels=named, known=", ".join(below_top)
        )
        raise ScoringError(msg)
    nodes = structure.nodes.set_index("node")
    top = set(structure.level_nodes(structure.levels[-1]))
    tops = [node for node in spec.weight_ranges if node in top]
    if tops:
        msg = _("weight_ranges names {nodes}, on the top level, which has no weight (nothing above it to weigh in)")
        raise ScoringError(msg.format(nodes=listing(repr(node) for node in tops)))
    strangers = [node for node in spec.weight_ranges if node not in nodes.index]
    if strangers:
        named = listing(f"{node!r}{suggest(node, list(nodes.index))}" for node in strangers)
        msg = _("weight_ranges names nodes the structure does not weigh: {nodes}").format(nodes=named)
        raise ScoringError(msg)
    draws = []
    for level in below_top:
        members = structure.level_nodes(level)
        ranged = np.array([node in spec.weight_ranges for node in members])
        level_noise = float(noise.get(level, 0.0))
        if not level_noise and not ranged.any():
            continue
        bounds = np.array([spec.weight_ranges.get(node, (0.0, 0.0)) for node in members], dtype=float).reshape(-1, 2)
        nominal = nodes.loc[list(members), "weight"].to_numpy(dtype=float)
        draws.append(WeightDraw(level, nominal, level_noise, bounds[:, 0], bounds[:, 1], ranged))
    return draws


def choice_index(u: FloatArray, n_choices: int) -> IntArray:
    """Map uniform draws to one of ``n_choices`` equally likely choices."""
    return np.minimum((u * n_choices).astype(np.intp), n_choices - 1)


def draws_from_unit(u: FloatArray, factors: Sequence[Factor], weight_specs: Sequence[WeightDraw]) -> Draws:
    """Map points of the unit hypercube (draws × columns) to the settings of every factor."""
    by_level = {spec.level: spec for spec in weight_specs}
    weights: dict[str, FloatArray] = {}
    choices: dict[str, IntArray] = {}
    column = 0
    for factor in factors:
        block = u[:, column : column + factor.columns]
        column += factor.columns
        if factor.kind == "weights" and factor.level is not None:
            weights[factor.level] = by_level[factor.level].weights(block)
        else:
            choices[factor.name] = choice_index(block[:, 0], len(factor.choices))
    return Draws(weights, choices, len(u))


def nominal_draws(factors: Sequence[Factor], weight_specs: Sequence[WeightDraw], size: int = 1) -> Draws:
    """Return ``size`` draws at the nominal setting of every factor."""
    weights = {spec.level: np.tile(spec.nominal, (size, 1)) for spec in weight_specs}
    choices = {f.name: np.zeros(size, dtype=np.intp) for f in factors if f.kind == "choice"}
    return Draws(weights, choices, size)
