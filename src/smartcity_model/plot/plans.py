"""Charts of a masterplan itself: its framework, roadmap, OPD network and budget."""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from typing import Any, cast

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.projections.polar import PolarAxes

from smartcity_model.budget import (
    BUDGET_KEY_NAMES,
    BUDGET_KEYS,
    HORIZON_NAMES,
    SOURCE_NAMES,
    STATUS_NAMES,
    UNASSIGNED,
    budget_summary,
    horizon_of,
)
from smartcity_model.graph import collaboration_network, opd_metrics
from smartcity_model.i18n import N_, _, language, n_
from smartcity_model.model import Framework, Horizon, Initiative, InitiativeStatus, Masterplan
from smartcity_model.model.sectors import SECTORS
from smartcity_model.plot._args import PlotError, choose
from smartcity_model.plot._style import (
    A4_WIDTH,
    DARK,
    GREY,
    capitalised,
    clean,
    dimension_colours,
    framework_labels,
    localise,
    new_figure,
    note,
    number,
    palette,
    shorten,
    styled,
    tint,
    title,
)

__all__ = ["budget", "framework", "network", "roadmap"]

FRAMEWORK_KINDS: tuple[str, ...] = ("sunburst", "tree")
HORIZON_COLOURS: dict[str, str] = {
    Horizon.QUICK_WIN.value: "#D55E00",
    Horizon.SHORT.value: "#E69F00",
    Horizon.MEDIUM.value: "#56B4E9",
    Horizon.LONG.value: "#0072B2",
}
STATUS_COLOURS: dict[str, str] = {
    InitiativeStatus.PLANNED.value: "#56B4E9",
    InitiativeStatus.ONGOING.value: "#0072B2",
    InitiativeStatus.DONE.value: "#009E73",
    InitiativeStatus.POSTPONED.value: "#E69F00",
    InitiativeStatus.CANCELLED.value: "#999999",
}
SOURCE_COLOURS: dict[str, str] = {
    "apbd": "#0072B2",
    "apbd_provinsi": "#56B4E9",
    "apbn": "#E69F00",
    "dak": "#F0E442",
    "dana_desa": "#D55E00",
    "blud": "#882255",
    "hibah": "#44AA99",
    "kpbu": "#009E73",
    "csr": "#CC79A7",
    "other": "#999999",
}
#: Units of rupiah amounts, largest first: (size, name).
RUPIAH_UNITS: tuple[tuple[float, str], ...] = (
    (1e12, N_("trillion rupiah")),
    (1e9, N_("billion rupiah")),
    (1e6, N_("million rupiah")),
)
ARROW = "#404040"
#: How many bars side by side keep their names level; more are written slanting.
MANY_YEARS = 12
#: A roadmap row: horizon rank, start, end, id, the initiative and its horizon.
FloatArray = npt.NDArray[np.float64]
_Item = tuple[int, int, int, str, Initiative, str]
_HORIZON_RANK = {Horizon.QUICK_WIN.value: 0, Horizon.SHORT.value: 1, Horizon.MEDIUM.value: 2, Horizon.LONG.value: 3}


def _framework_of(source: object) -> tuple[Framework, Masterplan | None]:
    if isinstance(source, Masterplan):
        return source.framework, source
    if isinstance(source, Framework):
        return source, None
    message = _("framework needs a Framework or a Masterplan, not {kind}")
    raise PlotError(message.format(kind=type(source).__name__))


def _framework_name(framework: Framework) -> str:
    return clean(framework.name_en if language() == "en" and framework.name_en else framework.name)


def _wrapped(text: str, width: int, lines: int = 2) -> str:
    parts = textwrap.wrap(text, width) or [text]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], shorten(" ".join(parts[lines - 1 :]), width)]
    return "\n".join(parts)


def _display_angle(theta: float) -> float:
    """Return, in degrees, where ``theta`` of a clockwise radar starting at the top points on the page."""
    return (90.0 - math.degrees(theta)) % 360.0


