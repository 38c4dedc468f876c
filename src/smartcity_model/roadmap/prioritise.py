"""What to fund first when the budget is short: the most expected readiness for the money.

:func:`prioritise` chooses the initiatives to keep, at their planned years, so that their
expected gain (:func:`expected_effects`, or gains of your own) is as large as possible while

- no initiative is kept without its prerequisites (done ones count as there; cancelled ones never are),
- each year's spending stays within that year's budget (or each year's and source's),
- optionally, every dimension or every lead OPD keeps at least one initiative,
- ongoing initiatives are kept (unless ``keep_ongoing=False``), and so are those given with ``keep``.

This is a 0-1 knapsack with precedence constraints, solved exactly as a mixed-integer program by
HiGHS through :func:`scipy.optimize.milp` (the ``optimise`` extra: ``pip install
"smartcity-model[optimise]"``). HiGHS is the open solver SciPy ships, fast on these problems,
with no licence or service to set up, and it proves how far from optimal a time-limited answer
can be. Without SciPy (or with ``method="greedy"``) a greedy rule takes initiatives by gain per
rupiah, each with its prerequisites, and the gap to an upper bound (the linear relaxation, or a
fractional knapsack on the whole period's budget without SciPy) is reported instead.

Initiatives the budget still has room for after the choice are kept as well, in plan order:
cutting them would save money nobody asked to save.

Examples
--------
>>> import smartcity_model as scm
>>> plan = scm.load(scm.example_path())
>>> plan_budget = scm.yearly_budget(plan, share=0.7)
>>> result = scm.prioritise(plan, plan_budget)
>>> bool((result.spending["spent"] <= result.spending["budget"] + 1e-6).all())
True
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import suggest, warn_caller
from smartcity_model.i18n import _, format_number
from smartcity_model.model import FundingSource, InitiativeStatus, Masterplan
from smartcity_model.roadmap.effects import BILLION, expected_effects
from smartcity_model.roadmap.schedule import (
    RoadmapError,
    RoadmapWarning,
    checked_ids,
    current_status,
    prerequisite_order,
)
from smartcity_model.scoring.structure import listing, warn

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint

__all__ = ["DECISIONS", "PRIORITY_COLUMNS", "Priorities", "prioritise", "yearly_budget"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Method = Literal["exact", "greedy"]

#: Columns of :attr:`Priorities.table`, in order.
PRIORITY_COLUMNS: tuple[str, ...] = (
    "initiative",
    "name",
    "lead",
    "status",
    "cost",
    "gain",
    "gain_per_billion",
    "decision",
    "reason",
    "why",
)
#: What :func:`prioritise` decides for an initiative.
DECISIONS: tuple[str, ...] = ("fund", "cut", "done", "cancelled")
#: Tolerance on money, in rupiah: spending within a rupiah of the budget fits.
_RUPIAH = 1.0
#: How many times a choice that overspends by the solver's tolerance is solved again.
_ATTEMPTS = 5
#: The status scipy's ``milp`` gives a problem without any feasible choice.
_INFEASIBLE = 2


@dataclass(frozen=True, eq=False)
class Priorities:
    """The initiatives chosen under a budget, what was cut and why, and how good the choice is."""

    table: pd.DataFrame
    """One row per initiative, columns :data:`PRIORITY_COLUMNS` (``gain`` missing for an initiative done or
    cancelled): ``decision`` one of :data:`DECISIONS`;
    ``reason`` a stable code of why a cut initiative is cut (``budget``, ``no-gain``,
    ``prerequisite-cut``, ``prerequisite-cancelled``) and ``why`` the same in words."""
    spending: pd.DataFrame
    """Per year (and source, when the budget is per source): ``budget``, ``planned`` (all the
    plan's initiatives), ``spent`` (the chosen ones) and ``left``."""
    gain: float
    """Expected overall readiness gain of the chosen initiatives, in points."""
    bound: float
    """An upper bound on the gain any choice can reach (equal to ``gain`` when proven optimal)."""
    method: str
    """``exact`` (HiGHS) or ``greedy``."""
    notes: tuple[str, ...] = ()
    """What was assumed."""

    @property
    def chosen(self) -> tuple[str, ...]:
        """Ids of the initiatives funded, in plan order."""
        return tuple(self.table.loc[self.table["decision"] == "fund", "initiative"])

    @property
    def cut(self) -> tuple[str, ...]:
        """Ids of the initiatives cut, in plan order."""
        return tuple(self.table.loc[self.table["decision"] == "cut", "initiative"])

    @property
    def gap(self) -> float:
        """Relative distance to the bound, ``(bound - gain) / bound`` (0 when proven optimal)."""
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.gain) / self.bound)

    def summary(self) -> list[str]:
        """Return the outcome in sentences, in the reader's language."""
        lines = [
            _("{chosen} of {candidates} initiatives funded, {cut} cut; expected gain {gain} points").format(
                chosen=len(self.chosen),
                candidates=len(self.chosen) + len(self.cut),
                cut=len(self.cut),
                gain=format_number(self.gain, 2),
            )
        ]
        if self.method == "exact" and self.gap < 1e-9:  # noqa: PLR2004 - proven optimal, to rounding
            lines.append(_("the choice is optimal (HiGHS)"))
        elif self.method == "exact":
            lines.append(
                _("the choice is within {gap} of the best possible (HiGHS)").format(
                    gap=format_number(self.gap, 4, percent=True)
                )
            )
        else:
            lines.append(
                _("{method}: at most {gap} below the best possible ({bound} points)").format(
                    method=self.method, gap=format_number(self.gap, 2, percent=True), bound=format_number(self.bound, 2)
                )
            )
        return [*lines, *self.notes]


