"""Charts of readiness scores: bars, dots, distributions, correlations, contributions, trends, radars."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, cast

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.projections.polar import PolarAxes

from smartcity_model.i18n import N_, _, n_
from smartcity_model.model import Masterplan
from smartcity_model.plot._args import (
    Labels,
    Names,
    PlotError,
    Result,
    as_rollup,
    choose,
    level_of,
    listed,
    node_of,
    region_of,
    regions_of,
    year_of,
)
from smartcity_model.plot._style import (
    DARK,
    GREY,
    MISSING,
    band_colours,
    band_label,
    capitalised,
    clean,
    dimension_colours,
    level_name,
    localise,
    new_figure,
    note,
    number,
    palette,
    percent,
    styled,
    tint,
    title,
)
from smartcity_model.scoring import (
    TOP_NODE,
    ProvinceReadiness,
    ReadinessScale,
    RollUp,
    ScoringError,
    Structure,
    planned_frame,
    roll_up,
)

__all__ = ["bar", "contributions", "correlation", "distribution", "dot", "radar", "trend"]

FloatArray = npt.NDArray[np.float64]
HIGHLIGHT = "#D55E00"
LINE = "#0072B2"
#: Names of the correlation methods, as the colour bar shows them.
METHODS: dict[str, str] = {"pearson": N_("Pearson correlation"), "spearman": N_("Spearman rank correlation")}
DISTRIBUTIONS: tuple[str, ...] = ("box", "violin", "hist")
#: Keyword that lays box and violin plots on their side (``orientation`` from matplotlib 3.10 on).
_SIDEWAYS: dict[str, Any] = (
    {"orientation": "horizontal"}
    if tuple(int(part) for part in mpl.__version__.split(".")[:2]) >= (3, 10)
    else {"vert": False}
)


def _scale(rollup: RollUp) -> ReadinessScale | None:
    """Return the roll-up's readiness scale, or ``None`` when its scores are not on 0–100."""
    try:
        rollup.readiness()
    except ScoringError:
        return None
    return rollup.scale


def _levels(scale: ReadinessScale, scores: FloatArray) -> list[int | None]:
    return [None if math.isnan(level) else int(level) for level in scale.levels_of(scores)]


def _band_legend(figure: Figure, scale: ReadinessScale, *, missing: bool = False) -> None:
    colours = band_colours(scale)
    handles = [
        Patch(facecolor=colours[band.level], edgecolor=DARK, linewidth=0.3, label=band_label(scale, band.level))
        for band in scale.bands
    ]
    if missing:
        handles.append(Patch(facecolor=MISSING, edgecolor=DARK, linewidth=0.3, label=_("No score")))
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 3), title=_("Readiness level"))


def _score_axis(axes: Axes, scale: ReadinessScale | None, *, axis: str = "x") -> None:
    """Label a score axis; on the 0–100 scale, mark where each readiness band starts."""
    label = _("Score (0–100)") if scale is not None else _("Score")
    if axis == "x":
        axes.set_xlabel(label)
        axes.grid(axis="x")
        if scale is not None:
            axes.set_xlim(0, 100)
            axes.set_xticks(sorted({band.min for band in scale.bands} | {100.0}))
    else:
        axes.set_ylabel(label)
        axes.grid(axis="y")
        if scale is not None:
            axes.set_ylim(0, 100)
            axes.set_yticks(sorted({band.min for band in scale.bands} | {100.0}))


def _scored_years(frame: pd.DataFrame) -> list[int]:
    return sorted({int(year) for year in frame.loc[frame["score"].notna(), "year"]})


@styled
def bar(
    result: Result,
    node: str = TOP_NODE,
    *,
    year: int | None = None,
    regions: Sequence[str] | None = None,
    labels: Labels = None,
) -> Figure:
    """Draw one node's score in every region as sorted bars, coloured by readiness level.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    node
        Any node of the structure (default: the overall score).
    year
        The year shown; by default the latest in which the node has a score.
    regions
        The regions shown (default: all).
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per region, best first; a score whose coverage is below 100% says so.
    """
    rollup = as_rollup(result)
    chosen_node = node_of(rollup.structure, node)
    chosen = regions_of(rollup, regions)
    names = Names(labels, rollup.structure)
    scores = rollup.scores
    rows = scores[(scores["node"] == chosen_node) & scores["region"].isin(chosen)]
    shown_year = year_of(rollup, year, _scored_years(rows))
    rows = rows[rows["year"] == shown_year]
    rows = rows.assign(name=[names(region) for region in rows["region"]])
    rows = rows.sort_values(["score", "name"], ascending=[False, True], na_position="last")
    values = rows["score"].to_numpy(dtype=float)
    scale = _scale(rollup)
    if scale is not None:
        band = band_colours(scale)
        colours = [MISSING if level is None else band[level] for level in _levels(scale, values)]
    else:
        colours = [MISSING if math.isnan(value) else LINE for value in values]
    count = len(rows)
    figure = new_figure(1.3 + 0.24 * count + (0.6 if scale is not None else 0))
    axes = figure.add_subplot()
    positions = np.arange(count)
    bars = axes.barh(positions, np.nan_to_num(values), height=0.7, color=colours, edgecolor=DARK, linewidth=0.3)
    for n, patch in enumerate(bars):
        patch.set_gid(f"bar-{n}")
    axes.set_yticks(positions, labels=list(rows["name"]))
    axes.invert_yaxis()
    axes.spines["left"].set_visible(False)
    axes.tick_params(axis="y", length=0)
    for position, value, coverage in zip(positions, values, rows["coverage"].to_numpy(dtype=float), strict=True):
        text = _("no score") if math.isnan(value) else number(value)
        if coverage < 1:
            text += " · " + _("coverage {share}").format(share=percent(coverage))
        x = 1.0 if math.isnan(value) else max(value, 0.0) + 1.0
        axes.text(x, float(position), text, va="center", fontsize=7, color=GREY if math.isnan(value) else DARK)
    _score_axis(axes, scale)
    if scale is None:
        axes.set_xlim(left=min(0.0, float(np.nanmin(values, initial=0.0))))
    title(figure, _("{node}: score by region, {year}").format(node=names(chosen_node, 60), year=shown_year))
    if scale is not None:
        _band_legend(figure, scale, missing=bool(np.isnan(values).any()))
    return figure


