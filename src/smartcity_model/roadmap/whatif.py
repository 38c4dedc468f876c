"""What if an initiative slips or is dropped: what moves, by how much, and what it does to readiness.

:func:`what_if` schedules the plan twice, as written and with the change, and compares the two:
the initiatives that move, the indicator targets that come later (or are no longer met), the
readiness the plan can expect each year (:func:`readiness_path`), and the first year the region
reaches each readiness level in each dimension and overall. That last table is what the
smart-province rule reads: a kabupaten/kota counts toward its province's level only from the
year it reaches that level itself.

Examples
--------
>>> import smartcity_model as scm
>>> plan = scm.load(scm.example_path())
>>> change = scm.what_if(plan, slip={"sh-01": 2})
>>> list(change.moved["initiative"])
['sh-01', 'sh-03', 'sh-04']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartcity_model.i18n import _, format_number, n_
from smartcity_model.model import Masterplan
from smartcity_model.roadmap.effects import indicator_effects, readiness_path
from smartcity_model.roadmap.schedule import Anchor, schedule, target_years
from smartcity_model.scoring.readiness import ReadinessScale, readiness_scale
from smartcity_model.scoring.structure import Structure, listing

__all__ = ["WhatIf", "what_if"]


@dataclass(frozen=True, eq=False)
class WhatIf:
    """The plan's schedule, targets and readiness path before and after a change."""

    before: pd.DataFrame
    """The :func:`schedule` of the plan as written."""
    after: pd.DataFrame
    """The :func:`schedule` with the change."""
    moved: pd.DataFrame
    """Initiatives whose years change: ``initiative, earliest_start_before, earliest_start_after,
    earliest_finish_before, earliest_finish_after, shift, blocked_by`` (``shift`` missing when blocked)."""
    targets: pd.DataFrame
    """Indicator targets whose earliest year changes: ``indicator, dimension, target_year, target,
    earliest_before, earliest_after, shift``."""
    path: pd.DataFrame
    """Readiness each year: ``year, level, node, before, after, change``."""
    reach: pd.DataFrame
    """First year the region reaches each readiness level: ``level, node, readiness_level, name,
    year_before, year_after, shift`` (years missing when the level is not reached within the period)."""
    scale: ReadinessScale
    """The readiness scale the levels are read on."""

    def summary(self) -> list[str]:
        """Return what changed, one sentence per line, in the reader's language."""
        lines = []
        slipped = self.moved.dropna(subset=["shift"])
        if not slipped.empty:
            shown = listing(f"{row['initiative']} ({int(row['shift']):+d})" for row in slipped.to_dict("records"))
            lines.append(
                n_("{n} initiative moves: {names}", "{n} initiatives move: {names}", len(slipped)).format(
                    n=len(slipped), names=shown
                )
            )
        blocked = self.moved[self.moved["shift"].isna()]
        if not blocked.empty:
            lines.append(
                n_(
                    "{n} initiative cannot happen: {names}", "{n} initiatives cannot happen: {names}", len(blocked)
                ).format(n=len(blocked), names=listing(blocked["initiative"]))
            )
        late = self.targets
        if not late.empty:
            shown = listing(
                f"{row['indicator']} {row['target_year']}"
                + (f" ({int(row['shift']):+d})" if not pd.isna(row["shift"]) else _(" (no longer met)"))
                for row in late.to_dict("records")
            )
            lines.append(
                n_("{n} indicator target moves: {targets}", "{n} indicator targets move: {targets}", len(late)).format(
                    n=len(late), targets=shown
                )
            )
        final = self.path[self.path["year"] == self.path["year"].max()]
        overall = final[final["level"] == final["level"].iloc[0]] if not final.empty else final
        lines.extend(
            _("readiness in {year} ({node}): {before} → {after}").format(
                year=row["year"],
                node=row["node"],
                before=format_number(row["before"], 2),
                after=format_number(row["after"], 2),
            )
            for row in overall.to_dict("records")
            if abs(row["change"]) >= 0.005  # noqa: PLR2004 - what shows at two decimals
        )
        moved = self.reach[self.reach["shift"].ne(0) & ~self.reach["shift"].isna()]
        lines.extend(
            _("{node} reaches level {level} ({name}) in {after} instead of {before}").format(
                node=row["node"],
                level=row["readiness_level"],
                name=row["name"],
                after=row["year_after"],
                before=row["year_before"],
            )
            for row in moved.to_dict("records")
        )
        lost = self.reach[self.reach["year_before"].notna() & self.reach["year_after"].isna()]
        lines.extend(
            _("{node} no longer reaches level {level} ({name}) within the plan").format(
                node=row["node"], level=row["readiness_level"], name=row["name"]
            )
            for row in lost.to_dict("records")
        )
        return lines or [_("nothing changes")]


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["earliest_start", "earliest_finish"]
    both = before[["initiative", *keys]].merge(after[["initiative", *keys, "blocked_by"]], on="initiative")
    both.columns = [
        "initiative",
        "earliest_start_before",
        "earliest_finish_before",
        "earliest_start_after",
        "earliest_finish_after",
        "blocked_by",
    ]
    both["shift"] = both["earliest_start_after"] - both["earliest_start_before"]
    changed = both["shift"].ne(0).fillna(value=False) | (both["blocked_by"].notna() & before["blocked_by"].isna())
    columns = [
        "initiative",
        "earliest_start_before",
        "earliest_start_after",
        "earliest_finish_before",
        "earliest_finish_after",
        "shift",
        "blocked_by",
    ]
    return both.loc[changed.astype(bool), columns].reset_index(drop=True)