def yearly_budget(
    plan: Masterplan, *, share: float = 1.0, sources: Collection[FundingSource | str] | None = None
) -> dict[int, float]:
    """Return the plan's own spending per year (of ``sources``, default all), times ``share``.

    ``yearly_budget(plan, share=0.7)`` is the budget of a 30 % cut.
    """
    if isinstance(share, bool) or not isinstance(share, int | float) or share < 0 or math.isinf(share):
        msg = _("share must be a number of 0 or more, not {value}").format(value=repr(share))
        raise RoadmapError(msg)
    covered = _sources(sources)
    spending: dict[int, float] = {}
    for initiative in plan.initiatives:
        for line in initiative.budget:
            if covered is None or line.source in covered:
                spending[line.year] = spending.get(line.year, 0.0) + line.amount
    return {year: amount * share for year, amount in sorted(spending.items())}


def _sources(sources: Collection[FundingSource | str] | None) -> set[FundingSource] | None:
    if sources is None:
        return None
    known = [source.value for source in FundingSource]
    bad = [f"{s!r}{suggest(str(s), known)}" for s in sources if str(s) not in known]
    if bad:
        msg = _("unknown funding sources {names}; the sources are {known}").format(
            names=listing(bad), known=", ".join(known)
        )
        raise RoadmapError(msg)
    return {FundingSource(str(source)) for source in sources}


def _budget_table(budget: float | Mapping[int, float] | pd.DataFrame) -> pd.DataFrame:
    """Return the budget as ``year, source, amount`` (``source`` missing: every source)."""
    if isinstance(budget, pd.DataFrame):
        missing = {"year", "amount"} - set(budget.columns)
        if missing:
            msg = _("a budget table needs columns year and amount (and optionally source); missing {names}").format(
                names=", ".join(sorted(missing))
            )
            raise RoadmapError(msg)
        table = budget.assign(source=budget["source"] if "source" in budget.columns else None)[
            ["year", "source", "amount"]
        ]
    elif isinstance(budget, Mapping):
        table = pd.DataFrame({"year": list(budget), "source": None, "amount": list(budget.values())})
    else:
        table = pd.DataFrame({"year": [None], "source": [None], "amount": [budget]})
    amounts = pd.to_numeric(table["amount"], errors="coerce")
    bad = table.loc[amounts.isna() | ~np.isfinite(amounts.fillna(0)) | (amounts < 0), "amount"]
    if not bad.empty:
        msg = _("a budget is an amount of 0 rupiah or more, not {values}").format(values=listing(map(repr, bad)))
        raise RoadmapError(msg)
    table = table.assign(amount=amounts.astype(float))
    if table["source"].notna().any():
        _sources(table["source"].dropna().astype(str).tolist())
        if table["source"].isna().any():
            msg = _("a budget per source gives a source on every row")
            raise RoadmapError(msg)
    keys = ["year", "source"]
    duplicated = table[table.duplicated(keys, keep=False)]
    if not duplicated.empty:
        msg = _("the budget gives {rows} twice").format(
            rows=listing(
                sorted(
                    {f"{y} {s or ''}".strip() for y, s in zip(duplicated["year"], duplicated["source"], strict=True)}
                )
            )
        )
        raise RoadmapError(msg)
    return table