@styled
def framework(framework_or_plan: Framework | Masterplan, *, kind: str = "sunburst") -> Figure:
    """Draw a framework: dimensions, their elements and, for a plan, the indicators of each element.

    Parameters
    ----------
    framework_or_plan
        A :class:`~smartcity_model.model.Framework`, or a :class:`~smartcity_model.Masterplan`
        whose indicators are drawn too.
    kind
        ``sunburst`` (rings from the centre out) or ``tree`` (an indented outline).

    Returns
    -------
    matplotlib.figure.Figure
        Each dimension in its colour, its elements and indicators in lighter tints.
    """
    chosen = choose(N_("kind"), kind, FRAMEWORK_KINDS)
    frame, plan = _framework_of(framework_or_plan)
    names = {key: clean(name) or key for key, name in framework_labels(frame).items()}
    colours = dimension_colours([d.id for d in frame.dimensions])
    by_element: dict[str, list[tuple[str, str]]] = {e.id: [] for e in frame.elements}
    if plan is not None:
        for indicator in plan.indicators:
            by_element.setdefault(indicator.element, []).append((indicator.id, indicator.label(language())))
    counts = [
        n_("{n} dimension", "{n} dimensions", len(frame.dimensions)).format(n=len(frame.dimensions)),
        n_("{n} element", "{n} elements", len(frame.elements)).format(n=len(frame.elements)),
    ]
    if plan is not None:
        counts.append(n_("{n} indicator", "{n} indicators", len(plan.indicators)).format(n=len(plan.indicators)))
    if chosen == "tree":
        figure = _tree(frame, by_element if plan is not None else None, names, colours)
    else:
        figure = _sunburst(frame, by_element if plan is not None else None, names, colours)
    title(figure, shorten(_framework_name(frame), 70))
    note(figure, ", ".join(counts), figure.axes[0])
    return figure


def _tree(
    frame: Framework,
    indicators: dict[str, list[tuple[str, str]]] | None,
    names: dict[str, str],
    colours: dict[str, str],
) -> Figure:
    rows: list[tuple[int, str, str, int]] = [(0, _framework_name(frame), DARK, -1)]
    for dimension in frame.dimensions:
        colour = colours[dimension.id]
        rows.append((1, names[dimension.id], colour, 0))
        dimension_row = len(rows) - 1
        for element in dimension.elements:
            rows.append((2, names[element.id], tint(colour, 0.25), dimension_row))
            element_row = len(rows) - 1
            for indicator_id, indicator_name in (indicators or {}).get(element.id, []):
                rows.append((3, f"{clean(indicator_name)} ({indicator_id})", tint(colour, 0.5), element_row))
    figure = new_figure(0.8 + 0.17 * len(rows))
    axes = figure.add_subplot()
    indent = 0.6
    segments = []
    for n, (depth, _text, _colour, parent) in enumerate(rows):
        if parent >= 0:
            x = (depth - 1) * indent
            segments.append([(x, parent), (x, n), (x + indent * 0.8, n)])
    axes.add_collection(LineCollection(segments, colors="#bfbfbf", linewidths=0.7))
    sizes = {0: 9.0, 1: 8.5, 2: 7.5, 3: 6.5}
    for n, (depth, text, colour, _parent) in enumerate(rows):
        x = depth * indent - (0.2 if depth else 0)
        axes.scatter([x], [n], s=18 if depth < 3 else 9, color=colour, zorder=3)  # noqa: PLR2004 - indicators smaller
        axes.text(
            x + 0.12,
            n,
            shorten(text, 90),
            va="center",
            fontsize=sizes[depth],
            fontweight="bold" if depth < 2 else "normal",  # noqa: PLR2004 - the root and the dimensions
            color=DARK,
        )
    axes.set_xlim(-0.3, 8.0)
    axes.set_ylim(len(rows) - 0.4, -0.6)
    axes.set_axis_off()
    return figure


