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
ValueError: '1.250' is ambiguous: 1250 with '.' grouping thousands (Indonesian) or 1.25 with '.' as ...
>>> read_number("1.250", convention="id")
1250.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

__all__ = ["Convention", "column_convention", "convention_of", "read_number"]

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
        msg = (
            f"the column mixes {seen['id']!r} (Indonesian: decimal comma) and {seen['en']!r} "
            "(decimal point); write every number the same way"
        )
        raise ValueError(msg)
    return next(iter(seen), None)


def _readings(value: str) -> tuple[float, float]:
    """Both readings of an ambiguous number: (Indonesian, English)."""
    if "." in value:
        return float(value.replace(".", "")), float(value)
    return float(value.replace(",", ".")), float(value.replace(",", ""))


def read_number(text: str, convention: Convention | None = None) -> float:
    """Read a number written with a decimal comma or point, with or without thousands groups or ``Rp``.

    ``convention`` is the column's (see :func:`column_convention`); it settles ``1.250``. Raises
    ``ValueError`` with a message for people when the text is no number or is ambiguous.
    """
    value, rupiah = _clean(text)
    own = "id" if rupiah else convention_of(text)
    if own is not None and convention is not None and own != convention:
        msg = f"{text.strip()!r} is written {_NAMES[own]} but the rest of its column {_NAMES[convention]}"
        raise ValueError(msg)
    chosen = own or convention
    if _PLAIN.fullmatch(value):
        return float(value)
    ambiguous = _AMBIGUOUS_POINT.fullmatch(value) or _AMBIGUOUS_COMMA.fullmatch(value)
    if ambiguous and chosen is None:
        indonesian, english = _readings(value)
        point = "." in value
        meaning = (
            f"{indonesian:g} with '.' grouping thousands (Indonesian) or {english:g} with '.' as the decimal point"
            if point
            else f"{indonesian:g} with ',' as the decimal comma (Indonesian) or {english:g} with ',' grouping thousands"
        )
        whole = english if not point else indonesian
        msg = (
            f"{text.strip()!r} is ambiguous: {meaning}; write {whole:g} for the whole number, "
            f"or {value}0 (a fourth decimal) for the fraction"
        )
        raise ValueError(msg)
    if chosen == "id" and (_GROUPED_ID.fullmatch(value) or _COMMA.fullmatch(value) or ambiguous):
        return float(value.replace(".", "").replace(",", "."))
    if chosen == "en" and (_GROUPED_EN.fullmatch(value) or _POINT.fullmatch(value) or ambiguous):
        return float(value.replace(",", ""))
    msg = f"{text.strip()!r} is not a number"
    raise ValueError(msg)


_NAMES: dict[Convention, str] = {"id": "with a decimal comma", "en": "with a decimal point"}