@dataclass
class _Problem:
    """The arrays of one selection problem."""

    ids: list[str]
    candidates: FloatArray  # bool as float: may be chosen
    forced: FloatArray  # bool as float: must be chosen
    gain: FloatArray
    cost: FloatArray  # total covered cost per initiative
    spend: FloatArray  # constraint rows × initiatives
    limit: FloatArray  # per constraint row
    rows: list[tuple[int, str | None]]  # (year, source) per constraint row
    prerequisites: list[list[int]]
    groups: list[tuple[str, list[int]]]  # coverage constraints: name, members
    status: list[InitiativeStatus]  # the status each initiative is chosen by


def _spending_rows(
    plan: Masterplan, budget: pd.DataFrame, covered: set[FundingSource] | None, candidates: FloatArray
) -> tuple[FloatArray, FloatArray, list[tuple[int, str | None]]]:
    """Return the spending of each initiative per budget row (year, or year and source), the limits and the rows."""
    per_source = bool(budget["source"].notna().any())
    if per_source:
        covered = {FundingSource(str(s)) for s in budget["source"]}
    single = bool(budget["year"].isna().all())
    spends: dict[tuple[int, str | None], dict[int, float]] = {}
    for n, item in enumerate(plan.initiatives):
        if not candidates[n]:
            continue
        for line in item.budget:
            if covered is None or line.source in covered:
                key = (line.year, line.source.value if per_source else None)
                amounts = spends.setdefault(key, {})
                amounts[n] = amounts.get(n, 0.0) + line.amount
    limits: dict[tuple[int | None, str | None], float] = {
        (None if single else int(y), None if s is None or pd.isna(s) else str(s)): float(a)
        for y, s, a in zip(budget["year"], budget["source"], budget["amount"], strict=True)
    }
    rows = sorted(spends, key=lambda k: (k[0], str(k[1])))
    unbudgeted = [row for row in rows if (None if single else row[0], row[1]) not in limits]
    if unbudgeted:
        shown = listing(f"{y}" + (f" {s}" if s else "") for y, s in unbudgeted)
        msg = _(
            "the budget gives no amount for {rows}, where initiatives spend; give every year, or one amount"
        ).format(rows=shown)
        raise RoadmapError(msg)
    spend: FloatArray = np.zeros((len(rows), len(plan.initiatives)))
    for r, key in enumerate(rows):
        for n, amount in spends[key].items():
            spend[r, n] = amount
    limit: FloatArray = np.array(
        [limits[(None if single else year, source)] for year, source in rows], dtype=np.float64
    )
    return spend, limit, rows


def _groups(
    plan: Masterplan, candidates: FloatArray, *, every_dimension: bool, every_opd: bool
) -> list[tuple[str, list[int]]]:
    """Return the groups that must keep an initiative: every dimension's, every lead OPD's (candidates only)."""
    members: dict[str, list[int]] = {}
    for n, item in enumerate(plan.initiatives):
        if not candidates[n]:
            continue
        if every_dimension:
            for dimension in plan.dimensions_of(item):
                members.setdefault(_("dimension {name}").format(name=dimension), []).append(n)
        if every_opd:
            members.setdefault(_("OPD {name}").format(name=item.lead), []).append(n)
    return list(members.items())


