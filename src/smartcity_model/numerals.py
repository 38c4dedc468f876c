"""Numbers as people write them: ``79,5`` and ``1.250.000,50`` (Indonesian) or ``79.5`` and ``1,250,000.50``.

A number is read only when its meaning is certain. ``1.250`` is one thousand two hundred and
fifty to an Indonesian reader and one and a quarter to an English one; such a number is read
with the convention of the rest of its column when the column shows it (another value written
``79,5`` or ``79.5``), and is otherwise refused with both readings shown.

Examples
--------
>>> from smartcity_model.numerals import read_number
>>> read_number("79,5"), read_number("1.250.000,50"), read_number("Rp 1.200.000.000")
(79.5, 1250000.5, 1200000000.0)
>>> read_number("1.250")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
smartcity_model.numerals.AmbiguousNumberError: '1.250' is ambiguous: 1250 with '.' grouping thousands ...
>>> read_number("1.250", convention="id")
1250.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from smartcity_model.i18n import N_, _

__all__ = ["AmbiguousNumberError", "Convention", "column_convention", "convention_of", "read_number"]

#: ``id``: ``.`` groups thousands and ``,`` is the decimal comma; ``en``: the other way round.
Convention = Literal["id", "en"]

_PLAIN = re.compile(r"[+-]?\d+(e[+-]?\d+)?", re.IGNORECASE)
_POINT = re.compile(r"[+-]?(\d*\.\d+|\d+\.)(e[+-]?\d+)?", re.IGNORECASE)
_COMMA = re.compile(r"[+-]?\d*,\d+")
_GROUPED_ID = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?")
_GROUPED_EN = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")
_AMBIGUOUS_POINT = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_AMBIGUOUS_COMMA = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)


def _clean(text: str) -> tuple[str, bool]:
    """Strip spaces and a rupiah prefix; say whether the prefix was there (it declares ``id``)."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    stripped = _CURRENCY.sub("", value)
    if stripped != value and stripped.endswith((",-", ".-")):  # Rp 3.000.000,- : no cents
        stripped = stripped[:-2]
    return stripped, stripped != value


def convention_of(text: str) -> Convention | None:
    """Return the convention a number's spelling proves, or ``None`` when it proves none."""
    value, rupiah = _clean(text)
    if rupiah:
        return "id"
    if _AMBIGUOUS_POINT.fullmatch(value) or _AMBIGUOUS_COMMA.fullmatch(value) or _PLAIN.fullmatch(value):
        return None
    if _GROUPED_ID.fullmatch(value) or _COMMA.fullmatch(value):
        return "id"
    if _GROUPED_EN.fullmatch(value) or _POINT.fullmatch(value):
        return "en"
    return None


def column_convention(cells: Iterable[str]) -> Convention | None:
    """Return the convention the cells of one column prove, ``None`` if none; refuse a column that mixes both.

    Raises ``ValueError`` naming one cell of each convention when both appear.
    """
    seen: dict[Convention, str] = {}
    for cell in cells:
        found = convention_of(cell)
        if found is not None:
            seen.setdefault(found, cell)
    if len(seen) == 2:  # noqa: PLR2004 - both conventions
        msg = _(
            "the column mixes {comma} (Indonesian: decimal comma) and {point} (decimal point); "
            "write every number the same way"
        ).format(comma=repr(seen["id"]), point=repr(seen["en"]))
        raise ValueError(msg)
    return next(iter(seen), None)


def _readings(value: str) -> tuple[float, float]:
    """Both readings of an ambiguous number: (Indonesian, English)."""
    if "." in value:
        return float(value.replace(".", "")), float(value)
    return float(value.replace(",", ".")), float(value.replace(",", ""))


class AmbiguousNumberError(ValueError):
    """A number that reads two ways (``1.250``: one thousand two hundred and fifty, or 1.25)."""


def read_number(text: str, convention: Convention | None = None) -> float:
    """Read a number written with a decimal comma or point, with or without thousands groups or ``Rp``.

    ``convention`` is the column's (see :func:`column_convention`); it settles ``1.250``. Raises
    ``ValueError`` with a message for people when the text is no number, and
    :class:`AmbiguousNumberError` (a ``ValueError``) when it reads two ways.
    """
    value, rupiah = _clean(text)
    own = "id" if rupiah else convention_of(text)
    if own is not None and convention is not None and own != convention:
        msg = _("{text} is written {own} but the rest of its column {theirs}").format(
            text=repr(text.strip()), own=_(_NAMES[own]), theirs=_(_NAMES[convention])
        )
        raise ValueError(msg)
    chosen = own or convention
    if _PLAIN.fullmatch(value):
        return float(value)
    ambiguous = _AMBIGUOUS_POINT.fullmatch(value) or _AMBIGUOUS_COMMA.fullmatch(value)
    if ambiguous and chosen is None:
        indonesian, english = _readings(value)
        point = "." in value
        meaning = (
            _("{id:g} with '.' grouping thousands (Indonesian) or {en:g} with '.' as the decimal point")
            if point
            else _("{id:g} with ',' as the decimal comma (Indonesian) or {en:g} with ',' grouping thousands")
        ).format(id=indonesian, en=english)
        whole = english if not point else indonesian
        msg = _(
            "{text} is ambiguous: {meaning}; write {whole:g} for the whole number, "
            "or {fraction} (a fourth decimal) for the fraction"
        ).format(text=repr(text.strip()), meaning=meaning, whole=whole, fraction=f"{value}0")
        raise AmbiguousNumberError(msg)
    if chosen == "id" and (_GROUPED_ID.fullmatch(value) or _COMMA.fullmatch(value) or ambiguous):
        return float(value.replace(".", "").replace(",", "."))
    if chosen == "en" and (_GROUPED_EN.fullmatch(value) or _POINT.fullmatch(value) or ambiguous):
        return float(value.replace(",", ""))
    msg = _("{text} is not a number").format(text=repr(text.strip()))
    raise ValueError(msg)


_NAMES: dict[Convention, str] = {"id": N_("with a decimal comma"), "en": N_("with a decimal point")}
