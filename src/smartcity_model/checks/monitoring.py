"""Monitoring rules: initiatives overdue, not started, under- or over-spent, and records that contradict themselves.

They read the plan's progress records as of the latest year reported, and say nothing of a plan
whose monitoring has not begun (no records).
"""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import _, format_number
from smartcity_model.model import InitiativeStatus
from smartcity_model.roadmap.monitoring import progress_table

__all__ = ["monitoring_rules"]


def _rupiah(amount: float) -> str:
    return f"Rp {format_number(amount)}"


def monitoring_rules(ctx: Context) -> Iterator[Raw]:
    """Yield overdue, not-started, under- and over-spent initiatives, then inconsistent progress records."""
    plan = ctx.plan
    if not plan.progress:
        return
    thresholds = ctx.config.thresholds
    table = progress_table(plan)
    as_of = table.attrs["as_of"]
    for row in table.to_dict("records"):
        name = str(row["initiative"])
        if row["state"] == "overdue":
            message = _("planned to end in {end}, not done by {year} ({status}, {physical} physical)").format(
                end=row["planned_finish"],
                year=as_of,
                status=row["status"],
                physical="?" if row["physical"] != row["physical"] else f"{row['physical']:g}%",
            )
            yield Raw("initiative-overdue", "initiative", name, message)
        elif row["state"] == "not started":
            message = (
                _("planned to start in {start}; by {year} nothing shows it began").format(
                    start=row["planned_start"], year=as_of
                )
                if row["reported"]
                else _("planned to start in {start}; no progress reported up to {year}").format(
                    start=row["planned_start"], year=as_of
                )
            )
            yield Raw("initiative-not-started", "initiative", name, message)
        planned, realised, share = float(row["planned"]), float(row["realised"]), row["absorption"]
        if not row["reported"] or row["state"] == "not started":
            continue
        if planned > 0 and share < thresholds.min_absorption and row["state"] != "done":
            message = _("{realised} realised of {planned} planned up to {year} ({share})").format(
                realised=_rupiah(realised),
                planned=_rupiah(planned),
                year=as_of,
                share=format_number(share, 0, percent=True),
            )
            yield Raw("initiative-underspent", "initiative", name, message)
        if realised > planned * thresholds.max_absorption:
            message = (
                _("{realised} realised of {planned} planned up to {year} ({share})").format(
                    realised=_rupiah(realised),
                    planned=_rupiah(planned),
                    year=as_of,
                    share=format_number(share, 0, percent=True),
                )
                if planned > 0
                else _("{realised} realised up to {year} with no money planned").format(
                    realised=_rupiah(realised), year=as_of
                )
            )
            yield Raw("initiative-overspent", "initiative", name, message)
    yield from _inconsistent(ctx)


def _inconsistent(ctx: Context) -> Iterator[Raw]:
    """Yield records that contradict themselves or the records before them."""
    last_physical: dict[str, tuple[int, float]] = {}
    for record in sorted(ctx.plan.progress, key=lambda r: (r.initiative, r.year)):
        subject = f"{record.initiative}/{record.year}"
        physical = record.physical
        if record.status is InitiativeStatus.DONE and physical is not None and physical < 100:  # noqa: PLR2004
            message = _("reported done with {physical:g}% physical progress").format(physical=physical)
            yield Raw("progress-inconsistent", "progress", subject, message, (record.initiative,))
        if record.status is InitiativeStatus.PLANNED and ((physical or 0) > 0 or (record.realised or 0) > 0):
            message = _("reported not started (planned) with progress or money realised")
            yield Raw("progress-inconsistent", "progress", subject, message, (record.initiative,))
        before = last_physical.get(record.initiative)
        if physical is not None and before is not None and physical < before[1]:
            message = _("physical progress falls from {before:g}% in {year} to {physical:g}%").format(
                before=before[1], year=before[0], physical=physical
            )
            yield Raw("progress-inconsistent", "progress", subject, message, (record.initiative,))
        if physical is not None:
            last_physical[record.initiative] = (record.year, physical)