def _build(  # noqa: PLR0913 - the plan and every option of prioritise
    plan: Masterplan,
    budget: pd.DataFrame,
    gains: Mapping[str, float],
    covered: set[FundingSource] | None,
    *,
    every_dimension: bool,
    every_opd: bool,
    keep_ongoing: bool,
    keep: Collection[str] = (),
) -> _Problem:
    initiatives = plan.initiatives
    ids = [item.id for item in initiatives]
    index = {name: n for n, name in enumerate(ids)}
    now = current_status(plan)  # done or cancelled (or reopened) as last reported; else as the plan says
    closed = (InitiativeStatus.DONE, InitiativeStatus.CANCELLED)
    status = [now[item.id] if {now[item.id], item.status} & set(closed) else item.status for item in initiatives]
    candidates = np.array([s not in (InitiativeStatus.DONE, InitiativeStatus.CANCELLED) for s in status], dtype=float)
    spend, limit, rows = _spending_rows(plan, budget, covered, candidates)
    forced = np.array(
        [(keep_ongoing and s is InitiativeStatus.ONGOING) or name in keep for name, s in zip(ids, status, strict=True)],
        dtype=float,
    )
    prerequisites = [
        [index[dep] for dep in item.depends_on if dep != item.id and status[index[dep]] is not InitiativeStatus.DONE]
        for item in initiatives
    ]
    prerequisite_order(ids, [[index[dep] for dep in item.depends_on if dep != item.id] for item in initiatives])
    groups = _groups(plan, candidates, every_dimension=every_dimension, every_opd=every_opd)
    gain = np.array([float(gains.get(name, 0.0)) for name in ids], dtype=float)
    return _Problem(ids, candidates, forced, gain, spend.sum(axis=0), spend, limit, rows, prerequisites, groups, status)


def _blocked(problem: _Problem) -> BoolArray:
    """Return which initiatives cannot be chosen: not candidates, or waiting on one that cannot be."""
    blocked: BoolArray = problem.candidates == 0
    followers: list[list[int]] = [[] for _ in problem.ids]
    for node, deps in enumerate(problem.prerequisites):
        for dep in deps:
            followers[dep].append(node)
    queue = [int(n) for n in np.flatnonzero(blocked)]
    while queue:
        for follower in followers[queue.pop()]:
            if not blocked[follower]:
                blocked[follower] = True
                queue.append(follower)
    return blocked


def _row_scale(problem: _Problem) -> FloatArray:
    """Return each budget row's scale: HiGHS takes coefficients up to 10^15, rupiah go beyond."""
    largest = np.maximum(problem.limit, problem.spend.max(axis=1, initial=0.0))
    scale: FloatArray = np.maximum(largest, 1.0)
    return scale


def _constraints(problem: _Problem, slack: FloatArray | float = 0.0) -> list[LinearConstraint]:
    """Return the prerequisite, budget and coverage constraints of a problem for HiGHS.

    Budget rows are scaled to at most 1; ``slack`` (rupiah per row) tightens them where the
    solver's tolerance let a choice overspend.
    """
    from scipy.optimize import LinearConstraint  # noqa: PLC0415 - an optional extra
    from scipy.sparse import coo_array  # noqa: PLC0415 - an optional extra

    n = len(problem.ids)
    pairs = [(node, dep) for node, deps in enumerate(problem.prerequisites) for dep in deps]
    constraints = []
    if pairs:
        rows = np.repeat(np.arange(len(pairs)), 2)
        cols = np.asarray(pairs, dtype=np.intp).ravel()
        vals = np.tile([1.0, -1.0], len(pairs))
        precedence = coo_array((vals, (rows, cols)), shape=(len(pairs), n)).tocsr()
        constraints.append(LinearConstraint(precedence, -np.inf, 0.0))
    if len(problem.limit):
        scale = _row_scale(problem)
        constraints.append(
            LinearConstraint(problem.spend / scale[:, None], -np.inf, (problem.limit + _RUPIAH - slack) / scale)
        )
    if problem.groups:
        cover = np.zeros((len(problem.groups), n))
        for g, (_name, members) in enumerate(problem.groups):
            cover[g, members] = 1.0
        constraints.append(LinearConstraint(cover, 1.0, np.inf))
    return constraints


