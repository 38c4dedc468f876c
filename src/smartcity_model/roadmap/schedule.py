"""When each initiative can really happen: the critical path method over prerequisites and years.

Years are the unit. An initiative lasts from its start year to its end year inclusive (from its
horizon or the plan period where the plan leaves them out, as :meth:`Masterplan.schedule` does),
and may start in the year its last prerequisite ends, the rule the ``starts-before-prerequisite-ends``
check applies.

The forward pass gives each initiative its **earliest start**: not before its planned start
(``anchor="planned"``, the default: the plan's years are commitments, a prerequisite can only push
them later) or not before the plan starts (``anchor="earliest"``: how early it could be done), and
not before its prerequisites end. The backward pass gives its **latest finish** without pushing
the last initiative past the plan's end (or past the earliest finish of the whole plan, when that
is later), and **slack** is how many years it can slip without doing so. Initiatives with no slack
are **critical**; the critical paths are the chains of critical initiatives, each handing over to
the next in the year it ends. Both passes are linear in the size of the dependency graph.

An initiative that is dropped (or cancelled in the plan) cannot be scheduled, and neither can any
initiative that waits on it: those are *blocked* and their years are left missing.

Examples
--------
>>> import smartcity_model as scm
>>> plan = scm.load(scm.example_path())
>>> table = scm.schedule(plan)
>>> bool((table["slack"].dropna() >= 0).all())
True
>>> scm.critical_paths(table)
[('lg-01',), ('lg-03',), ('lg-04',)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from smartcity_model.errors import SmartCityError, suggest, warn_caller
from smartcity_model.i18n import _
from smartcity_model.model import Direction, Indicator, InitiativeStatus, Masterplan
from smartcity_model.scoring.structure import listing

__all__ = [
    "SCHEDULE_COLUMNS",
    "TARGET_COLUMNS",
    "Anchor",
    "RoadmapError",
    "RoadmapWarning",
    "checked_ids",
    "critical_paths",
    "current_status",
    "dimension_target_years",
    "is_missing",
    "prerequisite_order",
    "schedule",
    "target_years",
]

#: How the forward pass anchors an initiative: at its planned start, or as early as the plan allows.
Anchor = Literal["planned", "earliest"]

#: Columns of :func:`schedule`, in order.
SCHEDULE_COLUMNS: tuple[str, ...] = (
    "initiative",
    "name",
    "lead",
    "status",
    "planned_start",
    "planned_finish",
    "duration",
    "earliest_start",
    "earliest_finish",
    "latest_start",
    "latest_finish",
    "slack",
    "critical",
    "delay",
    "blocked_by",
    "depends_on",
)
#: Columns of :func:`target_years`, in order.
TARGET_COLUMNS: tuple[str, ...] = (
    "indicator",
    "dimension",
    "target_year",
    "target",
    "earliest_year",
    "late_by",
    "basis",
    "initiatives",
)


class RoadmapError(SmartCityError, ValueError):
    """A schedule, a what-if or a budget the roadmap cannot work with; the message says why."""


class RoadmapWarning(UserWarning):
    """Something the roadmap had to assume or change (a slip capped, a solver that ran out of time)."""


def current_status(plan: Masterplan) -> dict[str, InitiativeStatus]:
    """Return each initiative's status: the latest its progress records report, else the plan's own."""
    status = {initiative.id: initiative.status for initiative in plan.initiatives}
    reported = sorted((r.year, r.initiative, r.status) for r in plan.progress if r.status is not None)
    status.update({name: value for _year, name, value in reported if name in status})
    return status


def checked_ids(plan: Masterplan, ids: Iterable[str], what: str) -> list[str]:
    """Return ``ids`` if the plan has them all; otherwise raise one error naming every unknown id.

    A single id given as a string is one id, not its characters.
    """
    known = [initiative.id for initiative in plan.initiatives]
    chosen = [ids] if isinstance(ids, str) else list(ids)
    unknown = [f"{name!r}{suggest(name, known)}" for name in chosen if name not in set(known)]
    if unknown:
        msg = _("{what}: the plan has no initiative {names}").format(what=what, names=listing(unknown))
        raise RoadmapError(msg)
    return chosen


def prerequisite_order(ids: Sequence[str], prerequisites: Sequence[Sequence[int]]) -> list[int]:
    """Return the initiatives in an order where every prerequisite comes first (Kahn); refuse a cycle."""
    waiting = [len(set(deps)) for deps in prerequisites]
    followers: list[list[int]] = [[] for _ in ids]
    for node, deps in enumerate(prerequisites):
        for dep in set(deps):
            followers[dep].append(node)
    ready = [node for node, count in enumerate(waiting) if count == 0]
    order: list[int] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for follower in followers[node]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    if len(order) < len(ids):
        tangled = [ids[node] for node, count in enumerate(waiting) if count > 0]
        msg = _(
            "initiatives wait on each other in a cycle, so no schedule exists: {names} "
            "(smartcity check shows the cycle as dependency-cycle)"
        ).format(names=listing(tangled))
        raise RoadmapError(msg)
    return order


def _changes(
    plan: Masterplan, anchor: object, slip: Mapping[str, int] | None, drop: Iterable[str]
) -> tuple[dict[str, int], set[str]]:
    """Return the slips and drops of a what-if, refusing unknown ids, fractional years and anchors."""
    if anchor not in ("planned", "earliest"):
        msg = _("anchor must be 'planned' or 'earliest', not {value}").format(value=repr(anchor))
        raise RoadmapError(msg)
    slips = dict(slip or {})
    checked_ids(plan, slips, _("slip"))
    dropped = set(checked_ids(plan, drop, _("drop")))
    bad = [
        f"{name}={years!r}" for name, years in slips.items() if isinstance(years, bool) or not isinstance(years, int)
    ]
    if bad:
        msg = _("slip gives whole years per initiative, not {values}").format(values=listing(bad))
        raise RoadmapError(msg)
    length = plan.period.end - plan.period.start + 1
    far = [f"{name}={years}" for name, years in slips.items() if abs(years) > length]
    if far:
        msg = _("a slip moves an initiative by at most the plan's {n} years, not {values}").format(
            n=length, values=listing(far)
        )
        raise RoadmapError(msg)
    both = sorted(set(slips) & dropped)
    if both:
        msg = _("{names} cannot both slip and be dropped").format(names=listing(map(repr, both)))
        raise RoadmapError(msg)
    return slips, dropped


def _forward(
    order: Sequence[int],
    prerequisites: Sequence[Sequence[int]],
    floor: Sequence[int],
    duration: Sequence[int],
    blocked_by: list[str | None],
) -> list[int]:
    """Return each initiative's earliest start; mark in ``blocked_by`` those waiting on one that is out."""
    start = [0] * len(floor)
    for node in order:
        deps = prerequisites[node]
        if blocked_by[node] is None:
            blocked_by[node] = next((blocked_by[dep] for dep in deps if blocked_by[dep] is not None), None)
        if blocked_by[node] is None:
            start[node] = max([floor[node], *(start[dep] + duration[dep] - 1 for dep in deps)])
    return start


