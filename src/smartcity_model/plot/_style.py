"""The house style of the charts: fonts, sizes, colours, and the text and numbers shown."""

from __future__ import annotations

import functools
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar, cast

import matplotlib as mpl
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from smartcity_model.i18n import N_, _, language
from smartcity_model.model import Framework
from smartcity_model.scoring import ReadinessScale

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: Width of the text block of an A4 page with 2.5 cm margins, in inches (16 cm).
A4_WIDTH = 6.3

#: Settings every chart is drawn and saved with: sans-serif text kept as text in SVG, no math
#: parsing of names (a ``$`` in a name is a dollar sign), light grids, no top or right frame.
STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.titlelocation": "left",
    "axes.titlecolor": "#262626",
    "axes.labelsize": 8.5,
    "axes.labelcolor": "#262626",
    "axes.edgecolor": "#595959",
    "axes.linewidth": 0.7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "xtick.color": "#404040",
    "ytick.color": "#404040",
    "legend.fontsize": 7.5,
    "legend.title_fontsize": 8,
    "legend.frameon": False,
    "figure.titlesize": 11,
    "figure.titleweight": "bold",
    "figure.facecolor": "white",
    "figure.dpi": 100,
    "savefig.facecolor": "white",
    "text.usetex": False,
    "text.parse_math": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "smartcity-model",
    "svg.id": None,
    "hatch.linewidth": 0.6,
}

GREY = "#7f7f7f"
DARK = "#262626"
MISSING = "#d9d9d9"
#: Okabe and Ito's palette, distinguishable with every common colour-vision deficiency.
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: One colour per dimension of the built-in framework; other dimensions take the palette in order.
DIMENSION_COLOURS: dict[str, str] = {
    "governance": "#0072B2",
    "branding": "#CC79A7",
    "economy": "#E69F00",
    "living": "#D55E00",
    "society": "#56B4E9",
    "environment": "#009E73",
}
#: Readiness bands, lowest to highest (ColorBrewer's RdYlBu, safe for colour-blind readers, the
#: middle darkened to show on white paper).
BAND_COLOURS: tuple[str, ...] = ("#d7191c", "#fdae61", "#f2d65c", "#abd9e9", "#2c7bb6")

#: Names of the levels of a masterplan roll-up, singular and plural, as charts show them.
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "indicator": (N_("indicator"), N_("indicators")),
    "element": (N_("element"), N_("elements")),
    "dimension": (N_("dimension"), N_("dimensions")),
    "overall": (N_("overall score"), N_("overall scores")),
}

_LOCK = threading.RLock()


@contextmanager
def style() -> Iterator[None]:
    """Apply :data:`STYLE` inside the block (one chart at a time, so threads do not mix settings)."""
    with _LOCK, mpl.rc_context(cast("dict[Any, Any]", STYLE)):
        yield


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Silence matplotlib's warning that its font lacks a glyph (the SVG reader's fonts draw the text)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=RuntimeWarning)
        yield