@contextlib.contextmanager
def _solver_output_silenced() -> Iterator[None]:
    """Send what HiGHS prints to the process's standard output (a stray debug line) to the null device.

    The library's callers print tables and JSON on standard output; a solver's own line there
    would break them.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with Path(os.devnull).open("w", encoding="utf-8") as sink:
            os.dup2(sink.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _solve_exact(problem: _Problem, blocked: BoolArray, time_limit: float, tolerance: float) -> tuple[BoolArray, float]:
    """Return the optimal choice (or the best found in ``time_limit``) and HiGHS's bound.

    The choice is checked in rupiah: where the solver's tolerance let it overspend a row, that row
    is tightened by the excess and the problem solved again.
    """
    from scipy.optimize import Bounds, milp  # noqa: PLC0415 - an optional extra

    n = len(problem.ids)
    upper = np.where(blocked, 0.0, 1.0)
    lower = np.minimum(problem.forced, upper)
    slack: FloatArray = np.zeros(len(problem.limit))
    for _attempt in range(_ATTEMPTS):
        with _solver_output_silenced():
            result = milp(
                -problem.gain,
                integrality=np.ones(n, dtype=np.int64),
                bounds=Bounds(lower, upper),
                constraints=_constraints(problem, slack),
                options={"time_limit": time_limit, "mip_rel_gap": tolerance},
            )
        if result.x is None and result.status == _INFEASIBLE:
            raise RoadmapError(_infeasible(problem, blocked))
        if result.x is None:  # out of time (or another stop) before any choice was found
            warn_caller(
                _("HiGHS found no choice within {seconds:g} s ({reason}): a greedy choice is made").format(
                    seconds=time_limit, reason=result.message
                ),
                RoadmapWarning,
            )
            chosen = _solve_greedy(problem, blocked)
            return chosen, max(_relaxed_bound(problem, blocked), float(problem.gain @ chosen))
        chosen = np.round(result.x).astype(bool)
        excess = problem.spend[:, chosen].sum(axis=1) - problem.limit - _RUPIAH
        if not np.any(excess > 0):
            break
        slack = slack + np.maximum(excess, 0.0)
    else:
        chosen = _solve_greedy(problem, blocked)
    bound = -float(result.mip_dual_bound) if result.mip_dual_bound is not None else float(problem.gain @ chosen)
    return chosen, max(bound, float(problem.gain @ chosen))


def _closure(problem: _Problem, node: int, chosen: BoolArray) -> list[int]:
    """Return ``node`` and its prerequisites not yet chosen."""
    stack, seen = [node], {node}
    while stack:
        current = stack.pop()
        for dep in problem.prerequisites[current]:
            if dep not in seen and not chosen[dep]:
                seen.add(dep)
                stack.append(dep)
    return sorted(seen)


def _fits(problem: _Problem, members: list[int], spent: FloatArray) -> bool:
    return bool(np.all(spent + problem.spend[:, members].sum(axis=1) <= problem.limit + _RUPIAH))


def _solve_greedy(problem: _Problem, blocked: BoolArray) -> BoolArray:
    """Return a choice made by gain per rupiah, each initiative with its prerequisites."""
    chosen = np.zeros(len(problem.ids), dtype=bool)
    spent = np.zeros(len(problem.limit))
    must = [n for n in range(len(problem.ids)) if problem.forced[n] and not blocked[n]]
    for node in must:
        members = _closure(problem, node, chosen)
        chosen[members] = True
        spent += problem.spend[:, members].sum(axis=1)
    if np.any(spent > problem.limit + _RUPIAH):
        raise RoadmapError(_infeasible(problem, blocked))
    for _name, group in problem.groups:
        if chosen[group].any():
            continue
        options = [n for n in group if not blocked[n] and _fits(problem, _closure(problem, n, chosen), spent)]
        if not options:
            raise RoadmapError(_infeasible(problem, blocked))
        best = max(options, key=lambda n: (problem.gain[n], -problem.cost[n]))
        members = _closure(problem, best, chosen)
        chosen[members] = True
        spent += problem.spend[:, members].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(problem.cost > 0, problem.gain / problem.cost, np.where(problem.gain > 0, np.inf, 0.0))
    for node in sorted(range(len(problem.ids)), key=lambda n: -ratio[n]):
        if chosen[node] or blocked[node] or problem.gain[node] <= 0:
            continue
        members = _closure(problem, node, chosen)
        if problem.gain[members].sum() > 0 and _fits(problem, members, spent):
            chosen[members] = True
            spent += problem.spend[:, members].sum(axis=1)
    return chosen


def _relaxed_bound(problem: _Problem, blocked: BoolArray) -> float:
    """Return an upper bound on the gain: the LP relaxation with SciPy, else a fractional knapsack."""
    if importlib.util.find_spec("scipy") is not None:
        from scipy.optimize import Bounds, milp  # noqa: PLC0415 - an optional extra

        upper = np.where(blocked, 0.0, 1.0)
        bounds = Bounds(np.minimum(problem.forced, upper), upper)
        with _solver_output_silenced():
            result = milp(-problem.gain, bounds=bounds, constraints=_constraints(problem))
        if result.x is not None:
            return -float(result.fun)
    positive = (~blocked) & (problem.gain > 0)
    total = float(problem.limit.sum())
    order = sorted(
        (int(n) for n in np.flatnonzero(positive)),
        key=lambda n: -(float(problem.gain[n]) / max(float(problem.cost[n]), 1e-9)),
    )
    bound = 0.0
    for node in order:
        if problem.cost[node] <= total:
            bound += problem.gain[node]
            total -= problem.cost[node]
        else:
            bound += problem.gain[node] * total / problem.cost[node]
            break
    return bound


def _infeasible(problem: _Problem, blocked: BoolArray) -> str:
    """Say why no choice fits: the kept initiatives alone overspend, or a group cannot be served."""
    kept = [n for n in range(len(problem.ids)) if problem.forced[n]]
    spent = problem.spend[:, kept].sum(axis=1) if kept else np.zeros(len(problem.limit))
    over = [problem.rows[r] for r in np.flatnonzero(spent > problem.limit + _RUPIAH)]
    if over:
        shown = listing(f"{y}" + (f" {s}" if s else "") for y, s in over)
        return _(
            "the initiatives that must be kept (the ongoing ones, and those asked for) alone spend more than the "
            "budget of {years}; raise the budget, keep fewer, or let ongoing ones be cut (keep_ongoing=False, "
            "--cut-ongoing)"
        ).format(years=shown)
    lonely = [
        name
        for name, members in problem.groups
        if all(
            blocked[n] or not _fits(problem, _closure(problem, n, np.zeros(len(problem.ids), dtype=bool)), spent)
            for n in members
        )
    ]
    if lonely:
        return _("no initiative of {groups} fits the budget (with its prerequisites)").format(groups=listing(lonely))
    return _("no choice keeps something in every dimension or OPD asked for within the budget")


def _fill(problem: _Problem, chosen: BoolArray, blocked: BoolArray) -> BoolArray:
    """Keep, in plan order, every initiative of no negative gain the budget still has room for."""
    chosen = chosen.copy()
    spent = problem.spend[:, chosen].sum(axis=1)
    for node in range(len(problem.ids)):
        if chosen[node] or blocked[node] or problem.gain[node] < 0:
            continue
        if all(chosen[d] for d in problem.prerequisites[node]) and _fits(problem, [node], spent):
            chosen[node] = True
            spent += problem.spend[:, node]
    return chosen


def _reasons(problem: _Problem, chosen: BoolArray) -> tuple[list[str], list[str], list[str]]:
    """Return each initiative's decision, reason code and reason in words."""
    spent = problem.spend[:, chosen].sum(axis=1)
    left = problem.limit - spent
    decisions, codes, words = [], [], []
    for n, status in enumerate(problem.status):
        if status is InitiativeStatus.DONE:
            decisions.append("done")
            codes.append("")
            words.append("")
            continue
        if status is InitiativeStatus.CANCELLED:
            decisions.append("cancelled")
            codes.append("")
            words.append("")
            continue
        if chosen[n]:
            decisions.append("fund")
            codes.append("")
            words.append("")
            continue
        decisions.append("cut")
        cancelled = [problem.ids[d] for d in problem.prerequisites[n] if problem.candidates[d] == 0]
        cut = [problem.ids[d] for d in problem.prerequisites[n] if problem.candidates[d] and not chosen[d]]
        if cancelled:
            codes.append("prerequisite-cancelled")
            words.append(_("waits on {names}, cancelled").format(names=", ".join(cancelled)))
        elif cut:
            codes.append("prerequisite-cut")
            words.append(_("waits on {names}, cut").format(names=", ".join(cut)))
        else:
            short = [problem.rows[r] for r in np.flatnonzero(problem.spend[:, n] > left + _RUPIAH)]
            years = listing(f"{y}" + (f" {s}" if s else "") for y, s in short)
            if problem.gain[n] <= 0:
                codes.append("no-gain")
                words.append(_("no expected gain, and no room left in {years}").format(years=years))
            else:
                codes.append("budget")
                words.append(
                    _("no room left in {years} after initiatives with more gain for the money").format(years=years)
                )
    return decisions, codes, words