def _targets(plan: Masterplan, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator", "dimension", "target_year", "target"]
    old = target_years(plan, before)
    new = target_years(plan, after)
    both = old[[*keys, "earliest_year"]].merge(new[[*keys, "earliest_year"]], on=keys, suffixes=("_before", "_after"))
    both = both.rename(columns={"earliest_year_before": "earliest_before", "earliest_year_after": "earliest_after"})
    both["shift"] = both["earliest_after"] - both["earliest_before"]
    changed = both["shift"].ne(0).fillna(value=False) | (
        both["earliest_before"].notna() & both["earliest_after"].isna()
    )
    return both[changed.astype(bool)].reset_index(drop=True)


def _reach(path: pd.DataFrame, scale: ReadinessScale) -> pd.DataFrame:
    rows = []
    for (level, node), group in path.groupby(["level", "node"], sort=False):
        years = group["year"].to_numpy()
        for band in scale.bands:
            first = []
            for column in ("before", "after"):
                hit = np.flatnonzero(scale.levels_of(group[column].to_numpy(dtype=float)) >= band.level)
                first.append(int(years[hit[0]]) if hit.size else None)
            if first == [int(years[0])] * 2:
                continue
            rows.append((level, node, band.level, band.label(), *first))
    frame = pd.DataFrame(rows, columns=["level", "node", "readiness_level", "name", "year_before", "year_after"])
    frame["year_before"] = frame["year_before"].astype("Int64")
    frame["year_after"] = frame["year_after"].astype("Int64")
    frame["shift"] = frame["year_after"] - frame["year_before"]
    return frame


def what_if(
    plan: Masterplan,
    *,
    slip: Mapping[str, int] | None = None,
    drop: Iterable[str] = (),
    anchor: Anchor = "planned",
    scale: str | ReadinessScale = "default",
) -> WhatIf:
    """Compare the plan as written with the plan where initiatives ``slip`` (id → years) or are dropped.

    ``anchor`` is passed to :func:`schedule`; ``scale`` is the readiness scale of :attr:`WhatIf.reach`.
    """
    structure = Structure.from_plan(plan)
    before = schedule(plan, anchor=anchor)
    after = schedule(plan, anchor=anchor, slip=slip, drop=drop)
    keys = ["year", "level", "node"]
    effects = indicator_effects(plan, structure)  # once: the gains are the same before and after
    old = readiness_path(plan, before, structure, effects=effects).rename(columns={"readiness": "before"})
    new = readiness_path(plan, after, structure, effects=effects).rename(columns={"readiness": "after"})
    path = old.merge(new, on=keys)
    path["change"] = path["after"] - path["before"]
    chosen = readiness_scale(scale)
    return WhatIf(
        before=before,
        after=after,
        moved=_moved(before, after),
        targets=_targets(plan, before, after),
        path=path,
        reach=_reach(path, chosen),
        scale=chosen,
    )