def _sunburst(
    frame: Framework,
    indicators: dict[str, list[tuple[str, str]]] | None,
    names: dict[str, str],
    colours: dict[str, str],
) -> Figure:
    figure = new_figure(A4_WIDTH)
    axes = cast("PolarAxes", figure.add_subplot(projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_axis_off()
    leaves = {e.id: max(1, len(indicators.get(e.id, []))) if indicators is not None else 1 for e in frame.elements}
    step = 2 * math.pi / sum(leaves.values())
    rings = (0.28, 0.55, 0.8, 1.0) if indicators is not None else (0.3, 0.6, 1.0, 1.0)
    start = 0.0
    for d, dimension in enumerate(frame.dimensions):
        colour = colours[dimension.id]
        width = step * sum(leaves[e.id] for e in dimension.elements)
        axes.bar(
            start,
            rings[1] - rings[0],
            width=width,
            bottom=rings[0],
            align="edge",
            color=colour,
            edgecolor="white",
            linewidth=1.0,
            gid=f"dimension-{d}",
        )
        _ring_label(
            axes,
            start + width / 2,
            (rings[0] + rings[1]) / 2,
            _wrapped(names[dimension.id], 14),
            tangential=True,
            size=7,
            colour="white",
            bold=True,
        )
        element_start = start
        for element in dimension.elements:
            span = step * leaves[element.id]
            axes.bar(
                element_start,
                rings[2] - rings[1],
                width=span,
                bottom=rings[1],
                align="edge",
                color=tint(colour, 0.35),
                edgecolor="white",
                linewidth=0.8,
            )
            room = 16 if indicators is not None else 24
            _ring_label(
                axes,
                element_start + span / 2,
                (rings[1] + rings[2]) / 2,
                _wrapped(names[element.id], room),
                size=6,
                colour=DARK,
            )
            if indicators is not None:
                own = indicators.get(element.id, [])
                for i in range(leaves[element.id]):
                    theta = element_start + i * step
                    filled = i < len(own)
                    axes.bar(
                        theta,
                        rings[3] - rings[2],
                        width=step,
                        bottom=rings[2],
                        align="edge",
                        color=tint(colour, 0.6) if filled else "#f2f2f2",
                        edgecolor="white",
                        linewidth=0.5,
                    )
                    if filled:
                        _ring_label(
                            axes,
                            theta + step / 2,
                            (rings[2] + rings[3]) / 2,
                            shorten(own[i][0], 16),
                            size=4.5,
                            colour=DARK,
                        )
            element_start += span
        start += width
    axes.text(
        0,
        0,
        _wrapped(_framework_name(frame), 14, 3),
        ha="center",
        va="center",
        fontsize=8,
        fontweight="bold",
        color=DARK,
    )
    axes.set_ylim(0, rings[3])
    return figure


def _ring_label(  # noqa: PLR0913 - where and how one label of a ring is written
    axes: Axes,
    theta: float,
    radius: float,
    text: str,
    *,
    tangential: bool = False,
    size: float,
    colour: str,
    bold: bool = False,
) -> None:
    """Write ``text`` at (``theta``, ``radius``), along the ring or across it, never upside down."""
    angle = _display_angle(theta)
    if tangential:
        rotation = angle - 90 if 0 <= angle <= 180 else angle + 90  # noqa: PLR2004 - the lower half flips
    else:
        rotation = angle if (angle <= 90 or angle >= 270) else angle - 180  # noqa: PLR2004 - the left half flips
    axes.text(
        theta,
        radius,
        text,
        rotation=rotation % 360,
        rotation_mode="anchor",
        ha="center",
        va="center",
        fontsize=size,
        color=colour,
        fontweight="bold" if bold else "normal",
        linespacing=1.0,
    )


@styled
def roadmap(plan: Masterplan, schedule: pd.DataFrame | None = None) -> Figure:
    """Draw the plan's initiatives as a Gantt chart by horizon and year, prerequisites as arrows.

    Parameters
    ----------
    plan
        The masterplan; each initiative runs over :meth:`~smartcity_model.Masterplan.schedule`, in
        its horizon's colour; quick wins are starred, postponed and cancelled ones hatched.
    schedule
        A :func:`~smartcity_model.schedule` table: each initiative is drawn over its earliest years
        instead, the years it can slip into in light grey, the critical ones outlined, and those
        that cannot happen hatched at their planned years.

    Returns
    -------
    matplotlib.figure.Figure
        A row per initiative, grouped by horizon; an arrow from each prerequisite to what depends on it.
    """
    if not isinstance(plan, Masterplan):
        message = _("roadmap needs a Masterplan, not {kind}")
        raise PlotError(message.format(kind=type(plan).__name__))
    rows = {} if schedule is None else {str(row["initiative"]): row for row in schedule.to_dict("records")}
    items = _roadmap_items(plan, rows)
    period = plan.period
    heading = n_("Roadmap {period}: {n} initiative", "Roadmap {period}: {n} initiatives", len(items))
    figure = new_figure(1.6 + 0.2 * len(items))
    axes = figure.add_subplot()
    title(figure, heading.format(period=f"{period.start}–{period.end}", n=len(items)))
    if not items:
        axes.text(0.5, 0.5, _("The plan has no initiatives."), transform=axes.transAxes, ha="center", color=GREY)
        axes.set_axis_off()
        return figure
    quiet = {InitiativeStatus.POSTPONED, InitiativeStatus.CANCELLED}
    blocked = {name for name, row in rows.items() if pd.isna(row["earliest_start"])}
    critical = {name for name, row in rows.items() if row["critical"] is True}
    for n, (_order, start, end, name, initiative, horizon) in enumerate(items):
        faded = initiative.status in quiet or name in blocked
        axes.barh(
            n,
            end - start + 1,
            left=start,
            height=0.62,
            color=HORIZON_COLOURS[horizon],
            alpha=0.45 if faded else 1.0,
            hatch="////" if faded else None,
            edgecolor=DARK if name in critical else "white",
            linewidth=1.4 if name in critical else 0.5,
            gid=f"initiative-{n}",
        )
        row = rows.get(name)
        if row is not None and name not in blocked and int(row["slack"]) > 0:
            axes.barh(n, int(row["slack"]), left=end + 1, height=0.3, color=GREY, alpha=0.35, gid=f"slack-{n}")
    quick = [n for n, item in enumerate(items) if item[5] == Horizon.QUICK_WIN.value]
    if quick:
        axes.scatter(
            [items[n][1] - 0.25 for n in quick], quick, marker="*", s=42, color=DARK, zorder=4, gid="quick-wins"
        )
    arrows = _arrows(axes, items)
    _years(axes, items, first=min(period.start, *(i[1] for i in items)), last=max(period.end, *(i[2] for i in items)))
    handles = _roadmap_legend(items, rows, blocked, critical, arrows=bool(arrows))
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4))
    return figure