def styled(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` under :func:`style`, and fix the layout of the figure it returns.

    The figure's artists take the house style when made. Its constrained layout is computed once
    and then kept (a later draw would start from the last one and move things by fractions of a
    point), so the figure gives the same SVG however often and in whatever order it is saved; call
    ``figure.set_layout_engine("constrained")`` after changing it to lay it out again.
    """

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with style():
            result = function(*args, **kwargs)
            if isinstance(result, Figure):
                with quiet_glyphs():
                    result.draw_without_rendering()
                result.set_layout_engine("none")
            return result

    return wrapper


def new_figure(height: float, width: float = A4_WIDTH) -> Figure:
    """Return an empty figure of ``width`` × ``height`` inches with constrained layout.

    The width is an A4 page's text block; the height grows with the rows drawn, so that labels
    keep their size (a report scales a taller figure down to its page).
    """
    return Figure(figsize=(width, max(height, 1.5)), layout="constrained")


def title(figure: Figure, text: str) -> None:
    """Give ``figure`` a bold title on the left."""
    figure.suptitle(text, x=0.01, ha="left")


def note(figure: Figure, text: str, axes: Axes | None = None) -> None:
    """Write a grey note: under the title of ``axes`` if given, else under ``figure``."""
    if axes is not None:
        axes.set_title(text, loc="left", fontsize=7.5, color=GREY, pad=10)
    else:
        figure.supxlabel(text, x=0.01, ha="left", fontsize=7, color=GREY)


def localise(axis: Axis) -> None:
    """Write an axis's tick values with the current language's decimal mark."""
    lang = language()
    axis.set_major_formatter(FuncFormatter(lambda value, _position: number(value, None, lang)))


def clean(text: object) -> str:
    """Return ``text`` on one line without characters XML cannot hold (control characters, line breaks)."""
    kept = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"} or char in "\ufffe\uffff" else char
        for char in str(text)
    )
    return " ".join(kept.split())


def shorten(text: object, limit: int = 40) -> str:
    """Return :func:`clean` ``text``, cut with an ellipsis beyond ``limit`` characters."""
    line = clean(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def number(value: float, digits: int | None = 1, lang: str | None = None) -> str:
    """Return ``value`` with ``digits`` decimals (``None``: as few as needed), in ``lang`` (default: the current one).

    ``1,234.5`` in English, ``1.234,5`` in Bahasa Indonesia.
    """
    text = f"{value:g}" if digits is None else f"{value:,.{digits}f}"
    if (lang or language()) == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float) -> str:
    """Return a share of 1 as a whole percentage (``83%``)."""
    return f"{share * 100:.0f}%"


def level_name(level: str, *, plural: bool = False) -> str:
    """Return a level's name in the current language (other levels' names as given)."""
    names = LEVEL_NAMES.get(level)
    return clean(level) if names is None else _(names[plural])


def capitalised(text: str) -> str:
    """Return ``text`` with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def tint(colour: str, amount: float) -> str:
    """Return ``colour`` mixed with white (``amount`` 0 keeps it, 1 gives white)."""
    red, green, blue = mcolors.to_rgb(colour)
    return mcolors.to_hex((red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount))


def palette(count: int) -> list[str]:
    """Return ``count`` distinguishable colours: Okabe and Ito's, then tab20's."""
    if count <= len(OKABE_ITO):
        return list(OKABE_ITO[:count])
    many = [mcolors.to_hex(mpl.colormaps[name](n)) for name in ("tab20", "tab20b") for n in range(20)]
    return [many[n % len(many)] for n in range(count)]


def dimension_colours(nodes: Sequence[str]) -> dict[str, str]:
    """Return a colour per dimension: the built-in framework's own, the palette for the others."""
    others = iter(colour for colour in (*OKABE_ITO, *palette(40)) if colour not in DIMENSION_COLOURS.values())
    return {node: DIMENSION_COLOURS.get(node) or next(others) for node in nodes}


def band_colours(scale: ReadinessScale) -> dict[int, str]:
    """Return a colour per readiness level of ``scale``, lowest red to highest blue."""
    count = len(scale.bands)
    if count == len(BAND_COLOURS):
        colours = list(BAND_COLOURS)
    else:
        cmap = mpl.colormaps["RdYlBu"]
        colours = [mcolors.to_hex(cmap(0.05 + 0.9 * n / max(count - 1, 1))) for n in range(count)]
    return {band.level: colour for band, colour in zip(scale.bands, colours, strict=True)}


def band_label(scale: ReadinessScale, level: int) -> str:
    """Return ``Name (low–high)`` for a readiness band."""
    bands = scale.bands
    index = [band.level for band in bands].index(level)
    low = bands[index].min
    high = bands[index + 1].min if index + 1 < len(bands) else 100.0
    return f"{clean(bands[index].label())} ({number(low, None)}–{number(high, None)})"


def framework_labels(framework: Framework) -> dict[str, str]:
    """Return the names of a framework's dimensions and elements in the current language."""
    lang = language()
    names = {dimension.id: dimension.label(lang) for dimension in framework.dimensions}
    names.update({element.id: element.label(lang) for element in framework.elements})
    return names
