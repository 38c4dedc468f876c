"""How the plan is going: initiatives late, not started, under- or over-spent, and what that costs in readiness.

A plan's progress records (:class:`~smartcity_model.Progress`: status, physical progress and
money realised per initiative and year) are read **as of** a year, by default the latest one
reported. Each initiative then has a state:

- ``done`` or ``cancelled`` as reported (or as the plan says, when nothing is reported);
- ``overdue``: its planned end year is past and it is not done;
- ``not started``: its planned start year has come and nothing shows it began (no status past
  ``planned``, no physical progress, no money realised);
- ``under way`` or ``not due`` otherwise.

Money realised is compared with the money planned up to the same year; a record's realised
amount is shared among the funding sources of that year's budget lines in proportion to their
amounts (a record does not say which source paid).

:func:`readiness_gap` sets the readiness the plan can expect had every initiative kept its
schedule beside the readiness it can expect from what was reported done (the physical progress),
and beside the readiness observed and the readiness the plan's targets imply: the difference of
the first two is what the late initiatives cost.

Examples
--------
>>> import smartcity_model as scm
>>> plan = scm.load(scm.example_path())
>>> table = scm.progress_table(plan)  # the example's progress.csv is illustrative, up to 2025
>>> table.attrs["as_of"], list(table.loc[table["state"] == "overdue", "initiative"])
(2025, ['qw-07'])
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.i18n import _
from smartcity_model.model import InitiativeStatus, Masterplan
from smartcity_model.roadmap.effects import indicator_effects, readiness_path
from smartcity_model.roadmap.schedule import RoadmapError, is_missing, schedule
from smartcity_model.scoring.rollup import plan_vs_actual
from smartcity_model.scoring.structure import ScoringError, Structure

__all__ = [
    "PROGRESS_STATES",
    "STATE_COLUMNS",
    "absorption",
    "as_of_year",
    "delivered_shares",
    "progress_table",
    "readiness_gap",
]

#: What :func:`progress_table` says of an initiative.
PROGRESS_STATES: tuple[str, ...] = ("done", "cancelled", "overdue", "not started", "under way", "not due")
#: Columns of :func:`progress_table`, in order.
STATE_COLUMNS: tuple[str, ...] = (
    "initiative",
    "lead",
    "planned_start",
    "planned_finish",
    "status",
    "physical",
    "planned",
    "realised",
    "absorption",
    "state",
    "late_by",
    "reported",
)
_STARTED = {InitiativeStatus.ONGOING, InitiativeStatus.DONE}
_CLOSED = {InitiativeStatus.DONE.value: "done", InitiativeStatus.CANCELLED.value: "cancelled"}


def as_of_year(plan: Masterplan, year: int | None = None) -> int:
    """Return the year monitoring reads the plan as of: ``year``, else the latest reported.

    A plan without progress records is read as of the year before it starts (nothing is due yet)
    unless a year is given.
    """
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int | np.integer):
            msg = _("year must be a whole year, not {value}").format(value=repr(year))
            raise RoadmapError(msg)
        return int(year)
    return max((record.year for record in plan.progress), default=plan.period.start - 1)


def _records(plan: Masterplan, year: int) -> pd.DataFrame:
    """Return the progress records up to ``year``, in year order."""
    frame = pd.DataFrame(
        [
            (r.initiative, r.year, None if r.status is None else r.status.value, r.physical, r.realised)
            for r in plan.progress
            if r.year <= year
        ],
        columns=["initiative", "year", "status", "physical", "realised"],
    )
    return frame.sort_values(["initiative", "year"], kind="stable")


def _absorbed(frame: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Return ``realised / planned`` of each row, missing where nothing is planned."""
    planned = frame["planned"].to_numpy(dtype=float)
    shares: npt.NDArray[np.float64] = np.full(len(frame), np.nan)
    with np.errstate(over="ignore"):  # money planned of a fraction of a rupiah: an infinite share
        np.divide(frame["realised"].to_numpy(dtype=float), planned, out=shares, where=planned > 0)
    return shares


def _number(value: object, missing: float) -> float:
    """Return a table's cell as a float, ``missing`` for an empty one (``None`` or NaN)."""
    return missing if is_missing(value) else float(str(value))


def progress_table(plan: Masterplan, year: int | None = None) -> pd.DataFrame:
    """Return every initiative's state as of ``year`` (default: the latest year reported).

    Columns :data:`STATE_COLUMNS`: ``status`` and ``physical`` as last reported (the plan's own
    status when nothing is); ``planned`` the money of the budget lines up to that year,
    ``realised`` the money reported spent, ``absorption`` their ratio (missing without money
    planned); ``late_by`` the years an overdue initiative is past its end, or a not-started one
    past its start; ``reported`` whether any record speaks of it.
    """
    as_of = as_of_year(plan, year)
    records = _records(plan, as_of)
    last: dict[Hashable, dict[Hashable, Any]] = (
        records.groupby("initiative", sort=False)
        .agg(status=("status", "last"), physical=("physical", "last"), realised=("realised", "sum"))
        .to_dict("index")
    )
    rows = []
    for initiative in plan.initiatives:
        start, end = plan.schedule(initiative)
        reported = initiative.id in last
        found = last.get(initiative.id, {})
        status = found.get("status")
        status = status if isinstance(status, str) else initiative.status.value
        physical = _number(found.get("physical"), np.nan)
        realised = _number(found.get("realised"), 0.0)
        planned = sum(line.amount for line in initiative.budget if line.year <= as_of)
        began = InitiativeStatus(status) in _STARTED or physical > 0 or realised > 0
        if status in _CLOSED:
            state, late = _CLOSED[status], 0
        elif end < as_of:
            state, late = "overdue", as_of - end
        elif start <= as_of and not began:
            state, late = "not started", as_of - start
        elif start <= as_of:
            state, late = "under way", 0
        else:
            state, late = "not due", 0
        rows.append(
            (initiative.id, initiative.lead, start, end, status, physical, planned, realised, state, late, reported)
        )
    frame = pd.DataFrame(
        rows,
        columns=[c for c in STATE_COLUMNS if c != "absorption"],
    )
    frame["absorption"] = _absorbed(frame)
    frame.attrs["as_of"] = as_of
    return frame[list(STATE_COLUMNS)]