def _roadmap_items(plan: Masterplan, rows: Mapping[str, Mapping[Hashable, Any]]) -> list[_Item]:
    """Return the chart's rows in horizon and year order, at the schedule's earliest years where it has them."""
    items: list[_Item] = []
    for initiative in plan.initiatives:
        start, end = plan.schedule(initiative)
        row = rows.get(initiative.id)
        if row is not None and not pd.isna(row["earliest_start"]):
            start, end = int(row["earliest_start"]), int(row["earliest_finish"])
        horizon = horizon_of(plan, initiative).value
        items.append((_HORIZON_RANK[horizon], start, end, initiative.id, initiative, horizon))
    items.sort(key=lambda item: item[:4])
    return items


def _roadmap_legend(
    items: list[_Item],
    rows: Mapping[str, Mapping[Hashable, Any]],
    blocked: set[str],
    critical: set[str],
    *,
    arrows: bool,
) -> list[Patch | Line2D]:
    """Return the legend of the roadmap: horizons, then what the chart shows beyond them."""
    quiet = {InitiativeStatus.POSTPONED, InitiativeStatus.CANCELLED}
    horizons = [h for h in HORIZON_NAMES if any(item[5] == h for item in items)]
    handles: list[Patch | Line2D] = [Patch(color=HORIZON_COLOURS[h], label=_(HORIZON_NAMES[h])) for h in horizons]
    if any(item[4].status in quiet or item[3] in blocked for item in items):
        label = _("Cannot happen, postponed or cancelled") if blocked else _("Postponed or cancelled")
        handles.append(Patch(facecolor="white", edgecolor=GREY, hatch="////", label=label))
    if critical:
        handles.append(Patch(facecolor="white", edgecolor=DARK, linewidth=1.4, label=_("Critical")))
    if any(int(row["slack"]) > 0 for name, row in rows.items() if name not in blocked):
        handles.append(Patch(color=GREY, alpha=0.35, label=_("Years it can slip into")))
    if arrows:
        arrow = Line2D(
            [], [], color=ARROW, linewidth=0.7, marker=">", markersize=4, label=_("Prerequisite → dependent")
        )
        handles.append(arrow)
    return handles


def _arrows(axes: Axes, items: list[_Item]) -> int:
    """Draw an arrow from the end of each prerequisite to the start of what depends on it; return how many.

    Arrows leaving in the same year are set a little apart, each on a line of its own, so that
    which prerequisite leads to which initiative can be followed.
    """
    row = {item[3]: n for n, item in enumerate(items)}
    pairs = [
        (row[prerequisite], n, start)
        for n, (_order, start, _end, _id, initiative, _horizon) in enumerate(items)
        for prerequisite in initiative.depends_on
        if prerequisite in row
    ]
    leaving: dict[int, int] = {}  # arrows already leaving at each year's end
    count = 0
    for m, n, start in pairs:
        end = items[m][2] + 1
        offset = min(leaving.get(end, 0), 5) * 0.12
        leaving[end] = leaving.get(end, 0) + 1
        arrow = FancyArrowPatch(
            (end - offset, m),
            (start, n),
            arrowstyle="-|>",
            mutation_scale=7,
            linewidth=0.7,
            color=ARROW,
            connectionstyle="angle,angleA=-90,angleB=180,rad=0",
            shrinkA=0,
            shrinkB=0,
            zorder=5,
        )
        arrow.set_gid(f"dependency-{count}")
        axes.add_patch(arrow)
        count += 1
    return count