@styled
def dot(  # noqa: PLR0913 - keyword-only choices of one chart
    result: Result,
    level: str | None = None,
    *,
    year: int | None = None,
    regions: Sequence[str] | None = None,
    highlight: str | None = None,
    labels: Labels = None,
) -> Figure:
    """Draw COINr's dot plot: for each node of a level, every region's score as a dot.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    level
        The level whose nodes are rows (default: the one below the top, ``dimension`` for a plan).
    year
        The year shown; by default the latest with a score on the level.
    regions
        The regions drawn (default: all).
    highlight
        A region drawn larger, in colour, with its scores written beside (added to ``regions``).
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        A row per node; a grey dot per region, a tick at the regions' mean, the highlighted region in colour.
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    chosen_level = level_of(structure, level)
    chosen = regions_of(rollup, regions)
    marked = None if highlight is None else region_of(rollup, highlight)
    if marked is not None and marked not in chosen:
        chosen.append(marked)
    names = Names(labels, structure)
    nodes = list(structure.level_nodes(chosen_level))
    scores = rollup.scores
    rows = scores[(scores["level"] == chosen_level) & scores["region"].isin(chosen)]
    shown_year = year_of(rollup, year, _scored_years(rows))
    table = rows[rows["year"] == shown_year].pivot_table(
        index="region", columns="node", values="score", aggfunc="first", dropna=False
    )
    table = table.reindex(index=chosen, columns=nodes)
    scale = _scale(rollup)
    figure = new_figure(1.5 + 0.3 * len(nodes))
    axes = figure.add_subplot()
    others = [region for region in chosen if region != marked]
    grid = table.loc[others].to_numpy(dtype=float)
    ys = np.tile(np.arange(len(nodes)), len(others))
    xs = grid.ravel()
    present = ~np.isnan(xs)
    axes.scatter(xs[present], ys[present], s=22, color=GREY, alpha=0.55, linewidths=0, gid="dots", zorder=2)
    means = table.mean(axis=0, skipna=True).to_numpy(dtype=float)
    has_mean = ~np.isnan(means)
    axes.scatter(
        means[has_mean], np.arange(len(nodes))[has_mean], marker="|", s=160, color=DARK, linewidths=1.4, zorder=3
    )
    handles: list[Any] = [
        Line2D([], [], marker="o", ls="", color=GREY, alpha=0.55, label=_("Other regions") if marked else _("Regions")),
        Line2D([], [], marker="|", ls="", color=DARK, markersize=10, label=_("Mean of the regions")),
    ]
    if marked is not None:
        mine = table.loc[marked].to_numpy(dtype=float)
        where = ~np.isnan(mine)
        axes.scatter(
            mine[where],
            np.arange(len(nodes))[where],
            s=70,
            color=HIGHLIGHT,
            edgecolors="white",
            linewidths=0.8,
            zorder=4,
            gid="highlight",
        )
        for y, value in enumerate(mine):
            text = _("no score") if math.isnan(value) else number(value)
            axes.annotate(
                text,
                (0.0 if math.isnan(value) else value, y),
                xytext=(3 if math.isnan(value) else 0, 6),
                textcoords="offset points",
                ha="left" if math.isnan(value) else "center",
                va="bottom",
                fontsize=6.5,
                color=HIGHLIGHT,
            )
        handles.insert(0, Line2D([], [], marker="o", ls="", color=HIGHLIGHT, markersize=8, label=names(marked, 60)))
    axes.set_yticks(np.arange(len(nodes)), labels=[names(node, 32) for node in nodes])
    axes.set_ylim(len(nodes) - 0.4, -0.7)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="y", color="#efefef")
    _score_axis(axes, scale)
    heading = _("{level}: the score of every region, {year}")
    title(figure, heading.format(level=capitalised(level_name(chosen_level, plural=True)), year=shown_year))
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return figure


def _tidy(data: pd.DataFrame) -> pd.DataFrame:
    """Return ``indicator, value`` of a tidy table, checked: both columns, numbers for values."""
    missing = [column for column in ("indicator", "value") if column not in data.columns]
    if missing:
        message = _("the data need the columns indicator and value; missing: {missing}; the columns are {columns}")
        raise PlotError(message.format(missing=", ".join(missing), columns=listed([str(c) for c in data.columns])))
    values = pd.to_numeric(data["value"], errors="coerce")
    bad = data.index[data["value"].notna() & values.isna()]
    if len(bad):
        message = _("values must be numbers; {value} in row {row} is not")
        raise PlotError(message.format(value=repr(data.loc[bad[0], "value"]), row=bad[0]))
    indicators = data["indicator"].map(lambda value: "" if pd.isna(value) else str(value))
    return pd.DataFrame({"indicator": indicators.to_numpy(), "value": values.to_numpy(dtype=float)})


def _sideways(axes: Axes, kind: str, values: Sequence[FloatArray], positions: Sequence[float], colour: str) -> None:
    """Draw box or violin plots on their side at ``positions``, with every value as a small dot."""
    drawable = [(v, p) for v, p in zip(values, positions, strict=True) if len(v)]
    if kind == "violin":
        spread = [(v, p) for v, p in drawable if len(np.unique(v)) > 1]
        if spread:
            parts = axes.violinplot(
                [v for v, _p in spread], positions=[p for _v, p in spread], widths=0.8, showmedians=True, **_SIDEWAYS
            )
            for body in cast("list[PolyCollection]", parts["bodies"]):
                body.set_facecolor(tint(colour, 0.45))
                body.set_edgecolor(colour)
                body.set_alpha(0.9)
            for key in ("cbars", "cmins", "cmaxes", "cmedians"):
                parts[key].set_color(colour)
                parts[key].set_linewidth(0.8)
    elif drawable:
        axes.boxplot(
            [v for v, _p in drawable],
            positions=[p for _v, p in drawable],
            widths=0.55,
            patch_artist=True,
            showfliers=False,
            boxprops={"facecolor": tint(colour, 0.6), "edgecolor": colour, "linewidth": 0.8},
            medianprops={"color": DARK, "linewidth": 1.2},
            whiskerprops={"color": colour, "linewidth": 0.8},
            capprops={"color": colour, "linewidth": 0.8},
            **_SIDEWAYS,
        )
    jitter = np.random.default_rng(0)
    for value, position in zip(values, positions, strict=True):
        if len(value):
            offsets = jitter.uniform(-0.18, 0.18, len(value))
            axes.scatter(value, position + offsets, s=6, color=DARK, alpha=0.45, linewidths=0, zorder=3)
        else:
            axes.text(0.5, position, _("no values"), transform=axes.get_yaxis_transform(), ha="center", color=GREY)


@styled
def distribution(
    data: pd.DataFrame | Result,
    indicators: Sequence[str] | None = None,
    *,
    kind: str = "box",
    labels: Labels = None,
) -> Figure:
    """Draw the distribution of indicators: box plots, violins or histograms.

    Parameters
    ----------
    data
        A tidy table (``region, year, indicator, value``; only the last two are read), or a roll-up,
        whose normalised indicator scores are drawn on one shared 0–100 axis.
    indicators
        The indicators drawn (default: all, in the order of the data or the structure).
    kind
        ``box``, ``violin`` or ``hist``.
    labels
        Names to show for ids; a :class:`~smartcity_model.Masterplan` also gives each indicator's unit.

    Returns
    -------
    matplotlib.figure.Figure
        One row per indicator on a shared axis (a roll-up's box and violin plots), else one panel each.
    """
    chosen_kind = choose(N_("kind"), kind, DISTRIBUTIONS)
    table, known, names, shared = _distribution_data(data, labels)
    wanted = [indicators] if isinstance(indicators, str) else indicators
    chosen = known if wanted is None else list(dict.fromkeys(choose(N_("indicator"), i, known) for i in wanted))
    if not chosen:
        raise PlotError(_("there are no indicators to draw"))
    groups = {key: frame["value"].dropna().to_numpy(dtype=float) for key, frame in table.groupby("indicator")}
    values = [groups.get(indicator, np.array([])) for indicator in chosen]
    heading = _("Distribution of the normalised indicator scores") if shared else _("Distribution of the indicators")
    if shared and chosen_kind != "hist":
        figure = new_figure(1.5 + 0.28 * len(chosen))
        axes = figure.add_subplot()
        positions = list(range(len(chosen)))
        _sideways(axes, chosen_kind, values, positions, LINE)
        axes.set_yticks(positions, labels=[names(i, 36) for i in chosen])
        axes.set_ylim(len(chosen) - 0.4, -0.6)
        axes.set_xlim(-2, 102)
        axes.set_xlabel(_("Normalised score (0–100)"))
        axes.grid(axis="x")
        note(figure, _("Each dot is one value: a region in a year."), axes)
    else:
        figure = _panels(chosen, values, chosen_kind, names, shared=shared)
    title(figure, heading)
    return figure


def _distribution_data(data: object, labels: Labels) -> tuple[pd.DataFrame, list[str], Names, bool]:
    """Return ``indicator, value``, the indicators in order, the names, and whether values share 0–100."""
    if isinstance(data, RollUp | ProvinceReadiness):
        rollup = as_rollup(data)
        scores = rollup.scores
        rows = scores[scores["level"] == rollup.structure.levels[0]]
        table = pd.DataFrame({"indicator": rows["node"].to_numpy(), "value": rows["score"].to_numpy(dtype=float)})
        return table, list(rollup.structure.indicators), Names(labels, rollup.structure), True
    if isinstance(data, pd.DataFrame):
        table = _tidy(data)
        return table, list(dict.fromkeys(table["indicator"])), Names(labels), False
    message = _("distribution needs a tidy table (region, year, indicator, value) or a roll-up, not {kind}")
    raise PlotError(message.format(kind=type(data).__name__))


def _panels(chosen: list[str], values: list[FloatArray], kind: str, names: Names, *, shared: bool) -> Figure:
    """Draw one panel per indicator, each on its own scale (in its unit where the plan gives one)."""
    columns = 1 if len(chosen) == 1 else 2 if len(chosen) <= 4 else 3  # noqa: PLR2004 - panels per row
    rows_count = math.ceil(len(chosen) / columns)
    figure = new_figure(0.9 + 1.45 * rows_count)
    panels = figure.subplots(rows_count, columns, squeeze=False)
    plan = names.plan
    units = {} if plan is None else {indicator.id: indicator.unit for indicator in plan.indicators}
    for n, (indicator, value) in enumerate(zip(chosen, values, strict=True)):
        axes = panels[n // columns][n % columns]
        axes.set_title(names(indicator, 34), fontsize=7.5)
        axes.set_gid(f"panel-{n}")
        if kind == "hist":
            if len(value):
                axes.hist(value, bins=min(20, max(5, len(np.unique(value)))), color=tint(LINE, 0.3), edgecolor="white")
            else:
                axes.text(0.5, 0.5, _("no values"), transform=axes.transAxes, ha="center", color=GREY)
            if n % columns == 0:
                axes.set_ylabel(_("Count"))
        else:
            _sideways(axes, kind, [value], [0.0], LINE)
            axes.set_yticks([])
            axes.spines["left"].set_visible(False)
        localise(axes.xaxis)
        unit = units.get(indicator)
        axis_label = _("Normalised score (0–100)") if shared else names(unit, 30) if unit else _("Value")
        axes.set_xlabel(axis_label, fontsize=7)
    for n in range(len(chosen), rows_count * columns):
        panels[n // columns][n % columns].set_axis_off()
    return figure


@styled
def correlation(
    result: Result,
    level: str = "indicator",
    *,
    year: int | None = None,
    method: str = "pearson",
    labels: Labels = None,
) -> Figure:
    """Draw the correlations between the nodes of a level as a heat map, each value written in its cell.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    level
        Any level but the top: ``indicator``, ``element`` or ``dimension`` for a plan.
    year
        Correlate across the regions of one year; by default every region-year is pooled.
    method
        ``pearson`` or ``spearman`` (ranks).
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        The lower triangle of the correlation matrix; nodes with fewer than three scores are left out.
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    chosen_level = level_of(structure, level, allowed=structure.levels[:-1])
    chosen_method: Literal["pearson", "spearman"] = (
        "spearman" if choose(N_("method"), method, tuple(METHODS)) == "spearman" else "pearson"
    )
    wide = rollup.wide(chosen_level)
    if year is not None:
        shown_year = year_of(rollup, year)
        wide = wide[wide.index.get_level_values("year") == shown_year]
    counts = wide.notna().sum()
    spread = wide.max() > wide.min()
    enough = [node for node in wide.columns if counts[node] >= 3 and bool(spread[node])]  # noqa: PLR2004
    if len(enough) < 2:  # noqa: PLR2004 - a correlation needs two nodes
        message = _("too few {level} have three or more scores that differ ({n} of {total}); a correlation needs two")
        raise PlotError(
            message.format(level=level_name(chosen_level, plural=True), n=len(enough), total=len(wide.columns))
        )
    names = Names(labels, structure)
    matrix = wide[enough].corr(method=chosen_method, min_periods=3).to_numpy(dtype=float)
    count = len(enough)
    lower = np.tril(np.ones((count, count), dtype=bool))
    shown = np.where(lower, matrix, np.nan)
    side = min(9.0, 1.6 + 0.3 * count)
    figure = new_figure(side + 1.3)
    axes = figure.add_subplot()
    cmap = mpl.colormaps["RdBu"].with_extremes(bad="white")
    image = axes.imshow(np.ma.masked_invalid(shown), cmap=cmap, vmin=-1, vmax=1, aspect="equal")
    size = max(5.0, min(7.5, 100 / count))
    if count <= _NUMBERED_CELLS:  # more cells than that: their colours speak, numbers would not be read
        _cells(axes, matrix, lower, size)
    tick_names = [names(node, 28) for node in enough]
    axes.set_xticks(range(count), labels=tick_names, rotation=45, ha="right", rotation_mode="anchor", fontsize=size + 1)
    axes.set_yticks(range(count), labels=tick_names, fontsize=size + 1)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    bar_ = figure.colorbar(image, ax=axes, shrink=0.6, label=_(METHODS[chosen_method]))
    bar_.outline.set_visible(False)
    title(figure, _("Correlation between the {level}").format(level=level_name(chosen_level, plural=True)))
    localise(bar_.ax.yaxis)
    note(figure, _correlation_note(len(wide), None if year is None else shown_year, len(wide.columns) - count), axes)
    return figure


#: A correlation matrix of up to this many nodes has each coefficient written in its cell.
_NUMBERED_CELLS = 16


def _cells(axes: Axes, matrix: FloatArray, lower: npt.NDArray[np.bool_], size: float) -> None:
    """Write each correlation of the lower triangle in its cell; grey out the pairs without one."""
    for i, j in zip(*np.nonzero(lower), strict=True):
        value = matrix[i, j]
        if math.isnan(value):
            axes.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=MISSING, edgecolor="none"))
            axes.text(j, i, "–", ha="center", va="center", fontsize=size, color=GREY)
        else:
            colour = "white" if abs(value) > 0.55 else DARK  # noqa: PLR2004 - where dark cells need light text
            axes.text(j, i, number(value, 2), ha="center", va="center", fontsize=size, color=colour)