def prioritise(  # noqa: PLR0913 - keyword-only options of the public API
    plan: Masterplan,
    budget: float | Mapping[int, float] | pd.DataFrame,
    *,
    sources: Collection[FundingSource | str] | None = None,
    every_dimension: bool = False,
    every_opd: bool = False,
    keep_ongoing: bool = True,
    keep: Iterable[str] = (),
    gains: Mapping[str, float] | pd.Series | None = None,
    method: Method = "exact",
    time_limit: float = 60.0,
    tolerance: float = 1e-6,
) -> Priorities:
    """Choose the initiatives that bring the most expected readiness within ``budget``.

    Parameters
    ----------
    plan
        The masterplan; initiatives are kept or cut at their planned years and amounts.
    budget
        One amount for every year (rupiah), a mapping year → amount, or a table ``year, amount``
        with an optional ``source`` column for a budget per funding source. Every year (and
        source) where initiatives spend needs an amount.
    sources
        The funding sources the budget covers (default: all); lines of other sources are funded
        from elsewhere and never constrain. A budget per source covers the sources it names.
    every_dimension, every_opd
        Keep at least one initiative in every dimension, or for every lead OPD, that has one.
    keep_ongoing
        Ongoing initiatives are kept (default); ``False`` lets them be cut too.
    keep
        Ids of initiatives to keep whatever they bring (a commitment, a legal obligation), with
        their prerequisites.
    gains
        Initiative id → gain to maximise (default: ``gain`` of :func:`expected_effects`).
    method
        ``exact`` (HiGHS, needs SciPy; falls back to ``greedy`` with a warning when it is missing)
        or ``greedy``.
    time_limit
        Seconds HiGHS may take; the best choice found by then is returned with its gap.
    tolerance
        The relative gap to the best possible at which HiGHS stops (default 10⁻⁶); 10⁻⁴ solves a
        plan of 10,000 initiatives in seconds rather than a minute.
    """
    if method not in ("exact", "greedy"):
        msg = _("method must be 'exact' or 'greedy', not {value}").format(value=repr(method))
        raise RoadmapError(msg)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not 0 <= tolerance < 1:
        msg = _("tolerance is a relative gap from 0 to below 1, not {value}").format(value=repr(tolerance))
        raise RoadmapError(msg)
    table = _budget_table(budget)
    covered = _sources(sources)
    wanted = _wanted_gains(plan, gains)
    kept = set(checked_ids(plan, keep, _("keep")))
    problem = _build(
        plan,
        table,
        wanted,
        covered,
        every_dimension=every_dimension,
        every_opd=every_opd,
        keep_ongoing=keep_ongoing,
        keep=kept,
    )
    blocked = _blocked(problem)
    out = sorted(name for name in kept if blocked[problem.ids.index(name)])
    if out:
        msg = _("cannot keep {names}: cancelled or done, or waiting on a cancelled initiative").format(
            names=listing(map(repr, out))
        )
        raise RoadmapError(msg)
    if method == "exact" and importlib.util.find_spec("scipy") is None:
        warn(_('SciPy is not installed: a greedy choice is made (pip install "smartcity-model[optimise]")'))
        method = "greedy"
    if method == "exact":
        chosen, bound = _solve_exact(problem, blocked, time_limit, float(tolerance))
    else:
        chosen = _solve_greedy(problem, blocked)
        bound = max(_relaxed_bound(problem, blocked), float(problem.gain @ chosen))
    chosen = _fill(problem, chosen, blocked)
    gain = float(problem.gain @ chosen)
    bound = max(bound, gain)
    decisions, codes, words = _reasons(problem, chosen)
    notes = _notes(table, problem, covered)
    if gains is not None:
        ungiven = [name for n, name in enumerate(problem.ids) if problem.candidates[n] and name not in wanted]
        if ungiven:
            notes.append(_("no gain given for {names}: each counts 0").format(names=listing(ungiven)))
    costs = problem.spend.sum(axis=0)
    with np.errstate(over="ignore"):  # a cost of a fraction of a rupiah makes it infinite
        per_billion = np.divide(problem.gain * BILLION, costs, out=np.full(len(costs), np.nan), where=costs > 0)
    frame = pd.DataFrame(
        {
            "initiative": problem.ids,
            "name": [item.name for item in plan.initiatives],
            "lead": [item.lead for item in plan.initiatives],
            "status": [status.value for status in problem.status],
            "cost": costs,
            "gain": np.where(problem.candidates > 0, problem.gain, np.nan),
            "gain_per_billion": per_billion,
            "decision": decisions,
            "reason": codes,
            "why": words,
        }
    )
    return Priorities(
        table=frame[list(PRIORITY_COLUMNS)],
        spending=_spending(problem, chosen, per_source=bool(table["source"].notna().any())),
        gain=gain,
        bound=bound,
        method=method,
        notes=tuple(notes),
    )


