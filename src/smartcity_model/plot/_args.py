"""What the chart functions accept: results, nodes, levels, regions, years and choices, checked."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from smartcity_model.errors import SmartCityError
from smartcity_model.i18n import N_, _
from smartcity_model.model import Framework, Masterplan
from smartcity_model.model.framework import builtin_framework
from smartcity_model.plot._style import framework_labels, shorten
from smartcity_model.scoring import PLAN_LEVELS, TOP_NODE, ProvinceReadiness, RollUp, Structure

#: How many valid values a message lists before it says how many more there are.
SHOWN = 8

Labels = Mapping[str, str] | Masterplan | Framework | None
Result = RollUp | ProvinceReadiness


class PlotError(SmartCityError, ValueError):
    """Arguments a chart cannot be drawn from; the message names the closest valid value."""


def listed(values: Sequence[object]) -> str:
    """Return ``a, b, c and 4 more`` in the current language."""
    shown = ", ".join(str(value) for value in values[:SHOWN])
    if len(values) <= SHOWN:
        return shown
    return _("{shown} and {n} more").format(shown=shown, n=len(values) - SHOWN)


def closest(value: object, known: Sequence[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the known value most like ``value``, or an empty string."""
    matches = difflib.get_close_matches(str(value), list(known), n=1, cutoff=0.6)
    return _(" (did you mean {id}?)").format(id=repr(matches[0])) if matches else ""


def choose(what: str, value: object, known: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``known``, else raise naming the closest (``what``: marked with ``N_``)."""
    if isinstance(value, str) and value in known:
        return value
    message = _("unknown {what} {value}{hint}; choose one of {known}").format(
        what=_(what), value=repr(value), hint=closest(value, known), known=listed(known)
    )
    raise PlotError(message)


def as_rollup(result: object) -> RollUp:
    """Return the regions' roll-up of a :class:`RollUp` or :class:`ProvinceReadiness`."""
    if isinstance(result, ProvinceReadiness):
        return result.regions
    if isinstance(result, RollUp):
        return result
    message = _("charts of scores need the result of roll_up or roll_up_province, not {kind}")
    raise PlotError(message.format(kind=type(result).__name__))


def node_of(structure: Structure, node: object) -> str:
    """Return ``node`` if the structure has it (on any level), else raise naming the closest."""
    return choose(N_("node"), node, list(structure.nodes["node"]))


def level_of(structure: Structure, level: object, *, allowed: Sequence[str] | None = None) -> str:
    """Return ``level`` (default, ``None``: the one below the top) if allowed, else raise naming the closest."""
    if level is None:
        return structure.levels[-2]
    return choose(N_("level"), level, list(allowed if allowed is not None else structure.levels))


def regions_of(rollup: RollUp, regions: object) -> list[str]:
    """Return the regions asked for (all, by default), each checked, in the order given."""
    known = list(rollup.panel.regions)
    if regions is None:
        return known
    wanted = [regions] if isinstance(regions, str) else regions
    if not isinstance(wanted, Iterable):
        message = _("regions must be a list of region ids, not {value}")
        raise PlotError(message.format(value=repr(regions)))
    chosen = [choose(N_("region"), region, known) for region in wanted]
    if not chosen:
        raise PlotError(_("regions is empty; give at least one region id, or None for every region"))
    return list(dict.fromkeys(chosen))


def region_of(rollup: RollUp, region: object) -> str:
    """Return ``region`` if the results have it, else raise naming the closest."""
    return choose(N_("region"), region, list(rollup.panel.regions))


def year_of(rollup: RollUp, year: object, scored: Iterable[int] = ()) -> int:
    """Return ``year`` if the results have it; by default the latest of ``scored``, else the latest year."""
    years = [int(y) for y in rollup.panel.years]
    if year is None:
        candidates = sorted(set(scored) & set(years)) or years
        return candidates[-1]
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or int(year) not in years:
        if isinstance(year, int | np.integer) and not isinstance(year, bool) and years:
            near = min(years, key=lambda y: (abs(y - int(year)), -y))
            hint = _(" (the closest is {year})").format(year=near)
        else:
            hint = ""
        message = _("no scores for the year {year}{hint}; the years are {years}")
        raise PlotError(message.format(year=repr(year), hint=hint, years=listed(years)))
    return int(year)


class Names:
    """The names charts show for ids of regions, nodes, indicators, OPDs and initiatives."""

    def __init__(self, labels: object = None, structure: Structure | None = None) -> None:
        """Collect names from a plan, a framework or a mapping; a masterplan roll-up's nodes are named by default."""
        names: dict[str, str] = {}
        if structure is not None and structure.levels == PLAN_LEVELS:
            names.update(framework_labels(builtin_framework()))
        names[TOP_NODE] = _("Overall")
        if isinstance(labels, Masterplan):
            names[labels.region.id] = labels.region.name
            names.update(framework_labels(labels.framework))
            names.update({indicator.id: indicator.name for indicator in labels.indicators})
        elif isinstance(labels, Framework):
            names.update(framework_labels(labels))
        elif isinstance(labels, Mapping):
            names.update({str(key): str(value) for key, value in labels.items()})
        elif labels is not None:
            message = _("labels must map ids to names, or be a Masterplan or a Framework, not {kind}")
            raise PlotError(message.format(kind=type(labels).__name__))
        self._names = names
        self.plan = labels if isinstance(labels, Masterplan) else None

    def __call__(self, key: object, limit: int = 40) -> str:
        """Return the name of ``key`` (the id itself when none is known), on one line and at most ``limit`` long."""
        return shorten(self._names.get(str(key), str(key)), limit) or shorten(key, limit) or "?"
