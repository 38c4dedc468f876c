"""The money a masterplan plans: every budget line in one table, and totals by any of its keys.

:func:`budget_lines` gives one row per budget line with the initiative's lead OPD, horizon,
status and dimensions; :func:`budget_summary` totals it by year, funding source, OPD, dimension,
horizon, initiative or status, or by several at once (``by=["year", "source"]``).

An initiative that serves elements of several dimensions has its money shared among them in
equal parts by default (``dimensions="split"``), so that the dimension totals add up to the
plan's total; ``dimensions="full"`` counts the whole amount in each dimension instead (their
sum then exceeds the total, which the summary's ``share`` column shows). Money of an initiative
that names no element is counted under the dimension ``unassigned``.

Examples
--------
>>> import smartcity_model as scm
>>> plan = scm.load(scm.example_path())
>>> by_year = scm.budget_summary(plan, "year")
>>> int(by_year["amount"].sum()) == int(scm.budget_lines(plan)["amount"].sum())
True
>>> list(scm.budget_summary(plan, ["source"]).columns)
['source', 'amount', 'share', 'initiatives', 'lines']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

from smartcity_model.errors import SmartCityError, suggest
from smartcity_model.i18n import N_, _
from smartcity_model.model import FundingSource, Horizon, Initiative, InitiativeStatus, Masterplan

__all__ = [
    "BUDGET_COLUMNS",
    "BUDGET_KEYS",
    "BUDGET_KEY_NAMES",
    "HORIZON_NAMES",
    "SOURCE_NAMES",
    "STATUS_NAMES",
    "BudgetError",
    "budget_lines",
    "budget_summary",
    "horizon_of",
]

#: Columns of :func:`budget_lines`, in order.
BUDGET_COLUMNS: tuple[str, ...] = (
    "initiative",
    "line",
    "name",
    "opd",
    "year",
    "source",
    "amount",
    "horizon",
    "status",
    "dimension",
    "weight",
)
#: Names of the roadmap horizons.
HORIZON_NAMES: dict[str, str] = {
    Horizon.QUICK_WIN.value: N_("Quick win"),
    Horizon.SHORT.value: N_("Short term"),
    Horizon.MEDIUM.value: N_("Medium term"),
    Horizon.LONG.value: N_("Long term"),
}

#: Names of the initiatives' statuses.
STATUS_NAMES: dict[str, str] = {
    InitiativeStatus.PLANNED.value: N_("Planned"),
    InitiativeStatus.ONGOING.value: N_("Ongoing"),
    InitiativeStatus.DONE.value: N_("Done"),
    InitiativeStatus.POSTPONED.value: N_("Postponed"),
    InitiativeStatus.CANCELLED.value: N_("Cancelled"),
}

#: Names of the funding sources (the acronyms are Indonesian in both languages).
SOURCE_NAMES: dict[str, str] = {
    "apbd": "APBD",
    "apbd_provinsi": N_("APBD (province)"),
    "apbn": "APBN",
    "dak": "DAK",
    "dana_desa": "Dana Desa",
    "blud": "BLUD",
    "hibah": N_("Grant (hibah)"),
    "kpbu": N_("KPBU (public-private partnership)"),
    "csr": "CSR",
    "other": N_("Other sources"),
}

#: Names of the keys a budget is totalled by.
BUDGET_KEY_NAMES: dict[str, str] = {
    "year": N_("year"),
    "source": N_("funding source"),
    "opd": N_("OPD"),
    "dimension": N_("dimension"),
    "horizon": N_("horizon"),
    "initiative": N_("initiative"),
    "status": N_("status"),
}

#: What :func:`budget_summary` can total by.
BUDGET_KEYS: tuple[str, ...] = ("year", "source", "opd", "dimension", "horizon", "initiative", "status")
#: The dimension of money an initiative spends without naming an element.
UNASSIGNED = "unassigned"

DimensionRule = Literal["split", "full"]


class BudgetError(SmartCityError, ValueError):
    """A budget summary was asked for by a key or rule that does not exist."""


def horizon_of(plan: Masterplan, initiative: Initiative) -> Horizon:
    """Return an initiative's horizon: its own, else the first whose window holds its last year."""
    if initiative.horizon is not None:
        return initiative.horizon
    _start, end = plan.schedule(initiative)
    for horizon in Horizon:
        if end <= plan.horizons.window(horizon, plan.period)[1]:
            return horizon
    return Horizon.LONG


