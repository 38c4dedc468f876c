"""The hierarchy a roll-up climbs: indicators at the bottom, named levels above, weights on every link.

A :class:`Structure` is strictly layered: every node below the top level has one parent on the
level just above it. For a masterplan the levels are ``indicator → element → dimension →
overall``; for another composite index (COINr's ASEM, the SPBE index) they are whatever the index
defines. A weight of 0 switches a node off (it is *excluded*: scored, but it counts for nothing
above); negative weights are refused.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import SmartCityError, suggest, warn_caller
from smartcity_model.i18n import _
from smartcity_model.model import Direction, Framework, Indicator, Masterplan
from smartcity_model.model.indicator import Band, Normalisation

__all__ = [
    "PLAN_LEVELS",
    "TOP_NODE",
    "IndicatorSpec",
    "ScoringError",
    "ScoringWarning",
    "Structure",
    "parse_direction",
]

#: Levels of a masterplan roll-up, bottom to top.
PLAN_LEVELS: tuple[str, ...] = ("indicator", "element", "dimension", "overall")
#: Id of the single top node of a masterplan roll-up.
TOP_NODE = "overall"
#: Columns :meth:`Structure.from_frame` reads; a column named much like one of them is a typo.
_FRAME_COLUMNS = ("node", "level", "parent", "weight", "direction", "target", "denominator")
#: How many offending items an error message names before it says "and N more".
SHOWN = 8

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class ScoringError(SmartCityError, ValueError):
    """Data or settings that a roll-up cannot score; the message names what is wrong and where."""


class ScoringWarning(UserWarning):
    """Something a scoring step had to assume or leave out; the message says what and where."""


def listing(items: Iterable[object], shown: int = SHOWN) -> str:
    """Return ``a, b, c and 4 more`` for messages (items rendered with ``str``)."""
    items = list(items)
    head = ", ".join(str(item) for item in items[:shown])
    if len(items) <= shown:
        return head
    return _("{items} and {n} more").format(items=head, n=len(items) - shown)


def unknown_names(kind: str, wanted: Iterable[object], known: Collection[str]) -> str | None:
    """Return ``unknown <kind>: 'x' (did you mean 'y'?)…`` for the names of ``wanted`` not in ``known``."""
    known_set = set(known)
    values = wanted if isinstance(wanted, pd.Series) else pd.Series(list(wanted), dtype=object)
    distinct = pd.unique(values.astype(object))
    missing = [str(name) for name in distinct if str(name) not in known_set]
    if not missing:
        return None
    named = [f"{name!r}{suggest(name, known_set)}" for name in missing]
    return _("unknown {kind}: {names}").format(kind=kind, names=listing(named))


def raise_problems(problems: Sequence[str], what: str) -> None:
    """Raise one :class:`ScoringError` listing every problem (nothing when the list is empty)."""
    if not problems:
        return
    if len(problems) == 1:
        msg = f"{what}: {problems[0]}"
    else:
        head = _("{what}: {n} problems").format(what=what, n=len(problems))
        msg = head + "\n" + "\n".join(f"  - {p}" for p in problems)
    raise ScoringError(msg)


def warn(message: str) -> None:
    """Issue a :class:`ScoringWarning` pointing at the first line of code outside this package."""
    warn_caller(message, ScoringWarning)


_DIRECTION_WORDS = {
    "higher": Direction.HIGHER,
    "lower": Direction.LOWER,
    "band": Direction.BAND,
    "1": Direction.HIGHER,
    "+1": Direction.HIGHER,
    "-1": Direction.LOWER,
}


def parse_direction(value: object, indicator: str) -> Direction:
    """Read a direction: ``higher``/``lower``/``band`` (any case) or COINr's ``1``/``-1``."""
    if isinstance(value, Direction):
        return value
    number = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if number and float(value) in {1.0, -1.0}:  # type: ignore[arg-type]  # a number, checked above
        return Direction.HIGHER if float(value) > 0 else Direction.LOWER  # type: ignore[arg-type]  # same
    if isinstance(value, str) and value.strip().lower() in _DIRECTION_WORDS:
        return _DIRECTION_WORDS[value.strip().lower()]
    msg = _("indicator {indicator}: direction {value} is neither higher, lower, band, 1 nor -1").format(
        indicator=repr(indicator), value=repr(value)
    )
    raise ScoringError(msg)


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """How one indicator is treated: direction, declared normalisation, band, target, denominator."""

    direction: Direction = Direction.HIGHER
    normalisation: Normalisation | None = None
    band: Band | None = None
    last_target: float | None = None
    """The target (the last one of a plan's indicator, or COINr's ``Target``)."""
    denominator: str | None = None
    """Name of the denominator the raw values are divided by (COINr's ``Denominator``)."""

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorSpec:
        """Return the spec of a model :class:`~smartcity_model.Indicator`."""
        last = next(reversed(indicator.targets.values()), None) if indicator.targets else None
        return cls(indicator.direction, indicator.normalisation, indicator.band, last)


