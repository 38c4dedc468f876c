"""Charts of readiness scores and masterplans, drawn with matplotlib (the ``plot`` extra).

Every function returns a :class:`matplotlib.figure.Figure` made with matplotlib's object API (no
``pyplot``, no window, no global figure) and never shows it; :func:`to_svg` gives SVG text for an
HTML report, :func:`to_png` writes an image. Titles, axes and legends are in the current language
(:func:`smartcity_model.i18n.use_language`); names written by people are shown as written.

Scores (a :class:`~smartcity_model.RollUp` or :class:`~smartcity_model.ProvinceReadiness`):
:func:`bar`, :func:`dot`, :func:`distribution`, :func:`correlation`, :func:`contributions`,
:func:`explained`, :func:`trend`, :func:`paths`, :func:`radar`. Plans: :func:`framework`,
:func:`roadmap`, :func:`network`, :func:`budget`. Uncertainty (an
:class:`~smartcity_model.UncertaintyResult`): :func:`rank_intervals`.

Examples
--------
>>> import smartcity_model as scm
>>> from smartcity_model import plot
>>> plan = scm.load(scm.example_path())
>>> svg = plot.to_svg(plot.radar(scm.roll_up(plan, missing="locf"), "solok-selatan", labels=plan))
>>> svg.startswith("<svg") and "Smart Governance" in svg
True
"""

from __future__ import annotations

from smartcity_model.errors import PlotUnavailableError
from smartcity_model.i18n import _

_INSTALL = 'pip install "smartcity-model[plot]"'

try:
    import matplotlib as mpl
except ImportError as _error:
    raise PlotUnavailableError(
        _("charts need matplotlib 3.8 or later, which is not installed: {command}").format(command=_INSTALL)
    ) from _error
if tuple(int(part) for part in mpl.__version__.split(".")[:2] if part.isdigit()) < (3, 8):
    raise PlotUnavailableError(
        _("charts need matplotlib 3.8 or later, not {version}: {command}").format(
            version=mpl.__version__, command=_INSTALL
        )
    )
del mpl

from smartcity_model.plot._args import PlotError  # noqa: E402 - after the check that matplotlib is there
from smartcity_model.plot._style import STYLE  # noqa: E402
from smartcity_model.plot.export import to_png, to_svg  # noqa: E402
from smartcity_model.plot.plans import budget, framework, network, roadmap  # noqa: E402
from smartcity_model.plot.robustness import rank_intervals  # noqa: E402
from smartcity_model.plot.scores import (  # noqa: E402
    bar,
    contributions,
    correlation,
    distribution,
    dot,
    explained,
    paths,
    radar,
    trend,
)

__all__ = [
    "STYLE",
    "PlotError",
    "PlotUnavailableError",
    "bar",
    "budget",
    "contributions",
    "correlation",
    "distribution",
    "dot",
    "explained",
    "framework",
    "network",
    "paths",
    "radar",
    "rank_intervals",
    "roadmap",
    "to_png",
    "to_svg",
    "trend",
]