def _backward(
    order: Sequence[int],
    prerequisites: Sequence[Sequence[int]],
    duration: Sequence[int],
    live: Sequence[bool],
    deadline: int,
) -> list[int]:
    """Return each initiative's latest finish that keeps every follower within ``deadline``."""
    latest = [deadline] * len(duration)
    for node in reversed(order):
        if live[node]:
            begin = latest[node] - duration[node] + 1
            for dep in prerequisites[node]:
                latest[dep] = min(latest[dep], begin)
    return latest


def schedule(
    plan: Masterplan,
    *,
    anchor: Anchor = "planned",
    slip: Mapping[str, int] | None = None,
    drop: Iterable[str] = (),
) -> pd.DataFrame:
    """Return every initiative's earliest and latest years, slack and criticality (one row each).

    Parameters
    ----------
    plan
        The masterplan.
    anchor
        ``planned`` (default): an initiative starts no earlier than its planned start year;
        ``earliest``: as early as the plan period and its prerequisites allow.
    slip
        Initiative id → years its start is put off (a what-if); a negative number brings it forward.
    drop
        Ids of initiatives taken out of the plan (a what-if); cancelled initiatives are out too.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SCHEDULE_COLUMNS`, in plan order: ``status`` the latest reported in the
        plan's progress records, else the plan's own (see :func:`current_status`); ``duration`` in years; ``delay`` the
        years ``earliest_start`` lies after ``planned_start``; ``blocked_by`` is, for a dropped or
        cancelled initiative, its own id, and for one that waits on such an initiative (directly
        or not), that initiative's id: neither has years; ``depends_on`` its prerequisites'
        ids, joined by ``", "``.
    """
    slips, dropped = _changes(plan, anchor, slip, drop)
    initiatives = plan.initiatives
    ids = [initiative.id for initiative in initiatives]
    index = {name: n for n, name in enumerate(ids)}
    prerequisites = [[index[dep] for dep in item.depends_on if dep != item.id] for item in initiatives]
    order = prerequisite_order(ids, prerequisites)
    years = [plan.schedule(item) for item in initiatives]
    planned_start = np.array([start for start, _end in years], dtype=np.int64)
    planned_finish = np.array([end for _start, end in years], dtype=np.int64)
    duration = planned_finish - planned_start + 1
    floor = planned_start.tolist() if anchor == "planned" else [plan.period.start] * len(ids)
    capped = []
    for name, years_put_off in slips.items():
        moved = max(floor[index[name]], int(planned_start[index[name]])) + years_put_off
        if moved < plan.period.start:
            capped.append(name)
        floor[index[name]] = max(moved, plan.period.start)
    if capped:
        warn_caller(
            _("{names} cannot be brought forward before the plan starts ({start}): they start then").format(
                names=listing(map(repr, capped)), start=plan.period.start
            ),
            RoadmapWarning,
        )
    status = current_status(plan)
    out = [item.id in dropped or status[item.id] is InitiativeStatus.CANCELLED for item in initiatives]
    blocked_by: list[str | None] = [item.id if gone else None for item, gone in zip(initiatives, out, strict=True)]
    start = np.asarray(_forward(order, prerequisites, floor, duration.tolist(), blocked_by), dtype=np.int64)
    live = np.array([who is None for who in blocked_by], dtype=bool)
    finish = start + duration - 1
    deadline = int(max(plan.period.end, int(finish[live].max()) if live.any() else plan.period.end))
    latest_finish = np.asarray(
        _backward(order, prerequisites, duration.tolist(), live.tolist(), deadline), dtype=np.int64
    )
    latest_start = latest_finish - duration + 1

    def _years(values: np.ndarray) -> pd.Series:
        return pd.Series(np.where(live, values, 0), dtype="Int64").where(live)

    table = pd.DataFrame(
        {
            "initiative": ids,
            "name": [item.name for item in initiatives],
            "lead": [item.lead for item in initiatives],
            "status": [status[item.id].value for item in initiatives],
            "planned_start": planned_start,
            "planned_finish": planned_finish,
            "duration": duration,
            "earliest_start": _years(start),
            "earliest_finish": _years(finish),
            "latest_start": _years(latest_start),
            "latest_finish": _years(latest_finish),
        }
    )
    table["slack"] = table["latest_start"] - table["earliest_start"]
    table["critical"] = (table["slack"] == 0).astype("boolean")
    table["delay"] = table["earliest_start"] - table["planned_start"]
    table["blocked_by"] = pd.Series(blocked_by, dtype=object)
    table.attrs["deadline"] = deadline
    table["depends_on"] = [", ".join(d for d in item.depends_on if d != item.id) for item in initiatives]
    return table[list(SCHEDULE_COLUMNS)]