def _wanted_gains(plan: Masterplan, gains: Mapping[str, float] | pd.Series | None) -> dict[str, float]:
    """Return the gain to maximise of each initiative: given, else expected; refuse unknown ids."""
    if gains is None:
        effects = expected_effects(plan)
        return {str(k): float(v) for k, v in zip(effects["initiative"], effects["gain"], strict=True)}
    wanted = {str(k): float(v) for k, v in gains.items()}
    unknown = sorted(set(wanted) - {item.id for item in plan.initiatives})
    if unknown:
        msg = _("gains names initiatives the plan does not have: {names}").format(names=listing(map(repr, unknown)))
        raise RoadmapError(msg)
    return wanted


def _notes(table: pd.DataFrame, problem: _Problem, covered: set[FundingSource] | None) -> list[str]:
    """Say what the choice assumed: budget rows nothing spends in, sources the budget does not cover."""
    notes: list[str] = []
    if table["year"].notna().any():
        spent_in = set(problem.rows)
        unused = [
            f"{int(year)}" + (f" {source}" if isinstance(source, str) else "")
            for year, source in zip(table["year"], table["source"], strict=True)
            if (int(year), source if isinstance(source, str) else None) not in spent_in
        ]
        if unused:
            notes.append(
                _("the budget of {rows} is not used: no initiative still to fund spends then").format(
                    rows=listing(unused)
                )
            )
    if table["source"].notna().any():
        covered = {FundingSource(str(source)) for source in table["source"]}
    if covered is not None:
        notes.append(
            _("the budget covers {sources}; other sources fund their lines from elsewhere").format(
                sources=", ".join(sorted(source.value for source in covered))
            )
        )
    return notes


def _spending(problem: _Problem, chosen: BoolArray, *, per_source: bool) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": [y for y, _s in problem.rows],
            "source": [s for _y, s in problem.rows],
            "budget": problem.limit,
            "planned": problem.spend.sum(axis=1),
            "spent": problem.spend[:, chosen].sum(axis=1),
        }
    )
    frame["left"] = frame["budget"] - frame["spent"]
    return frame if per_source else frame.drop(columns="source")
