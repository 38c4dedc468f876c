"""Frameworks: dimensions made of elements, plus optional readiness pillars.

The Indonesian *Gerakan Menuju 100 Smart City* framework (six dimensions, eighteen elements)
ships built in; see :func:`smartcity_model.builtin_framework`. Any other framework (ISO 37122,
U4SSC, a region's own) is plain data of the same shape.
"""

from __future__ import annotations

import difflib
from collections import Counter
from functools import cache, cached_property
from importlib import resources

import yaml
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import unknown_id
from smartcity_model.i18n import _
from smartcity_model.model.base import Entity, FrozenModel, Label, Slug, Text, Weight, slugify

__all__ = ["BUILTIN_FRAMEWORKS", "Dimension", "Element", "Framework", "Pillar", "builtin_framework"]

#: Names of the frameworks that ship with the library (YAML files in ``smartcity_model.frameworks``).
BUILTIN_FRAMEWORKS: tuple[str, ...] = ("gm100sc",)


class Element(Entity):
    """An element of a dimension, e.g. *Pelayanan publik* under Smart Governance."""

    weight: Weight = 1.0
    """Weight of the element inside its dimension."""
    description: Text = None
    """What the element covers."""


class Dimension(Entity):
    """A dimension of the framework, e.g. Smart Governance, made of elements."""

    weight: Weight = 1.0
    """Weight of the dimension in the overall readiness."""
    elements: tuple[Element, ...]
    """The elements of the dimension, in display order."""


class Pillar(Entity):
    """A readiness pillar (e.g. *struktur*, *infrastruktur*, *suprastruktur*): a second axis for indicators."""

    description: Text = None
    """What the pillar covers."""


class Framework(FrozenModel):
    """A framework of dimensions and elements that indicators and initiatives attach to."""

    id: Slug
    """Id of the framework, e.g. ``gm100sc``."""
    name: Label
    """Name of the framework."""
    name_en: Label | None = None
    """English name."""
    source: Text = None
    """Where the framework is defined."""
    dimensions: tuple[Dimension, ...]
    """The dimensions, in display order."""
    pillars: tuple[Pillar, ...] = ()
    """Optional readiness pillars (a second axis for indicators)."""

    @model_validator(mode="after")
    def _unique_ids(self) -> Framework:
        ids = [d.id for d in self.dimensions] + [e.id for d in self.dimensions for e in d.elements]
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
        pillar_dups = sorted(i for i, n in Counter(p.id for p in self.pillars).items() if n > 1)
        if duplicates or pillar_dups:
            raise PydanticCustomError(
                "duplicate-id",
                _("framework ids must be unique across dimensions and elements: {ids}"),
                {"ids": ", ".join(duplicates + pillar_dups)},
            )
        if not self.dimensions:
            raise PydanticCustomError("empty-document", _("a framework needs at least one dimension"))
        return self

    @cached_property
    def _elements(self) -> dict[str, tuple[Element, Dimension]]:
        return {e.id: (e, d) for d in self.dimensions for e in d.elements}

    @property
    def elements(self) -> tuple[Element, ...]:
        """All elements, dimension by dimension."""
        return tuple(e for d in self.dimensions for e in d.elements)

    def dimension(self, dimension_id: str) -> Dimension:
        """Return the dimension with id ``dimension_id``."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise unknown_id("dimension", dimension_id, [d.id for d in self.dimensions])

    def element(self, element_id: str) -> Element:
        """Return the element with id ``element_id``."""
        try:
            return self._elements[element_id][0]
        except KeyError:
            raise unknown_id("element", element_id, list(self._elements)) from None

    def dimension_of(self, element_id: str) -> Dimension:
        """Return the dimension that element ``element_id`` belongs to."""
        try:
            return self._elements[element_id][1]
        except KeyError:
            raise unknown_id("element", element_id, list(self._elements)) from None

    def has_element(self, element_id: str) -> bool:
        """Tell whether the framework has an element ``element_id``."""
        return element_id in self._elements

    def closest_element(self, word: str) -> str | None:
        """Return the id of the element ``word`` most likely means, or ``None``.

        A misspelt id or name (``pelayanan publk``), or words of one element's name only
        (``Sampah`` for *Tata kelola sampah dan limbah*, ``smart-mobility`` for *Mobility*).

        Examples
        --------
        >>> fw = builtin_framework()
        >>> fw.closest_element("Sampah"), fw.closest_element("helth"), fw.closest_element("smart-mobility")
        ('waste', 'health', 'mobility')
        >>> fw.closest_element("ekosistem") is None  # a word of several names
        True
        """
        words = self._element_words
        close = difflib.get_close_matches(slugify(word), list(words), n=1, cutoff=0.75)
        if close:
            return words[close[0]]
        wanted = set(slugify(word).split("-")) - {""}
        named = {
            element.id: set().union(
                *(slugify(label).split("-") for label in (element.id, element.name, element.name_en) if label)
            )
            for element in self.elements
        }
        for holds in (wanted.issubset, wanted.intersection):  # every word of one name, else a word of one
            holding = [element for element, words in named.items() if wanted and holds(words)]
            if len(holding) == 1:
                return holding[0]
        return None

    @cached_property
    def _element_words(self) -> dict[str, str]:
        words: dict[str, str] = {}
        for element in self.elements:
            for label in (element.name, element.name_en):
                if label:
                    words.setdefault(_word(label), element.id)
                    words.setdefault(slugify(label), element.id)
        words.update({element.id: element.id for element in self.elements})
        return words

    def element_id(self, word: str) -> str:
        """Return the id of the element that ``word`` names: its id, or its Indonesian or English name.

        Names are matched in any case and also as slugs (``Pelayanan publik``, ``pelayanan-publik``
        and ``Public service`` all give ``public-service``); any other word is returned unchanged.

        Examples
        --------
        >>> fw = builtin_framework()
        >>> fw.element_id("Pelayanan publik"), fw.element_id("pelayanan-publik"), fw.element_id("Health")
        ('public-service', 'public-service', 'health')
        """
        return self._element_words.get(_word(word), self._element_words.get(slugify(word), word))


def _word(text: str) -> str:
    return " ".join(text.lower().split())


@cache
def builtin_framework(name: str = "gm100sc") -> Framework:
    """Return a built-in framework by name (default: the Indonesian six-dimension framework).

    Examples
    --------
    >>> fw = builtin_framework()
    >>> [d.id for d in fw.dimensions]
    ['governance', 'branding', 'economy', 'living', 'society', 'environment']
    >>> len(fw.elements)
    18
    """
    if name not in BUILTIN_FRAMEWORKS:
        raise unknown_id("built-in framework", name, BUILTIN_FRAMEWORKS)
    text = resources.files("smartcity_model.frameworks").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return Framework.model_validate(yaml.safe_load(text))