def absorption(plan: Masterplan, by: Literal["opd", "source", "year"] = "opd", year: int | None = None) -> pd.DataFrame:
    """Return the money planned and realised up to ``year``, by lead OPD, funding source or year.

    Columns ``<by>, planned, realised, absorption`` (``absorption`` = realised / planned). A
    record's realised amount is shared among the sources of that year's budget lines in proportion
    to their amounts; money realised in a year without budget lines counts under source ``other``.
    """
    if by not in ("opd", "source", "year"):
        msg = _("by must be 'opd', 'source' or 'year', not {value}").format(value=repr(by))
        raise RoadmapError(msg)
    as_of = as_of_year(plan, year)
    lead = {initiative.id: initiative.lead for initiative in plan.initiatives}
    planned = [
        (initiative.lead, line.source.value, line.year, line.amount, 0.0)
        for initiative in plan.initiatives
        for line in initiative.budget
        if line.year <= as_of
    ]
    lines = {
        (initiative.id, year): [(line.source.value, line.amount) for line in initiative.budget if line.year == year]
        for initiative in plan.initiatives
        for year in {line.year for line in initiative.budget}
    }
    realised = []
    for record in plan.progress:
        if record.year > as_of or not record.realised:
            continue
        shares = lines.get((record.initiative, record.year)) or [("other", 1.0)]
        total = sum(amount for _source, amount in shares) or 1.0
        realised += [
            (lead[record.initiative], source, record.year, 0.0, record.realised * amount / total)
            for source, amount in shares
        ]
    frame = pd.DataFrame([*planned, *realised], columns=["opd", "source", "year", "planned", "realised"])
    table = frame.groupby(by, sort=True)[["planned", "realised"]].sum().reset_index()
    table["absorption"] = _absorbed(table)
    table.attrs["as_of"] = as_of
    return table


def delivered_shares(plan: Masterplan, year: int | None = None) -> pd.DataFrame:
    """Return the share of each initiative reported done by year (initiatives × years, 0-1), up to ``year``.

    The physical progress of each record, carried to the following years until the next record; a
    record ``done`` without physical progress counts as 1, ``cancelled`` as 0 from then on. Years
    before an initiative's first record, and after ``year``, are left missing.
    """
    as_of = as_of_year(plan, year)
    years = list(range(plan.period.start, plan.period.end + 1))
    ids = [initiative.id for initiative in plan.initiatives]
    shares = pd.DataFrame(np.nan, index=pd.Index(ids, name="initiative"), columns=years)
    for record in sorted(plan.progress, key=lambda r: r.year):
        if record.year > as_of or record.initiative not in shares.index:
            continue
        share = None if record.physical is None else record.physical / 100
        if record.status is InitiativeStatus.DONE and share is None:
            share = 1.0
        if record.status is InitiativeStatus.CANCELLED:
            share = 0.0
        if share is not None:
            shares.loc[record.initiative, [y for y in years if record.year <= y <= as_of]] = share
    return shares


def readiness_gap(plan: Masterplan, year: int | None = None, levels: Sequence[str] = ("overall",)) -> pd.DataFrame:
    """Return, per year up to ``year``, the readiness expected on schedule and as reported, and what lateness costs.

    Columns ``year, level, node, on_schedule, as_reported, attributable, planned, observed, gap``:
    ``on_schedule`` is :func:`readiness_path` with every initiative on its planned years,
    ``as_reported`` the same with each initiative's share done replaced by what monitoring reports
    (:func:`delivered_shares`), ``attributable = on_schedule - as_reported`` the readiness the late
    initiatives hold back; ``planned``, ``observed`` and ``gap`` are :func:`plan_vs_actual`'s
    (missing where the plan has no target or no observation that year). ``levels`` are the
    structure's levels shown (default the overall score; add ``dimension`` for each dimension).
    """
    as_of = as_of_year(plan, year)
    structure = Structure.from_plan(plan)
    table = schedule(plan)
    keys = ["year", "level", "node"]
    effects = indicator_effects(plan, structure)  # once: both paths share the gains
    on_time = readiness_path(plan, table, structure, effects=effects).rename(columns={"readiness": "on_schedule"})
    reported = readiness_path(plan, table, structure, delivered=delivered_shares(plan, as_of), effects=effects)
    frame = on_time.merge(reported.rename(columns={"readiness": "as_reported"}), on=keys)
    frame["attributable"] = frame["on_schedule"] - frame["as_reported"]
    try:
        compared = plan_vs_actual(plan)[[*keys, "planned", "observed", "gap"]]
    except ScoringError:  # no target or no observation to compare: the expected paths stand alone
        compared = pd.DataFrame(columns=[*keys, "planned", "observed", "gap"])
    frame = frame.merge(compared.astype({"year": "int64"}), on=keys, how="left")
    frame = frame[frame["level"].isin(list(levels)) & (frame["year"] <= as_of)].reset_index(drop=True)
    frame.attrs["as_of"] = as_of
    return frame
