"""The readiness assessment (*kesiapan daerah*): a questionnaire on the readiness pillars, and its answers.

Readiness is judged on three pillars — struktur, infrastruktur, suprastruktur — and on culture
where a region adds it. A :class:`Questionnaire` asks one question per aspect of a pillar, each
with five levels described in words; an :class:`Answer` gives the level a region reached on a
question in a year, with its evidence. The built-in questionnaire is ``kesiapan``
(:func:`builtin_questionnaire`); a plan may give one of its own.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources
from typing import Annotated

import yaml
from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import unknown_id
from smartcity_model.i18n import _
from smartcity_model.model.base import Entity, FrozenModel, Label, Language, Slug, Text, Year

__all__ = [
    "BUILTIN_QUESTIONNAIRES",
    "LEVELS",
    "Answer",
    "Level",
    "Question",
    "Questionnaire",
    "builtin_questionnaire",
]

#: The levels of every question, lowest first.
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
#: A level of a question's answer: a whole number from 1 to 5 (``3.0`` is 3; ``2.5`` is refused).
Level = Annotated[int, Field(ge=1, le=5)]
#: Names of the questionnaires shipped with the package.
BUILTIN_QUESTIONNAIRES: tuple[str, ...] = ("kesiapan",)


class Question(Entity):
    """One question of a readiness questionnaire; ``name`` asks it."""

    pillar: Slug
    """Id of the readiness pillar it assesses."""
    levels: dict[Level, Label]
    """What each level 1-5 means, in words (Indonesian)."""
    levels_en: dict[Level, Label] = Field(default_factory=dict)
    """What each level means, in English."""

    @field_validator("levels")
    @classmethod
    def _every_level(cls, value: dict[int, str]) -> dict[int, str]:
        if sorted(value) != list(LEVELS):
            raise PydanticCustomError("missing-field", _("a question describes each of its levels 1 to 5"))
        return dict(sorted(value.items()))

    def describe(self, level: int, lang: Language = "id") -> str:
        """Return what ``level`` means, in ``lang`` (falling back to Indonesian)."""
        if lang == "en" and level in self.levels_en:
            return self.levels_en[level]
        return self.levels[level]


class Questionnaire(FrozenModel):
    """A set of readiness questions, one or more per pillar."""

    id: Slug
    """Id of the questionnaire."""
    name: Label
    """Its name."""
    name_en: Label | None = None
    """English name."""
    source: Text = None
    """Where it comes from."""
    questions: tuple[Question, ...]
    """The questions."""

    @model_validator(mode="after")
    def _unique(self) -> Questionnaire:
        twice = sorted(q for q, n in Counter(q.id for q in self.questions).items() if n > 1)
        if twice:
            raise PydanticCustomError(
                "duplicate-id", _("question ids must be unique: {ids}"), {"ids": ", ".join(twice)}
            )
        return self

    def question(self, question_id: str) -> Question:
        """Return the question with id ``question_id``."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise unknown_id("question", question_id, [q.id for q in self.questions])

    @property
    def pillars(self) -> tuple[str, ...]:
        """Ids of the pillars its questions assess, in order."""
        return tuple(dict.fromkeys(q.pillar for q in self.questions))


class Answer(FrozenModel):
    """The level a region reached on one question in one year."""

    question: Slug
    """Id of the question."""
    year: Year
    """Year of the assessment."""
    level: Level
    """The level reached, 1-5."""
    evidence: Text = None
    """What shows it (a decree, a report, a visit)."""
    assessor: Text = None
    """Who assessed it (self-assessment, Kominfo's assessors, ...)."""


@cache
def builtin_questionnaire(name: str = "kesiapan") -> Questionnaire:
    """Return a built-in questionnaire by name (default: ``kesiapan``, four questions per pillar).

    Examples
    --------
    >>> q = builtin_questionnaire()
    >>> q.pillars, len(q.questions)
    (('structure', 'infrastructure', 'superstructure'), 12)
    """
    if name not in BUILTIN_QUESTIONNAIRES:
        raise unknown_id("built-in questionnaire", name, BUILTIN_QUESTIONNAIRES)
    text = resources.files("smartcity_model.frameworks").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return Questionnaire.model_validate(yaml.safe_load(text))