def _years(axes: Axes, items: list[_Item], *, first: int, last: int) -> None:
    """Lay out the roadmap's axes: a column per year, a row per initiative, a line between horizons."""
    axes.set_yticks(range(len(items)), labels=[shorten(item[4].label(language()), 44) for item in items], fontsize=7)
    axes.set_ylim(len(items) - 0.4, -0.6)
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(first - 0.5, last + 1.1)
    ticks = list(range(first, last + 1))
    axes.set_xticks([t + 0.5 for t in ticks], labels=[str(t) for t in ticks])
    axes.tick_params(axis="x", length=0)
    axes.vlines(range(first, last + 2), -0.6, len(items) - 0.4, colors="#e6e6e6", linewidths=0.6, zorder=0)
    for n in range(1, len(items)):
        if items[n][0] != items[n - 1][0]:
            axes.axhline(n - 0.5, color="#bfbfbf", linewidth=0.7)
    axes.set_xlabel(_("Year"))


def _sector_name(sector: str) -> str:
    known = SECTORS.get(sector)
    if known is None:
        return clean(sector)
    return known.name_en if language() == "en" else known.name_id


@styled
def network(plan: Masterplan, *, seed: int = 7) -> Figure:
    """Draw the collaboration network: which OPDs and partners work together on the plan's initiatives.

    Parameters
    ----------
    plan
        The masterplan (see :func:`~smartcity_model.collaboration_network` and
        :func:`~smartcity_model.opd_metrics`).
    seed
        Seed of the spring layout: the same plan and seed give the same drawing.

    Returns
    -------
    matplotlib.figure.Figure
        OPDs labelled by acronym (else id), sized by the initiatives they take part in and coloured
        by sector, and the partners beyond government as diamonds; a line's width counts the
        initiatives two of them share.
    """
    if not isinstance(plan, Masterplan):
        message = _("network needs a Masterplan, not {kind}")
        raise PlotError(message.format(kind=type(plan).__name__))
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise PlotError(_("seed must be a whole number, not {value}").format(value=repr(seed)))
    graph = collaboration_network(plan)
    metrics = opd_metrics(plan, graph)
    edges: list[tuple[str, str, int]] = sorted(graph.edges(data="weight"), key=lambda edge: (edge[0], edge[1]))
    opds = [node for node in graph.nodes if graph.nodes[node]["kind"] == "opd"]
    partners = [node for node in graph.nodes if graph.nodes[node]["kind"] == "stakeholder"]
    counted = [n_("{n} OPD", "{n} OPDs", len(opds)).format(n=len(opds))]
    if partners:
        counted.append(n_("{n} partner", "{n} partners", len(partners)).format(n=len(partners)))
    counted.append(n_("{n} link", "{n} links", len(edges)).format(n=len(edges)))
    heading = _("OPD collaboration network: {counts}").format(counts=", ".join(counted))
    figure = new_figure(5.6)
    axes = figure.add_subplot()
    axes.set_axis_off()
    title(figure, heading)
    if graph.number_of_nodes() == 0:
        axes.text(0.5, 0.5, _("The plan has no OPDs."), transform=axes.transAxes, ha="center", color=GREY)
        return figure
    positions = nx.spring_layout(graph, seed=seed, weight="weight", iterations=200)
    sectors = sorted({str(graph.nodes[node]["sector"]) for node in opds})
    sector_colours = dict(zip(sectors, palette(len(sectors)), strict=True))
    if edges:
        widest = max(float(weight) for _a, _b, weight in edges)
        segments = [[tuple(positions[a]), tuple(positions[b])] for a, b, _w in edges]
        widths = [0.4 + 2.6 * float(weight) / widest for _a, _b, weight in edges]
        lines = LineCollection(segments, linewidths=widths, colors="#9e9e9e", alpha=0.6, zorder=1)
        lines.set_gid("links")
        axes.add_collection(lines)
    taking_part = metrics["initiatives"].reindex(opds).fillna(0).to_numpy(dtype=float)
    xy = np.array([positions[node] for node in opds]) if opds else np.empty((0, 2))
    axes.scatter(
        xy[:, 0],
        xy[:, 1],
        s=30 + 26 * taking_part,
        c=[sector_colours[str(graph.nodes[n]["sector"])] for n in opds],
        edgecolors="white",
        linewidths=0.8,
        zorder=2,
        gid="opds",
    )
    if partners:
        joined = Counter(partner for initiative in plan.initiatives for partner in initiative.stakeholders)
        where = np.array([positions[node] for node in partners])
        axes.scatter(
            where[:, 0],
            where[:, 1],
            s=[30 + 26 * joined[node] for node in partners],
            marker="D",
            c=_PARTNER_COLOUR,
            edgecolors="white",
            linewidths=0.8,
            zorder=2,
            gid="partners",
        )
    names = {opd.id: clean(opd.acronym or "") or opd.id for opd in plan.opds}
    names |= {
        partner.id: clean(partner.acronym or "") or shorten(clean(partner.label(language())) or partner.id, 18)
        for partner in plan.stakeholders
    }
    for n, node in enumerate([*opds, *partners]):
        x, y = positions[node]
        axes.text(
            x,
            y,
            names.get(node, node),
            gid=f"opd-{n}" if n < len(opds) else f"partner-{n - len(opds)}",
            ha="center",
            va="center",
            fontsize=6.5,
            color=DARK,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
        )
    axes.margins(0.08)
    axes.set_aspect("equal", adjustable="datalim")
    handles = [Patch(color=sector_colours[s], label=shorten(_sector_name(s), 34)) for s in sectors]
    if partners:
        handles.append(Patch(color=_PARTNER_COLOUR, label=_("Partner beyond government")))
    figure.legend(handles=handles, loc="outside lower center", ncols=3, title=_("Sector"), fontsize=6.5)
    note(figure, _("Circle size: initiatives taken part in; line width: initiatives shared."), axes)
    return figure


