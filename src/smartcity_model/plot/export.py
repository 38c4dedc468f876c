"""Figures as SVG text for inline HTML, and as PNG files."""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

from matplotlib.figure import Figure

from smartcity_model.i18n import _
from smartcity_model.plot._args import PlotError
from smartcity_model.plot._style import quiet_glyphs, style

__all__ = ["to_png", "to_svg"]

#: matplotlib's default style sheet of an SVG, replaced by the same settings as inherited attributes.
_DEFAULT_STYLE = ' <defs>\n  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>\n </defs>\n'
_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def _figure(figure: object) -> Figure:
    if not isinstance(figure, Figure):
        message = _("a matplotlib Figure is needed, not {kind}")
        raise PlotError(message.format(kind=type(figure).__name__))
    return figure


def to_svg(figure: Figure) -> str:
    """Return ``figure`` as SVG text to write inside an HTML page.

    Text stays text (searchable, translatable, drawn in the reader's fonts), there is no metadata
    or date, and ids are derived from the content, so the same figure always gives the same text.
    The picture is cut to what the figure draws, so a long label is never cut off at its edge.
    The XML declaration is left out and no style sheet leaks into the page around it.
    """
    chosen = _figure(figure)
    buffer = io.StringIO()
    with style(), quiet_glyphs():
        chosen.savefig(buffer, format="svg", metadata=_NO_METADATA, bbox_inches="tight", pad_inches=0.06)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    if _DEFAULT_STYLE in text:
        text = text.replace(_DEFAULT_STYLE, "", 1)
        text = text.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return text


def to_png(figure: Figure, path: str | os.PathLike[str], *, dpi: float = 200) -> Path:
    """Write ``figure`` to ``path`` as a PNG image of ``dpi`` dots per inch (200 prints sharp on A4).

    Returns the path written. A name in a script the installed fonts lack shows as boxes in the
    image (matplotlib warns which glyphs are missing); the SVG of the same figure shows it.
    """
    chosen = _figure(figure)
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not math.isfinite(dpi) or not 10 <= dpi <= 1200:  # noqa: PLR2004
        raise PlotError(_("dpi must be a number from 10 to 1200, not {value}").format(value=repr(dpi)))
    target = Path(path)
    with style():
        chosen.savefig(target, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.06)
    return target
