"""The hierarchy a roll-up climbs: indicators at the bottom, named levels above, weights on every link.

A :class:`Structure` is strictly layered: every node below the top level has one parent on the
level just above it. For a masterplan the levels are ``indicator → element → dimension →
overall``; for another composite index (COINr's ASEM, the SPBE index) they are whatever the index
defines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import SmartCityError
from smartcity_model.model import Direction, Framework, Indicator, Masterplan
from smartcity_model.model.indicator import Band, Normalisation

__all__ = ["PLAN_LEVELS", "TOP_NODE", "IndicatorSpec", "ScoringError", "Structure"]

#: Levels of a masterplan roll-up, bottom to top.
PLAN_LEVELS: tuple[str, ...] = ("indicator", "element", "dimension", "overall")
#: Id of the single top node of a masterplan roll-up.
TOP_NODE = "overall"

FloatArray = npt.NDArray[np.float64]


class ScoringError(SmartCityError, ValueError):
    """Data or settings that a roll-up cannot score (unknown indicators, missing data under ``raise``...)."""


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """How one indicator is normalised: its direction, declared method and target band."""

    direction: Direction = Direction.HIGHER
    normalisation: Normalisation | None = None
    band: Band | None = None
    last_target: float | None = None

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorSpec:
        """Return the spec of a model :class:`~smartcity_model.Indicator`."""
        last = next(reversed(indicator.targets.values()), None) if indicator.targets else None
        return cls(indicator.direction, indicator.normalisation, indicator.band, last)


@dataclass(frozen=True)
class Structure:
    """A layered hierarchy with weights, and the normalisation spec of each indicator.

    ``nodes`` has one row per node: ``node``, ``level`` (a name from ``levels``), ``parent``
    (``None`` on the top level) and ``weight`` (> 0, relative to its siblings).
    """

    levels: tuple[str, ...]
    nodes: pd.DataFrame
    specs: Mapping[str, IndicatorSpec] = field(default_factory=dict)
    _by_level: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, default_factory=dict)
    _membership: dict[str, tuple[FloatArray, tuple[str, ...]]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        """Check the layering and precompute each level's node order."""
        frame = self.nodes
        missing = {"node", "level", "parent", "weight"} - set(frame.columns)
        if missing:
            msg = f"structure needs columns node, level, parent, weight; missing: {', '.join(sorted(missing))}"
            raise ScoringError(msg)
        if len(self.levels) < 2:  # noqa: PLR2004 - indicators and at least one level above
            msg = "a structure needs at least two levels"
            raise ScoringError(msg)
        self._by_level.update({level: tuple(frame.loc[frame["level"] == level, "node"]) for level in self.levels})
        unknown_levels = set(frame["level"]) - set(self.levels)
        if unknown_levels:
            msg = f"unknown levels {sorted(map(str, unknown_levels))}; expected {list(self.levels)}"
            raise ScoringError(msg)
        if frame["node"].duplicated().any():
            msg = f"duplicate nodes: {sorted(frame.loc[frame['node'].duplicated(), 'node'])}"
            raise ScoringError(msg)
        weights = frame["weight"].to_numpy(dtype=float)
        if not (np.isfinite(weights) & (weights > 0)).all():
            msg = "every weight must be finite and > 0"
            raise ScoringError(msg)
        for lower, upper in zip(self.levels, self.levels[1:], strict=False):
            rows = frame[frame["level"] == lower]
            bad = sorted(set(rows.loc[~rows["parent"].isin(self.level_nodes(upper)), "node"]))
            if bad:
                msg = f"nodes on level {lower!r} without a parent on level {upper!r}: {', '.join(map(str, bad[:10]))}"
                raise ScoringError(msg)
        if self.level_nodes(self.levels[0]) == ():
            msg = "a structure needs at least one indicator"
            raise ScoringError(msg)
        for lower in self.levels[:-1]:
            self._membership[lower] = self._build_membership(lower)

    # --------------------------------------------------------------------------- builders

    @classmethod
    def from_framework(cls, framework: Framework, indicators: Iterable[Indicator], *, top: str = TOP_NODE) -> Structure:
        """Return ``indicator → element → dimension → overall`` for a framework and its indicators."""
        indicators = list(indicators)
        rows: list[tuple[str, str, str | None, float]] = [(i.id, "indicator", i.element, i.weight) for i in indicators]
        for dimension in framework.dimensions:
            rows += [(e.id, "element", dimension.id, e.weight) for e in dimension.elements]
        rows += [(d.id, "dimension", top, d.weight) for d in framework.dimensions]
        rows.append((top, "overall", None, 1.0))
        frame = pd.DataFrame(rows, columns=["node", "level", "parent", "weight"])
        return cls(PLAN_LEVELS, frame, {i.id: IndicatorSpec.of(i) for i in indicators})

    @classmethod
    def from_plan(cls, plan: Masterplan) -> Structure:
        """Return the structure of a masterplan: its indicators on its framework."""
        return cls.from_framework(plan.framework, plan.indicators)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        levels: Sequence[str],
        *,
        directions: Mapping[str, Direction | str] | None = None,
    ) -> Structure:
        """Return a structure from a table with ``node, level, parent, weight`` columns.

        ``directions`` gives ``higher`` or ``lower`` per indicator (default ``higher``); such
        indicators declare no normalisation, so a peer-relative method is used for them.
        """
        specs = {node: IndicatorSpec(Direction(direction)) for node, direction in (directions or {}).items()}
        return cls(tuple(levels), frame.reset_index(drop=True), specs)

    # --------------------------------------------------------------------------- queries

    def level_nodes(self, level: str) -> tuple[str, ...]:
        """Return the nodes of ``level`` in table order."""
        return self._by_level[level]

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicators (nodes of the bottom level), in table order."""
        return self.level_nodes(self.levels[0])

    def spec(self, indicator: str) -> IndicatorSpec:
        """Return the normalisation spec of ``indicator`` (higher is better, undeclared, by default)."""
        return self.specs.get(indicator, IndicatorSpec())

    def membership(self, lower: str) -> tuple[FloatArray, tuple[str, ...]]:
        """Return the weight matrix from ``lower`` to the level above (children × parents) and the parents."""
        return self._membership[lower]

    def _build_membership(self, lower: str) -> tuple[FloatArray, tuple[str, ...]]:
        upper = self.levels[self.levels.index(lower) + 1]
        children = self.nodes[self.nodes["level"] == lower]
        parents = self.level_nodes(upper)
        column = {node: n for n, node in enumerate(parents)}
        matrix = np.zeros((len(children), len(parents)))
        matrix[np.arange(len(children)), children["parent"].map(column).to_numpy(dtype=int)] = children[
            "weight"
        ].to_numpy(dtype=float)
        return matrix, parents