def _text(value: object) -> str | None:
    """Return a node or parent id as text; ``None`` for a missing cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


@dataclass(frozen=True, eq=False)
class Structure:
    """A layered hierarchy with weights, and the spec of each indicator.

    ``nodes`` has one row per node: ``node``, ``level`` (a name from ``levels``), ``parent``
    (``None`` on the top level) and ``weight`` (≥ 0, relative to its siblings; 0 excludes the
    node). Every problem of a structure is reported at once.
    """

    levels: tuple[str, ...]
    nodes: pd.DataFrame
    specs: Mapping[str, IndicatorSpec] = field(default_factory=dict)
    _by_level: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, default_factory=dict)
    _membership: dict[str, tuple[FloatArray, tuple[str, ...]]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _parents: dict[str, IntArray] = field(init=False, repr=False, compare=False, default_factory=dict)
    _excluded: set[str] = field(init=False, repr=False, compare=False, default_factory=set)

    def __post_init__(self) -> None:
        """Check the layering and the weights, and precompute each level's node order."""
        frame = self.nodes
        missing = {"node", "level", "parent", "weight"} - set(frame.columns)
        if missing:
            msg = _("structure needs columns node, level, parent, weight; missing: {missing}").format(
                missing=", ".join(sorted(missing))
            )
            raise ScoringError(msg)
        if len(self.levels) < 2:  # noqa: PLR2004 - indicators and at least one level above
            msg = _("a structure needs at least two levels")
            raise ScoringError(msg)
        if len(set(self.levels)) != len(self.levels):
            msg = _("level names must differ: {levels}").format(levels=list(self.levels))
            raise ScoringError(msg)
        frame = frame.reset_index(drop=True)
        nodes = [_text(n) for n in frame["node"]]
        parents = [_text(p) for p in frame["parent"]]
        cleaned = frame.assign(node=np.asarray(nodes, dtype=object), parent=np.asarray(parents, dtype=object))
        object.__setattr__(self, "nodes", cleaned)
        raise_problems(self._problems(nodes), _("structure"))
        frame = self.nodes
        self._by_level.update({level: tuple(frame.loc[frame["level"] == level, "node"]) for level in self.levels})
        for lower in self.levels[:-1]:
            self._membership[lower], self._parents[lower] = self._build_membership(lower)
        self._excluded.update(self._find_excluded())
        raise_problems(self._weight_problems(), _("structure"))

    def _problems(self, nodes: list[str | None]) -> list[str]:
        frame = self.nodes
        problems: list[str] = []
        blank = [n for n, node in enumerate(nodes) if node is None]
        if blank:
            problems.append(_("rows without a node id: {rows}").format(rows=listing(blank)))
        unknown = unknown_names(_("levels"), frame["level"].astype(str), self.levels)
        if unknown:
            problems.append(
                _("{unknown}; the levels are {levels}").format(unknown=unknown, levels=", ".join(self.levels))
            )
        duplicated = frame.loc[frame["node"].duplicated() & frame["node"].notna(), "node"]
        if len(duplicated):
            problems.append(_("duplicate nodes: {nodes}").format(nodes=listing(sorted(set(duplicated)))))
        weights = pd.to_numeric(frame["weight"], errors="coerce").to_numpy(dtype=float)
        bad = frame.loc[~np.isfinite(weights), "node"]
        if len(bad):
            problems.append(_("weights that are not finite numbers: {nodes}").format(nodes=listing(bad)))
        negative = frame.loc[np.isfinite(weights) & (weights < 0), "node"]
        if len(negative):
            problems.append(
                _("negative weights (0 excludes a node; below 0 means nothing): {nodes}").format(
                    nodes=listing(negative)
                )
            )
        for lower, upper in zip(self.levels, self.levels[1:], strict=False):
            rows = frame[frame["level"] == lower]
            above = set(frame.loc[frame["level"] == upper, "node"])
            orphans = rows.loc[~rows["parent"].isin(above), ["node", "parent"]]
            if len(orphans):
                shown = [
                    _("{node} (parent {parent}{hint})").format(
                        node=n, parent=repr(p), hint=suggest(str(p), above) if p else ""
                    )
                    for n, p in orphans.itertuples(index=False)
                ]
                problems.append(
                    _("nodes on level {lower} without a parent on level {upper}: {nodes}").format(
                        lower=repr(lower), upper=repr(upper), nodes=listing(shown)
                    )
                )
        top = frame[frame["level"] == self.levels[-1]]
        with_parent = top.loc[top["parent"].notna(), "node"]
        if len(with_parent):
            problems.append(
                _("nodes on the top level {level} cannot have a parent: {nodes}").format(
                    level=repr(self.levels[-1]), nodes=listing(with_parent)
                )
            )
        if not (frame["level"] == self.levels[0]).any():
            problems.append(_("no indicator: no node on level {level}").format(level=repr(self.levels[0])))
        return problems

    def _find_excluded(self) -> set[str]:
        frame = self.nodes
        weight = dict(zip(frame["node"], frame["weight"].astype(float), strict=True))
        parent = dict(zip(frame["node"], frame["parent"], strict=True))
        excluded: set[str] = set()
        for level in reversed(self.levels):
            for node in self.level_nodes(level):
                up = parent[node]
                if weight[node] == 0 or (up is not None and up in excluded):
                    excluded.add(node)
        return excluded

    def _weight_problems(self) -> list[str]:
        problems = []
        for lower in self.levels[:-1]:
            matrix, parents = self._membership[lower]
            has_children = np.bincount(self._parents[lower], minlength=len(parents)) > 0
            dead = [
                p
                for p, total, children in zip(parents, matrix.sum(axis=0), has_children, strict=True)
                if children and total == 0 and p not in self._excluded
            ]
            if dead:
                problems.append(
                    _(
                        "every child of {parents} has weight 0; give one child a weight or give the parent weight 0 too"
                    ).format(parents=listing(repr(p) for p in dead))
                )
        return problems

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
    def from_frame(  # noqa: PLR0913 - keyword-only descriptions of the indicators
        cls,
        frame: pd.DataFrame,
        levels: Sequence[str],
        *,
        directions: Mapping[str, Any] | None = None,
        bands: Mapping[str, tuple[float, float]] | None = None,
        targets: Mapping[str, float] | None = None,
        denominators: Mapping[str, str] | None = None,
    ) -> Structure:
        """Return a structure from a table with ``node, level, parent, weight`` columns.

        Optional columns ``direction``, ``target`` and ``denominator`` describe the indicators;
        the keyword arguments of the same names do too, and win over the columns. A direction
        is ``higher``, ``lower`` or ``band`` (any case) or COINr's ``1``/``-1``; ``band`` needs
        ``bands={indicator: (low, high)}``. Such indicators declare no normalisation, so a
        peer-relative method scores them. Every id given must be an indicator of the table.
        """
        frame = frame.reset_index(drop=True)
        misspelt = [
            f"{column!r}{hint}"
            for column in map(str, frame.columns)
            if column not in _FRAME_COLUMNS and (hint := suggest(column, _FRAME_COLUMNS))
        ]
        if misspelt:
            msg = _("structure: columns {columns} would be ignored; rename them (or drop them)").format(
                columns=listing(misspelt)
            )
            raise ScoringError(msg)
        base = cls(tuple(levels), frame[["node", "level", "parent", "weight"]])
        indicators = base.indicators
        columns = {
            key: dict(zip(base.nodes["node"], frame[key], strict=True))
            for key in ("direction", "target", "denominator")
            if key in frame.columns
        }

        def pick(key: str, given: Mapping[str, Any] | None) -> dict[str, Any]:
            values = {k: v for k, v in columns.get(key, {}).items() if k in indicators and _text(v) is not None}
            return values | dict(given or {})

        chosen = {
            "directions": pick("direction", directions),
            "bands": dict(bands or {}),
            "targets": pick("target", targets),
            "denominators": pick("denominator", denominators),
        }
        problems = [
            _("{unknown} in {name}=").format(unknown=unknown, name=name)
            for name, values in chosen.items()
            if (unknown := unknown_names(_("indicators"), values, indicators)) is not None
        ]
        raise_problems(problems, _("structure"))
        specs: dict[str, IndicatorSpec] = {}
        for node in indicators:
            direction = Direction.HIGHER
            if node in chosen["directions"]:
                try:
                    direction = parse_direction(chosen["directions"][node], node)
                except ScoringError as error:
                    problems.append(str(error))
                    continue
            band = chosen["bands"].get(node)
            if direction is Direction.BAND and band is None:
                problems.append(
                    _("indicator {node}: direction 'band' needs bands={{{node}: (low, high)}}").format(node=repr(node))
                )
                continue
            if band is not None and direction is not Direction.BAND:
                problems.append(
                    _("indicator {node}: a band is given but its direction is {direction}, not 'band'").format(
                        node=repr(node), direction=repr(direction.value)
                    )
                )
                continue
            try:
                target = chosen["targets"].get(node)
                target_value = None if target is None else float(target)
                low, high = (None, None) if band is None else (float(band[0]), float(band[1]))
            except (TypeError, ValueError, IndexError):
                problems.append(
                    _("indicator {node}: the target and band must be numbers (a band is (low, high))").format(
                        node=repr(node)
                    )
                )
                continue
            if low is not None and high is not None and not low <= high:
                problems.append(
                    _("indicator {node}: the band ({low:g}, {high:g}) needs low <= high").format(
                        node=repr(node), low=low, high=high
                    )
                )
                continue
            band_value = None if low is None or high is None else Band(low=low, high=high)
            specs[node] = IndicatorSpec(
                direction,
                band=band_value,
                last_target=target_value,
                denominator=_text(chosen["denominators"].get(node)),
            )
        raise_problems(problems, _("structure"))
        return cls(base.levels, base.nodes, specs)

    # --------------------------------------------------------------------------- queries

    def check_level(self, level: str) -> str:
        """Return ``level`` if the structure has it, else raise naming the levels it has."""
        if level not in self.levels:
            msg = _("no level {level}{hint}; the levels are {levels}").format(
                level=repr(level), hint=suggest(str(level), self.levels), levels=", ".join(self.levels)
            )
            raise ScoringError(msg)
        return level

    def level_nodes(self, level: str) -> tuple[str, ...]:
        """Return the nodes of ``level`` in table order."""
        return self._by_level[self.check_level(level)]

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicators (nodes of the bottom level), in table order."""
        return self.level_nodes(self.levels[0])

    @property
    def excluded(self) -> frozenset[str]:
        """Nodes that count for nothing: weight 0, or below a node of weight 0."""
        return frozenset(self._excluded)

    def spec(self, indicator: str) -> IndicatorSpec:
        """Return the spec of ``indicator`` (higher is better, undeclared, by default)."""
        return self.specs.get(indicator, IndicatorSpec())

    def membership(self, lower: str) -> tuple[FloatArray, tuple[str, ...]]:
        """Return the weight matrix from ``lower`` to the level above (children × parents) and the parents."""
        return self._membership[lower]

    def parent_index(self, lower: str) -> IntArray:
        """Return, for each node of ``lower``, the column of its parent in :meth:`membership`."""
        return self._parents[lower]

    def ancestor_index(self, lower: str, upper: str) -> IntArray:
        """Return, for each node of ``lower``, the position of its ancestor among the nodes of ``upper``."""
        index: IntArray = np.arange(len(self.level_nodes(lower)), dtype=np.intp)
        for step in self.levels[self.levels.index(lower) : self.levels.index(upper)]:
            index = self.parent_index(step)[index]
        return index

    def _build_membership(self, lower: str) -> tuple[tuple[FloatArray, tuple[str, ...]], IntArray]:
        upper = self.levels[self.levels.index(lower) + 1]
        children = self.nodes[self.nodes["level"] == lower]
        parents = self.level_nodes(upper)
        column = {node: n for n, node in enumerate(parents)}
        index = np.asarray(children["parent"].map(column).to_numpy(), dtype=np.intp)
        matrix: FloatArray = np.zeros((len(children), len(parents)))
        matrix[np.arange(len(children)), index] = children["weight"].to_numpy(dtype=float)
        return (matrix, parents), index

    def __eq__(self, other: object) -> bool:
        """Structures are equal when their levels, node tables and indicator specs are."""
        if not isinstance(other, Structure):
            return NotImplemented
        return self.levels == other.levels and self.nodes.equals(other.nodes) and dict(self.specs) == dict(other.specs)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking tables inside: not hashable

    def __repr__(self) -> str:
        """Summarise the levels, node counts and exclusions on one line."""
        counts = " → ".join(f"{level} ({len(self.level_nodes(level))})" for level in self.levels)
        excluded = f", {len(self._excluded)} excluded (weight 0)" if self._excluded else ""
        return f"<Structure {counts}{excluded}>"
