"""Charts of an uncertainty analysis: how far each region's rank moves when the study's choices move."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from smartcity_model.analysis import UncertaintyResult
from smartcity_model.i18n import _, n_
from smartcity_model.plot._args import Labels, Names, PlotError
from smartcity_model.plot._style import DARK, GREY, new_figure, note, styled, title
from smartcity_model.scoring import ScoringError

__all__ = ["rank_intervals"]

_INTERVAL = "#0072B2"
_NOMINAL = "#D55E00"


@styled
def rank_intervals(
    result: UncertaintyResult, node: str | None = None, *, year: int | None = None, labels: Labels = None
) -> Figure:
    """Draw each region's nominal rank and the interval of its rank over the draws, best first.

    Parameters
    ----------
    result
        An :class:`~smartcity_model.UncertaintyResult` (from :func:`~smartcity_model.uncertainty`).
    node
        The node ranked (default: the top node); ``year`` the year (default: the latest).
    labels
        Names to show for ids: a mapping, a :class:`~smartcity_model.Masterplan` or a framework.

    Returns
    -------
    matplotlib.figure.Figure
        One row per region: a bar from the low to the high quantile of its rank, a dot at the
        median and a diamond at the nominal rank.
    """
    if not isinstance(result, UncertaintyResult):
        raise PlotError(_("result must be an UncertaintyResult, not {kind}").format(kind=type(result).__name__))
    try:
        shown_node, year_shown = result.focus(node, year)
    except ScoringError as error:
        raise PlotError(str(error)) from error
    table = result.ranking(shown_node, year_shown)
    shown = table["rank"].notna() | table["rank_median"].notna()
    left_out = int((~shown).sum())
    table = table[shown]
    low, high = result.bounds
    names = Names(labels, result.nominal.structure)
    count = len(table)
    figure = new_figure(1.6 + 0.24 * count)
    axes = figure.add_subplot()
    positions = np.arange(count)
    lows, highs = table[f"rank_{low}"].to_numpy(float), table[f"rank_{high}"].to_numpy(float)
    axes.hlines(positions, lows, highs, colors=_INTERVAL, linewidth=4, alpha=0.45)
    axes.plot(table["rank_median"].to_numpy(float), positions, "o", color=_INTERVAL, markersize=4)
    axes.plot(table["rank"].to_numpy(float), positions, "D", color=_NOMINAL, markersize=4)
    axes.set_yticks(positions, labels=[names(region) for region in table["region"]])
    axes.invert_yaxis()
    axes.set_xlim(0.5, max(float(np.nanmax(highs, initial=1.0)), float(count)) + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(_("rank (1 = best)"))
    axes.grid(axis="x")
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)
    title(figure, _("{node}: rank under uncertainty, {year}").format(node=names(shown_node, 60), year=year_shown))
    text = _("{n} draws of the study's uncertain choices (seed {seed}); bars from the {low} to the {high} quantile")
    text = text.format(n=result.n, seed=result.seed, low=low, high=high)
    if left_out:
        text += "; " + n_("{n} region without a score in any draw", "{n} regions without a score in any draw", left_out)
        text = text.format(n=left_out)
    note(figure, text, axes)
    handles = [
        Line2D([], [], color=_INTERVAL, linewidth=4, alpha=0.45, label=_("rank interval")),
        Line2D([], [], color=_INTERVAL, marker="o", linestyle="", label=_("median rank")),
        Line2D([], [], color=_NOMINAL, marker="D", linestyle="", label=_("nominal rank")),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=3, labelcolor=DARK, edgecolor=GREY)
    return figure