def _correlation_note(units: int, year: int | None, left_out: int) -> str:
    """Say over what the correlations run, and how many nodes were left out."""
    if year is None:
        scope = n_("pooled over {n} region-year", "pooled over {n} region-years", units).format(n=units)
    else:
        scope = n_("{year}, across {n} region", "{year}, across {n} regions", units).format(year=year, n=units)
    parts = [capitalised(scope)]
    if left_out:
        parts.append(
            n_(
                "{n} node with fewer than three scores that differ is left out",
                "{n} nodes with fewer than three scores that differ are left out",
                left_out,
            ).format(n=left_out)
        )
    return "; ".join(parts)


def _ancestors(structure: Structure, level: str) -> dict[str, str]:
    """Return, for each indicator, its ancestor on ``level``."""
    parent = dict(zip(structure.nodes["node"], structure.nodes["parent"], strict=True))
    ancestor = {indicator: indicator for indicator in structure.indicators}
    for _step in range(structure.levels.index(level)):
        ancestor = {indicator: str(parent[node]) for indicator, node in ancestor.items()}
    return ancestor


def _child_colours(structure: Structure, level: str, parent: str, children: Sequence[str]) -> list[str]:
    """Colour children by dimension, as tints of their dimension's colour, or from the palette."""
    below_top = structure.levels[-2]
    if level == below_top:
        colours = dimension_colours(structure.level_nodes(below_top))
        return [colours[child] for child in children]
    if structure.levels[structure.levels.index(level) + 1] == below_top:
        base = dimension_colours(structure.level_nodes(below_top))[parent]
        return [tint(base, 0.65 * n / max(len(children) - 1, 1)) for n in range(len(children))]
    return palette(len(children))