def _dimensions(plan: Masterplan, initiative: Initiative) -> list[str]:
    """Return the distinct dimensions of an initiative's elements, in framework order."""
    framework = plan.framework
    served = {framework.dimension_of(element).id for element in initiative.elements}
    return [dimension.id for dimension in framework.dimensions if dimension.id in served] or [UNASSIGNED]


def budget_lines(plan: Masterplan, *, dimensions: DimensionRule = "split") -> pd.DataFrame:
    """Return every budget line of the plan, one row per line and dimension served.

    ``amount`` is the line's share for that dimension (``weight`` × the line's amount, the weight
    being 1 / the number of dimensions under ``"split"``, 1 under ``"full"``); summing
    ``amount`` over the rows of one line gives the line's amount under ``"split"``. ``line`` is
    the line's position in the initiative's budget; ``opd`` is the initiative's lead OPD, which
    holds its budget.
    """
    rule = _rule(dimensions)
    rows: list[tuple[object, ...]] = []
    for initiative in plan.initiatives:
        served = _dimensions(plan, initiative)
        weight = 1.0 / len(served) if rule == "split" else 1.0
        horizon = horizon_of(plan, initiative).value
        for position, line in enumerate(initiative.budget):
            rows.extend(
                (
                    initiative.id,
                    position,
                    initiative.name,
                    initiative.lead,
                    line.year,
                    line.source.value,
                    line.amount * weight,
                    horizon,
                    initiative.status.value,
                    dimension,
                    weight,
                )
                for dimension in served
            )
    frame = pd.DataFrame.from_records(rows, columns=list(BUDGET_COLUMNS))
    return frame.astype({"line": "int64", "year": "int64", "amount": "float64", "weight": "float64"})


def budget_summary(
    plan: Masterplan, by: str | Sequence[str] = "year", *, dimensions: DimensionRule = "split"
) -> pd.DataFrame:
    """Total the plan's budget by ``by`` (one of :data:`BUDGET_KEYS`, or several).

    Returns one row per group with ``amount`` (rupiah), ``share`` of the plan's total,
    ``initiatives`` (how many initiatives spend in the group) and ``lines`` (budget lines),
    sorted by the keys. Every year of the plan's period, every funding source and every
    dimension appears when totalled alone, with 0 where nothing is planned: an empty row is an
    answer too.
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise BudgetError(_("give at least one key to total by: {keys}").format(keys=", ".join(BUDGET_KEYS)))
    for key in keys:
        if key not in BUDGET_KEYS:
            message = _("cannot total the budget by {key}{hint}; the keys are {keys}").format(
                key=repr(key), hint=suggest(key, BUDGET_KEYS), keys=", ".join(BUDGET_KEYS)
            )
            raise BudgetError(message)
    if len(set(keys)) != len(keys):
        raise BudgetError(_("each key may be given once, not {keys}").format(keys=", ".join(keys)))
    lines = budget_lines(plan, dimensions=_rule(dimensions))
    lines["key"] = lines["initiative"] + "#" + lines["line"].astype(str)
    total = float(sum(line.amount for initiative in plan.initiatives for line in initiative.budget))
    grouped = lines.groupby(keys, sort=True, dropna=False)
    summary = grouped.agg(amount=("amount", "sum"), initiatives=("initiative", "nunique"), lines=("key", "nunique"))
    if len(keys) == 1:
        summary = summary.reindex(_every(plan, keys[0], summary.index), fill_value=0)
        summary.index.name = keys[0]
    summary = summary.reset_index()
    summary.insert(len(keys) + 1, "share", summary["amount"] / total if total else 0.0)
    return summary.astype({"amount": "float64", "share": "float64", "initiatives": "int64", "lines": "int64"})


def _every(plan: Masterplan, key: str, found: pd.Index) -> pd.Index:
    """Return every value ``key`` can take in this plan (the found ones included), in their order."""
    if key == "year":
        return pd.Index(sorted({*plan.period.years, *map(int, found)}))
    if key == "source":
        return pd.Index([source.value for source in FundingSource])
    if key == "dimension":
        ids = [dimension.id for dimension in plan.framework.dimensions]
        return pd.Index(ids + ([UNASSIGNED] if UNASSIGNED in found else []))
    if key == "horizon":
        return pd.Index([horizon.value for horizon in Horizon])
    return found


def _rule(dimensions: str) -> DimensionRule:
    if dimensions == "split":
        return "split"
    if dimensions == "full":
        return "full"
    message = _("dimensions must be 'split' or 'full', not {value}")
    raise BudgetError(message.format(value=repr(dimensions)))