def critical_paths(table: pd.DataFrame, *, limit: int = 100) -> list[tuple[str, ...]]:
    """Return the critical paths of a :func:`schedule`: chains of critical initiatives, at most ``limit``.

    A path starts at a critical initiative that no critical prerequisite holds up and follows
    critical initiatives that start in the year their prerequisite ends, up to one that ends in the
    schedule's last year. Paths come in plan order of their first initiative.
    """
    deadline = table.attrs.get("deadline")
    if deadline is None:
        msg = _("critical_paths needs the table schedule() returns")
        raise RoadmapError(msg)
    critical = table[table["critical"].fillna(value=False).astype(bool)]
    depends_on = {
        name: tuple(filter(None, deps.split(", ")))
        for name, deps in zip(critical["initiative"], critical["depends_on"], strict=True)
    }
    start = dict(zip(critical["initiative"], critical["earliest_start"].astype(int), strict=True))
    finish = dict(zip(critical["initiative"], critical["earliest_finish"].astype(int), strict=True))
    followers: dict[str, list[str]] = {name: [] for name in start}
    driven: set[str] = set()
    for name, begins in start.items():
        for dep in depends_on.get(name, ()):
            if dep in finish and finish[dep] == begins:
                followers[dep].append(name)
                driven.add(name)
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [(name,) for name in reversed(list(start)) if name not in driven]
    while stack and len(paths) < limit:
        path = stack.pop()
        last = path[-1]
        if finish[last] == deadline:
            paths.append(path)
        stack.extend((*path, nxt) for nxt in reversed(followers[last]))
    return paths