@styled
def contributions(
    result: Result,
    level: str | None = None,
    *,
    year: int | None = None,
    regions: Sequence[str] | None = None,
    labels: Labels = None,
) -> Figure:
    """Draw each region's scores as stacked bars of what each child contributes to them.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    level
        The level of the children (default: the one below the top, ``dimension`` for a plan); each
        node of the level above gets a panel with a bar per region.
    year
        The year shown; by default the latest in which a parent has a score.
    regions
        The regions shown (default: all).
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        Segments sum to the parent's score (see :meth:`~smartcity_model.RollUp.contributions`).
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    levels = structure.levels
    chosen_level = level_of(structure, level, allowed=levels[:-1])
    parent_level = levels[levels.index(chosen_level) + 1]
    chosen = regions_of(rollup, regions)
    names = Names(labels, structure)
    scores = rollup.scores
    parent_rows = scores[(scores["level"] == parent_level) & scores["region"].isin(chosen)]
    shown_year = year_of(rollup, year, _scored_years(parent_rows))
    totals = parent_rows[parent_rows["year"] == shown_year].pivot_table(
        index="region", columns="node", values="score", aggfunc="first", dropna=False
    )
    parents = list(structure.level_nodes(parent_level))
    totals = totals.reindex(index=chosen, columns=parents)
    parts = rollup.contributions(parent_level)
    parts = parts[(parts["year"] == shown_year) & parts["region"].isin(chosen)]
    parts = parts.assign(child=parts["indicator"].map(_ancestors(structure, chosen_level)))
    summed = parts.groupby(["node", "region", "child"])["contribution"].sum()
    nodes = structure.nodes
    counted = nodes[(nodes["level"] == chosen_level) & ~nodes["node"].isin(structure.excluded)]
    figure = new_figure(0.9 + len(parents) * (0.55 + 0.22 * len(chosen)))
    panels = figure.subplots(len(parents), 1, squeeze=False, sharex=True)
    top = max(100.0, float(np.nanmax(totals.to_numpy(dtype=float), initial=0.0)))
    for p, parent in enumerate(parents):
        axes = panels[p][0]
        children = [str(child) for child in counted.loc[counted["parent"] == parent, "node"]]
        order = totals[parent].sort_values(ascending=False, na_position="last").index.tolist()
        colours = _child_colours(structure, chosen_level, parent, children)
        left = np.zeros(len(order))
        handles = []
        for c, (child, colour) in enumerate(zip(children, colours, strict=True)):
            widths = np.array([float(summed.get((parent, region, child), 0.0)) for region in order])
            drawn = axes.barh(
                range(len(order)), widths, left=left, height=0.7, color=colour, edgecolor="white", linewidth=0.4
            )
            for r, patch in enumerate(drawn):
                patch.set_gid(f"part-{p}-{c}-{r}")
            left += widths
            handles.append(Patch(facecolor=colour, label=names(child, 30)))
        for r, region in enumerate(order):
            score = float(totals.loc[region, parent])
            text = _("no score") if math.isnan(score) else number(score)
            axes.text(left[r] + 0.8, r, text, va="center", fontsize=6.5, color=GREY if math.isnan(score) else DARK)
        axes.set_yticks(range(len(order)), labels=[names(region, 30) for region in order])
        axes.set_ylim(len(order) - 0.4, -0.6)
        axes.tick_params(axis="y", length=0)
        axes.set_xlim(0, top * 1.08)
        axes.grid(axis="x")
        axes.set_title(names(parent, 60), fontsize=8, fontweight="bold")
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6.5)
    panels[-1][0].set_xlabel(_("Score (0–100)"))
    heading = _("Contributions of the {children} to the scores, {year}")
    title(figure, heading.format(children=level_name(chosen_level, plural=True), year=shown_year))
    if any(rollup.aggregation[lv] != "arithmetic" for lv in levels[1 : levels.index(parent_level) + 1]):
        note(figure, _("The aggregation is not arithmetic: each part is a proportional share of the score."))
    return figure


@styled
def explained(
    result: Result,
    region: str,
    *,
    level: str | None = None,
    year: int | None = None,
    labels: Labels = None,
) -> Figure:
    """Draw one region's scores on a level as bars made of what each child contributes.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    region
        The region drawn.
    level
        The level of the bars (default: the one below the top, the dimensions of a plan); each
        bar is split into its children (the elements of a dimension).
    year
        The year shown; by default the latest in which a node of the level has a score.
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        A bar per node, its parts labelled where they are wide enough; the parts sum to the score.
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    levels = structure.levels
    chosen_level = level_of(structure, level if level is not None else levels[-2], allowed=levels[1:])
    child_level = levels[levels.index(chosen_level) - 1]
    chosen_region = region_of(rollup, region)
    names = Names(labels, structure)
    scores = rollup.scores
    rows = scores[(scores["level"] == chosen_level) & (scores["region"] == chosen_region)]
    shown_year = year_of(rollup, year, _scored_years(rows))
    totals = rows[rows["year"] == shown_year].set_index("node")["score"]
    parts = rollup.contributions(chosen_level)
    parts = parts[(parts["year"] == shown_year) & (parts["region"] == chosen_region)]
    parts = parts.assign(child=parts["indicator"].map(_ancestors(structure, child_level)))
    summed = parts.groupby(["node", "child"])["contribution"].sum()
    nodes = list(structure.level_nodes(chosen_level))
    table = structure.nodes
    figure = new_figure(0.9 + 0.42 * len(nodes))
    axes = figure.add_subplot()
    for r, node in enumerate(nodes):
        children = [str(c) for c in table.loc[(table["parent"] == node) & (table["level"] == child_level), "node"]]
        colours = _child_colours(structure, child_level, node, children)
        left = 0.0
        for c, (child, colour) in enumerate(zip(children, colours, strict=True)):
            width = float(summed.get((node, child), 0.0))
            if width <= 0:
                continue
            axes.barh(
                r, width, left=left, height=0.66, color=colour, edgecolor="white", linewidth=0.6, gid=f"part-{r}-{c}"
            )
            if width >= 9:  # noqa: PLR2004 - room for a short name inside the bar
                axes.text(
                    left + width / 2,
                    r,
                    names(child, max(6, int(width / 1.6))),
                    ha="center",
                    va="center",
                    fontsize=5.5,
                    color="white" if c == 0 else DARK,
                )
            left += width
        score = float(totals.get(node, math.nan))
        text = _("no score") if math.isnan(score) else number(score)
        axes.text(left + 0.8, r, text, va="center", fontsize=7, color=GREY if math.isnan(score) else DARK)
    axes.set_yticks(range(len(nodes)), labels=[names(node, 30) for node in nodes])
    axes.set_ylim(len(nodes) - 0.4, -0.6)
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(0, 108)
    axes.grid(axis="x")
    axes.set_xlabel(_("Score (0–100)"))
    heading = _("{region}: what makes each {level}'s score, {year}")
    title(figure, heading.format(region=names(chosen_region, 40), level=level_name(chosen_level), year=shown_year))
    if any(rollup.aggregation[lv] != "arithmetic" for lv in levels[1 : levels.index(chosen_level) + 1]):
        note(figure, _("The aggregation is not arithmetic: each part is a proportional share of the score."))
    return figure