#: The colour of the partners beyond government in the network (diamonds).
_PARTNER_COLOUR = "#5d4037"


def _budget_names(plan: Masterplan, key: str) -> Callable[[object], str]:
    """Return how the values of a budget key are named: sources, horizons, statuses translated, others as written."""
    translated = {"source": SOURCE_NAMES, "horizon": HORIZON_NAMES, "status": STATUS_NAMES}.get(key)
    if translated is not None:
        words = translated
        return lambda value: _(words.get(str(value), str(value)))
    names: dict[str, str] = {UNASSIGNED: _("No dimension"), **framework_labels(plan.framework)}
    if key == "opd":
        names = {opd.id: clean(opd.acronym or "") or clean(opd.label(language())) or opd.id for opd in plan.opds}
    elif key == "initiative":
        names = {initiative.id: clean(initiative.label(language())) or initiative.id for initiative in plan.initiatives}
    return lambda value: shorten(names.get(str(value), str(value)), 44)


def _budget_colours(plan: Masterplan, key: str, values: list[str]) -> list[str]:
    fixed = {"source": SOURCE_COLOURS, "horizon": HORIZON_COLOURS, "status": STATUS_COLOURS}.get(key)
    if fixed is not None:
        return [fixed.get(value, GREY) for value in values]
    if key == "dimension":
        colours = dimension_colours([d.id for d in plan.framework.dimensions])
        return [colours.get(value, GREY) for value in values]
    return palette(len(values))


