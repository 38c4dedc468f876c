"""Shared building blocks of the domain models: the frozen base class and constrained types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from smartcity_model.i18n import _
from smartcity_model.numerals import AmbiguousNumberError, read_number

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "SLUG_PATTERN",
    "Amount",
    "Entity",
    "FrozenModel",
    "Label",
    "Slug",
    "Text",
    "Weight",
    "Year",
    "YearValues",
    "slugify",
]

#: What an identifier looks like: lowercase letters and digits, joined by ``-``, ``_`` or ``.``.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
#: An identifier: a lowercase slug such as ``diskominfo`` or ``gov-01``.
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]


def slugify(text: str) -> str:
    """Return ``text`` as an id: lowercase words joined by ``-`` (``Pelayanan publik`` → ``pelayanan-publik``)."""
    return "-".join("".join(char if char.isalnum() else " " for char in text.lower()).split())


#: The first and last years a plan, an observation or a target may name.
FIRST_YEAR, LAST_YEAR = 1900, 2200
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
#: A strictly positive, finite weight.
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]


def _rupiah(value: object) -> object:
    """Read ``Rp 1.200.000.000`` or ``1.250.000,50`` written as text; numbers pass as they are."""
    if isinstance(value, str):
        try:
            return read_number(value, "id" if value.strip().lower().startswith(("rp", "idr")) else None)
        except ValueError as error:
            code = "ambiguous-number" if isinstance(error, AmbiguousNumberError) else "wrong-type"
            raise PydanticCustomError(code, "{reason}", {"reason": str(error)}) from None
    return value


#: A non-negative, finite amount of money in rupiah (IDR); text such as ``Rp 1.200.000.000`` is read.
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False), BeforeValidator(_rupiah)]
#: A non-empty, single-line label shown to people.
Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

Language = Literal["id", "en"]


def _year_of(key: object) -> object:
    """Return the year a mapping key stands for as validation reads it (``'02025'``, ``2025.0``: 2025)."""
    if isinstance(key, bool):
        return key
    if isinstance(key, float) and key.is_integer():
        return int(key)
    if isinstance(key, str):
        text = key.strip().removeprefix("+").replace("_", "")
        for read in (int, float):
            try:
                number = read(text)
            except ValueError:
                continue
            return int(number) if isinstance(number, float) and number.is_integer() else number
    return key


def _distinct_years(value: object) -> object:
    """Refuse a mapping that gives one year twice, written two ways (``2026`` and ``'02026'``)."""
    if isinstance(value, Mapping):
        seen: dict[object, object] = {}
        for key in value:
            year = _year_of(key)
            if year in seen and not isinstance(key, bool):
                raise PydanticCustomError(
                    "duplicate-reference",
                    _("year {year} is given twice ({first} and {second}); keep one"),
                    {"year": str(year), "first": repr(seen[year]), "second": repr(key)},
                )
            seen[year] = key
    return value


#: Values by year (targets, expected values): each year once, however it is written.
YearValues = Annotated[dict[Year, float], BeforeValidator(_distinct_years)]


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


#: Optional free text; surrounding white space is dropped and blank text counts as absent.
Text = Annotated[Annotated[str, StringConstraints(strip_whitespace=True)] | None, BeforeValidator(_blank_to_none)]


class FrozenModel(BaseModel):
    """Base of every domain model: immutable, no unknown fields, finite numbers only."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_default=False,
        use_attribute_docstrings=True,
    )


class Entity(FrozenModel):
    """An object with an ``id``, an Indonesian ``name`` and an optional English ``name_en``."""

    id: Slug
    """Id, unique among the objects of its kind, e.g. ``diskominfo``."""
    name: Label
    """Name in Indonesian, as used in the masterplan document."""
    name_en: Label | None = None
    """English name, for international readers."""

    def label(self, lang: Language = "id") -> str:
        """Return the name to show in ``lang`` (``"id"`` or ``"en"``), falling back to Indonesian."""
        if lang == "en" and self.name_en is not None:
            return self.name_en
        return self.name