def _planned(plan: object, rollup: RollUp, node: str) -> pd.DataFrame:
    """Return ``year, score`` of ``node`` along the plan's intended path, scored like ``rollup``."""
    scores = _planned_scores(plan, rollup, node)
    rows = scores[scores["node"] == node]
    return rows[["year", "score"]].reset_index(drop=True)


def _planned_scores(plan: object, rollup: RollUp, node: str | None = None) -> pd.DataFrame:
    """Return every score along the plan's intended path (``year, level, node, score``), scored like ``rollup``."""
    if not isinstance(plan, Masterplan):
        message = _("plan must be a Masterplan, not {kind}")
        raise PlotError(message.format(kind=type(plan).__name__))
    structure = Structure.from_plan(plan)
    if node is not None:
        node_of(structure, node)
    data = planned_frame(plan)
    if data.empty:
        raise PlotError(_("the plan sets no baseline or target for any indicator: there is no planned path to draw"))
    missing = rollup.options.get("missing")
    coverage = rollup.options.get("min_coverage", 0.65)
    try:
        planned = roll_up(
            data,
            structure,
            method=rollup.normalisation,
            aggregation=dict(rollup.aggregation),  # type: ignore[arg-type]  # the method names of a roll-up
            missing="locf" if missing in {"locf", "nocb", "linear"} else "coverage",
            min_coverage=float(coverage) if isinstance(coverage, int | float) else 0.65,
            count_imputed=bool(rollup.options.get("count_imputed", False)),
        )
    except ScoringError as error:
        message = _("the plan's intended path cannot be scored like these results: {error}")
        raise PlotError(message.format(error=error)) from error
    return planned.scores