@styled
def budget(plan: Masterplan, *, by: str = "year", stack: str | None = "source") -> Figure:
    """Draw the plan's budget as stacked bars (see :func:`~smartcity_model.budget_summary`).

    Parameters
    ----------
    plan
        The masterplan.
    by
        What each bar totals: ``year``, ``source``, ``opd``, ``dimension``, ``horizon``,
        ``initiative`` or ``status`` (money of an initiative serving several dimensions is shared
        among them).
    stack
        What the segments of a bar show (one of the same keys, not ``by``), or ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        Amounts in million, billion or trillion rupiah, each bar's total written above it.
    """
    if not isinstance(plan, Masterplan):
        message = _("budget needs a Masterplan, not {kind}")
        raise PlotError(message.format(kind=type(plan).__name__))
    chosen = choose(N_("budget key"), by, BUDGET_KEYS)
    layer = None if stack is None else choose(N_("budget key"), stack, BUDGET_KEYS)
    if layer == chosen:
        message = _("stack must differ from by (both are {key}); choose another key or stack=None")
        raise PlotError(message.format(key=repr(chosen)))
    table = _budget_table(plan, chosen, layer)
    totals = table.sum(axis=1)
    largest = float(totals.max()) if len(totals) else 0.0
    size, unit = next(((s, u) for s, u in RUPIAH_UNITS if largest >= s), RUPIAH_UNITS[-1])
    columns = [str(c) for c in table.columns]
    across = chosen in {"opd", "initiative", "dimension"}
    figure = new_figure(1.8 + 0.22 * len(table) if across else 3.8)
    axes = figure.add_subplot()
    layer_of = _budget_names(plan, layer) if layer is not None else str
    colours = _budget_colours(plan, layer, columns) if layer is not None else ["#0072B2"]
    base = np.zeros(len(table))
    positions = np.arange(len(table))
    for c, (column, colour) in enumerate(zip(columns, colours, strict=True)):
        values = table[column].to_numpy(dtype=float) / size
        label = layer_of(column) if layer else None
        if across:
            drawn = axes.barh(positions, values, 0.7, base, color=colour, label=label, edgecolor="white", linewidth=0.4)
        else:
            drawn = axes.bar(positions, values, 0.7, base, color=colour, label=label, edgecolor="white", linewidth=0.4)
        for n, patch in enumerate(drawn):
            patch.set_gid(f"budget-{c}-{n}")
        base += values
    label_of = _budget_names(plan, chosen)
    _budget_axes(axes, [label_of(value) for value in table.index], base, across=across)
    axis_label = _("Budget ({unit})").format(unit=_(unit))
    (axes.set_xlabel if across else axes.set_ylabel)(axis_label)
    title(figure, _("Planned budget by {key}").format(key=_(BUDGET_KEY_NAMES[chosen])))
    total = float(totals.sum())
    note(figure, _("Total: {amount} {unit}").format(amount=number(total / size), unit=_(unit)), axes)
    if layer is not None and columns:
        figure.legend(loc="outside right upper", title=capitalised(_(BUDGET_KEY_NAMES[layer])), fontsize=7)
    return figure


def _budget_table(plan: Masterplan, by: str, layer: str | None) -> pd.DataFrame:
    """Return the amounts by ``by`` (rows, every value in order; OPDs and initiatives largest first) × ``layer``."""
    order = [str(value) for value in budget_summary(plan, by)[by]]
    if layer is None:
        summary = budget_summary(plan, by).assign(layer="")
        table = summary.pivot_table(index=by, columns="layer", values="amount", aggfunc="sum", fill_value=0.0)
    else:
        summary = budget_summary(plan, [by, layer])
        table = summary.pivot_table(index=by, columns=layer, values="amount", aggfunc="sum", fill_value=0.0)
        layers = [str(value) for value in budget_summary(plan, layer)[layer]]
        table.columns = table.columns.map(str)
        table = table.reindex(columns=[value for value in layers if value in table.columns])
        table = table.loc[:, (table != 0).any(axis=0)]
    table.index = table.index.map(str)
    table = table.reindex(index=order, fill_value=0.0)
    if by in {"opd", "initiative"}:
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    return table


def _budget_axes(axes: Axes, names: list[str], totals: FloatArray, *, across: bool) -> None:
    """Name the bars, write each total at its end, and lay the grid along the amounts."""
    positions = np.arange(len(names))
    for position, total in zip(positions, totals, strict=True):
        if across:
            axes.text(float(total), float(position), " " + number(total), va="center", fontsize=6.5, color=DARK)
        else:
            axes.text(float(position), float(total), number(total), ha="center", va="bottom", fontsize=6.5, color=DARK)
    if across:
        axes.set_yticks(positions, labels=names)
        axes.set_ylim(len(names) - 0.4, -0.6)
        axes.grid(axis="x")
        axes.tick_params(axis="y", length=0)
        localise(axes.xaxis)
    else:
        crowded = len(names) > MANY_YEARS
        axes.set_xticks(positions, labels=names, rotation=45 if crowded else 0, ha="right" if crowded else "center")
        axes.grid(axis="y")
        axes.tick_params(axis="x", length=0)
        localise(axes.yaxis)