def _reached(value: float, target: float, direction: Direction, band: tuple[float, float] | None) -> bool:
    """Tell whether ``value`` meets ``target`` for an indicator going in ``direction``."""
    if direction is Direction.LOWER:
        return value <= target
    if direction is Direction.BAND and band is not None:
        return band[0] <= value <= band[1]
    return value >= target


def target_years(plan: Masterplan, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return, for every indicator target, the earliest year it can be met given the initiatives that move it.

    An initiative that states the values it expects reaches the target in the first year its
    expected value meets it, put off by the initiative's ``delay`` in the schedule; the target is
    met when the first such initiative gets there (``basis`` ``expected``). Where none of the
    initiatives states a value that meets it but some state none, the target is taken as met when
    all of them have ended (``finish``). A target no initiative moves, or that the values stated
    never meet, has no year (``no initiative``, ``not reached``); one the baseline already meets
    is met from the start (``baseline``). ``late_by`` is the years past the target's own year.

    ``table`` is a :func:`schedule` (default: the plan's own, anchored at its planned years).
    """
    table = schedule(plan) if table is None else table
    rows = {
        str(row["initiative"]): _Years(
            _year(row["earliest_start"]),
            _year(row["earliest_finish"]),
            int(row["planned_start"]),
            int(row["planned_finish"]),
            _year(row["delay"]),
        )
        for row in table.to_dict("records")
    }
    movers: dict[str, list[tuple[str, Mapping[int, float]]]] = {}
    for initiative in plan.initiatives:
        for link in initiative.indicators:
            movers.setdefault(link.indicator, []).append((initiative.id, link.expected))
    records = []
    for indicator in plan.indicators:
        moved_by = movers.get(indicator.id, [])
        dimension = plan.framework.dimension_of(indicator.element).id
        for target_year, target in indicator.targets.items():
            records.append(
                (
                    indicator.id,
                    dimension,
                    target_year,
                    target,
                    *_earliest(plan, rows, indicator, moved_by, (target, target_year)),
                )
            )
    frame = pd.DataFrame(
        records, columns=["indicator", "dimension", "target_year", "target", "earliest_year", "basis", "initiatives"]
    )
    frame["earliest_year"] = frame["earliest_year"].astype("Int64")
    frame["late_by"] = (frame["earliest_year"] - frame["target_year"]).clip(lower=0)
    return frame[list(TARGET_COLUMNS)]


class _Years(NamedTuple):
    """The years of one scheduled initiative that target years are read from (``None`` when blocked)."""

    start: int | None
    finish: int | None
    planned_start: int
    planned_finish: int
    delay: int | None


def is_missing(value: object) -> bool:
    """Tell whether a table's cell is empty: ``None``, ``pd.NA`` or NaN."""
    return value is None or value is pd.NA or value != value  # noqa: PLR0124 - the one test that finds nan


def _year(value: object) -> int | None:
    """Return a year of a schedule table as an int, ``None`` where it is missing."""
    return None if is_missing(value) else int(str(value))


def _earliest(
    plan: Masterplan,
    rows: Mapping[str, _Years],
    indicator: Indicator,
    moved_by: Sequence[tuple[str, Mapping[int, float]]],
    goal: tuple[float, int],
) -> tuple[int | None, str, str]:
    """Return (earliest year, basis, initiatives) of one indicator target (``goal``: value and year)."""
    target, target_year = goal
    direction = indicator.direction
    band = None if indicator.band is None else (indicator.band.low, indicator.band.high)
    value = None if indicator.baseline is None else indicator.baseline.value
    if value is not None and _reached(float(value), target, direction, band):
        return plan.period.start, "baseline", ""
    if not moved_by:
        return None, "no initiative", ""
    live = [(name, expected) for name, expected in moved_by if rows[name].start is not None]
    reached = []
    for name, expected in live:
        year = next((y for y, v in expected.items() if _reached(v, target, direction, band)), None)
        if year is not None:
            years = rows[name]
            reached.append((max(year, years.planned_start) + (years.delay or 0), name))
    if reached:
        year, name = min(reached)
        return year, "expected", name
    if any(not expected for _name, expected in moved_by):
        names = _relied_on(rows, [name for name, _expected in moved_by], target_year)
        if any(rows[name].start is None for name in names):
            return None, "blocked", ", ".join(name for name in names if rows[name].start is None)
        return max(rows[name].finish or 0 for name in names), "finish", ", ".join(names)
    return None, "not reached", ", ".join(name for name, _expected in live)


def _relied_on(rows: Mapping[str, _Years], names: Sequence[str], target_year: int) -> list[str]:
    """Return the initiatives a target of ``target_year`` relies on: those planned to end by then, else the first."""
    by_then = [name for name in names if rows[name].planned_finish <= target_year]
    if by_then:
        return by_then
    first = min(rows[name].planned_finish for name in names)
    return [name for name in names if rows[name].planned_finish == first]


def dimension_target_years(targets: pd.DataFrame) -> pd.DataFrame:
    """Return, per dimension and target year, the earliest year all its indicator targets can be met.

    Columns ``dimension, target_year, indicators, earliest_year, late_by, unmet``: ``unmet`` names
    the indicators whose target of that year has no year in :func:`target_years` (then
    ``earliest_year`` is missing too).
    """
    grouped = targets.groupby(["dimension", "target_year"], sort=False)
    frame = grouped.agg(
        indicators=("indicator", "size"),
        earliest_year=("earliest_year", "max"),
        missing=("earliest_year", lambda s: ", ".join(targets.loc[s.index[s.isna()], "indicator"])),
    ).reset_index()
    frame["earliest_year"] = frame["earliest_year"].astype("Int64").where(frame["missing"] == "")
    frame["late_by"] = (frame["earliest_year"] - frame["target_year"]).clip(lower=0)
    return frame.rename(columns={"missing": "unmet"})[
        ["dimension", "target_year", "indicators", "earliest_year", "late_by", "unmet"]
    ]