def _year_axis(axes: Axes, years: set[int], scale: ReadinessScale | None) -> None:
    """Put the years across (every year, or every other when there are many) and scores up."""
    span = sorted(years)
    if span:
        step = 1 if len(span) <= 12 else 2  # noqa: PLR2004 - room for the year labels
        ticks = list(range(span[0], span[-1] + 1, step))
        axes.set_xticks(ticks, labels=[str(tick) for tick in ticks])
        axes.set_xlim(span[0] - 0.3, span[-1] + 0.3)
    axes.set_xlabel(_("Year"))
    _score_axis(axes, scale, axis="y")


@styled
def trend(
    result: Result,
    node: str,
    *,
    regions: Sequence[str] | None = None,
    plan: Masterplan | None = None,
    labels: Labels = None,
) -> Figure:
    """Draw a node's score over the years, a line per region; with a plan, its intended path dashed.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    node
        Any node of the structure.
    regions
        The regions drawn (default: all).
    plan
        A masterplan whose intended path (baseline to targets, see
        :func:`~smartcity_model.planned_frame`) is scored with the results' normalisation and
        aggregation and drawn dashed.
    labels
        Names to show for ids (default: the plan's, if given).

    Returns
    -------
    matplotlib.figure.Figure
        Years across, scores up, readiness bands shaded behind.
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    chosen_node = node_of(structure, node)
    chosen = regions_of(rollup, regions)
    planned = None if plan is None else _planned(plan, rollup, chosen_node)
    names = Names(labels if labels is not None else plan, structure)
    scores = rollup.scores
    rows = scores[(scores["node"] == chosen_node) & scores["region"].isin(chosen)]
    scale = _scale(rollup)
    figure = new_figure(3.6)
    axes = figure.add_subplot()
    if scale is not None:
        colours = band_colours(scale)
        bounds = [band.min for band in scale.bands] + [100.0]
        for band, low, high in zip(scale.bands, bounds, bounds[1:], strict=False):
            axes.axhspan(low, high, color=tint(colours[band.level], 0.85), linewidth=0, zorder=0)
            axes.text(
                1.01,
                (low + high) / 2,
                clean(band.label()),
                transform=axes.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=6,
                color=GREY,
            )
    many = len(chosen) > _MANY_LINES  # too many colours to tell apart: grey lines, the median and the ends named
    line_colours = dict(zip(chosen, palette(len(chosen)), strict=True)) if not many else {}
    for n, region in enumerate(chosen):
        mine = rows[rows["region"] == region].sort_values("year")
        axes.plot(
            mine["year"].to_numpy(dtype=float),
            mine["score"].to_numpy(dtype=float),
            marker="o" if not many else None,
            markersize=3.5,
            linewidth=1.6 if not many else 0.8,
            color=line_colours.get(region, tint(GREY, 0.35)),
            label=names(region, 40) if not many else None,
            gid=f"trend-{n}",
        )
    if many:
        _median_and_ends(axes, rows, names)
    years = {int(y) for y in rows["year"]}
    if planned is not None and plan is not None:
        colour = line_colours.get(plan.region.id, DARK)
        axes.plot(
            planned["year"].to_numpy(dtype=float),
            planned["score"].to_numpy(dtype=float),
            linestyle="--",
            linewidth=1.3,
            color=colour,
            label=_("{region}: planned path").format(region=names(plan.region.id, 40)),
            gid="planned",
        )
        years |= {int(y) for y in planned["year"]}
    _year_axis(axes, years, scale)
    title(figure, _("{node}: score over the years").format(node=names(chosen_node, 60)))
    entries = (1 if many else len(chosen)) + (planned is not None)
    figure.legend(loc="outside lower center", ncols=min(entries, 3), fontsize=7)
    return figure


#: A trend of more regions than this draws them in grey, with their median and the best and worst named.
_MANY_LINES = 8


def _median_and_ends(axes: Axes, rows: pd.DataFrame, names: Names) -> None:
    """Draw the regions' median score by year, and name the best and the worst region of the last year."""
    scored = rows[rows["score"].notna()]
    if scored.empty:
        return
    median = scored.groupby("year")["score"].median()
    axes.plot(
        median.index.to_numpy(dtype=float),
        median.to_numpy(dtype=float),
        color=DARK,
        linewidth=2,
        marker="o",
        markersize=3.5,
        label=_("Median of the {n} regions").format(n=rows["region"].nunique()),
        gid="median",
    )
    last = scored[scored["year"] == scored["year"].max()].sort_values("score")
    for _position, row in (last.iloc[[0, -1]] if len(last) > 1 else last).iterrows():
        axes.annotate(
            names(str(row["region"]), 28),
            (float(row["year"]), float(row["score"])),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=6.5,
            color=DARK,
            va="center",
        )


@styled
def paths(
    result: Result,
    region: str,
    *,
    level: str | None = None,
    plan: Masterplan | None = None,
    labels: Labels = None,
) -> Figure:
    """Draw one region's scores on every node of a level over the years; with a plan, each node's planned path.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    region
        The region drawn.
    level
        The level whose nodes are drawn (default: the one below the top, the dimensions of a plan).
    plan
        A masterplan whose intended path is scored like the results and drawn dashed, in each
        node's colour.
    labels
        Names to show for ids (default: the plan's, if given).

    Returns
    -------
    matplotlib.figure.Figure
        Years across, scores up, a line per node.
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    chosen_level = level_of(structure, level if level is not None else structure.levels[-2])
    chosen_region = region_of(rollup, region)
    nodes = list(structure.level_nodes(chosen_level))
    planned = None if plan is None else _planned_scores(plan, rollup)
    names = Names(labels if labels is not None else plan, structure)
    scores = rollup.scores
    rows = scores[(scores["level"] == chosen_level) & (scores["region"] == chosen_region)]
    colours = (
        dimension_colours(nodes)
        if chosen_level == structure.levels[-2]
        else dict(zip(nodes, palette(len(nodes)), strict=True))
    )
    figure = new_figure(3.8)
    axes = figure.add_subplot()
    years: set[int] = set()
    for n, node in enumerate(nodes):
        mine = rows[rows["node"] == node].sort_values("year")
        axes.plot(
            mine["year"].to_numpy(dtype=float),
            mine["score"].to_numpy(dtype=float),
            marker="o",
            markersize=3,
            linewidth=1.6,
            color=colours[node],
            label=names(node, 32),
            gid=f"path-{n}",
        )
        years |= {int(y) for y in mine["year"]}
        if planned is not None:
            path = planned[planned["node"] == node].sort_values("year")
            axes.plot(
                path["year"].to_numpy(dtype=float),
                path["score"].to_numpy(dtype=float),
                linestyle="--",
                linewidth=1.1,
                color=colours[node],
                gid=f"planned-{n}",
            )
            years |= {int(y) for y in path["year"]}
    _year_axis(axes, years, _scale(rollup))
    if planned is None:
        heading = _("{region}: {levels} over the years").format(
            region=names(chosen_region, 40), levels=level_name(chosen_level, plural=True)
        )
    else:
        heading = _("{levels}: observed, and the plan's path (dashed)").format(
            levels=capitalised(level_name(chosen_level, plural=True))
        )
    title(figure, heading)
    figure.legend(loc="outside lower center", ncols=min(len(nodes), 3), fontsize=7)
    return figure


@styled
def radar(result: Result, region: str, *, year: int | None = None, labels: Labels = None) -> Figure:
    """Draw one region's readiness on each node below the top (the dimensions of a plan) on a radar.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`.
    region
        The region drawn.
    year
        The year shown; by default the latest with a score below the top.
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        A spoke per node with its score, rings shaded by readiness band.
    """
    rollup = as_rollup(result)
    structure = rollup.structure
    chosen = region_of(rollup, region)
    level = structure.levels[-2]
    nodes = list(structure.level_nodes(level))
    names = Names(labels, structure)
    scores = rollup.scores
    rows = scores[(scores["region"] == chosen) & (scores["level"] == level)]
    shown_year = year_of(rollup, year, _scored_years(rows))
    rows = rows[rows["year"] == shown_year].set_index("node").reindex(nodes)
    values = rows["score"].to_numpy(dtype=float)
    scale = _scale(rollup)
    figure = new_figure(5.4)
    axes = cast("PolarAxes", figure.add_subplot(projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    angles = np.linspace(0, 2 * math.pi, len(nodes), endpoint=False)
    if scale is not None:
        colours = band_colours(scale)
        bounds = [band.min for band in scale.bands] + [100.0]
        for band, low, high in zip(scale.bands, bounds, bounds[1:], strict=False):
            axes.bar(0, high - low, width=2 * math.pi, bottom=low, color=tint(colours[band.level], 0.82), zorder=0)
    closed_angles = np.append(angles, angles[:1])
    closed_values = np.append(values, values[:1])
    axes.plot(closed_angles, closed_values, color=LINE, linewidth=1.6, zorder=3, gid="radar-line")
    finite = ~np.isnan(values)
    if finite.all() and len(values) > 2:  # noqa: PLR2004 - an area needs three spokes
        axes.fill(closed_angles, closed_values, color=LINE, alpha=0.15, zorder=2)
    point_colours = dimension_colours(nodes) if level == "dimension" else dict.fromkeys(nodes, LINE)
    axes.scatter(
        angles[finite],
        values[finite],
        s=40,
        c=[point_colours[node] for node, ok in zip(nodes, finite, strict=True) if ok],
        edgecolors="white",
        linewidths=0.8,
        zorder=4,
        gid="radar-points",
    )
    no_score = _("no score")
    tick_labels = [
        f"{names(node, 24)}\n{no_score if math.isnan(value) else number(value)}"
        for node, value in zip(nodes, values, strict=True)
    ]
    axes.set_xticks(angles, labels=tick_labels, fontsize=7.5)
    axes.set_ylim(0, 100)
    axes.set_yticks([20, 40, 60, 80, 100], labels=["20", "40", "60", "80", "100"], fontsize=6, color=GREY)
    axes.set_rlabel_position(180 / max(len(nodes), 1))
    axes.spines["polar"].set_visible(False)
    axes.grid(color="white", linewidth=0.8)
    heading = _("{region}: readiness by {level}, {year}")
    title(figure, heading.format(region=names(chosen, 50), level=level_name(level), year=shown_year))
    top = scores[
        (scores["region"] == chosen) & (scores["year"] == shown_year) & (scores["level"] == structure.levels[-1])
    ]
    overall = float(top["score"].iloc[0]) if len(top) else math.nan
    if not math.isnan(overall) and scale is not None:
        (band_level,) = _levels(scale, np.array([overall]))
        if band_level is not None:
            reached = clean(scale.band(band_level).label())
            note(figure, _("Overall score {score}: {band}").format(score=number(overall), band=reached), axes)
    if scale is not None:
        _band_legend(figure, scale)
    return figure
