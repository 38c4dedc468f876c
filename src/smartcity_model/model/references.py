"""The references between the context parts of a plan: goals, analysis, visions, partners, bodies, places, answers.

Each part is checked against the rest of the plan as the core parts are
(:mod:`~smartcity_model.model.problems`): a reference to nothing is a ``dangling-reference``; a
statement under a parent of the wrong level, or a place inside itself, a ``misplaced-reference``;
two visions of one dimension or two answers to one question in one year, a ``duplicate-id``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartcity_model.errors import Problem
from smartcity_model.i18n import _
from smartcity_model.model.alignment import Goal, GoalLevel, PlanningDocument
from smartcity_model.model.area import Area
from smartcity_model.model.governance import GoverningBody
from smartcity_model.model.subject import Subject, dangling, repeated

if TYPE_CHECKING:
    from smartcity_model.model.problems import PlanParts

__all__ = ["KnownIds", "reference_problems"]

#: The rank of each level of planning statement, top first.
_RANK = {GoalLevel.MISI: 0, GoalLevel.TUJUAN: 1, GoalLevel.SASARAN: 2}


@dataclass(frozen=True)
class KnownIds:
    """The ids a plan's context parts may point to (``None``: not known, so not checked)."""

    opds: Collection[str]
    indicators: Collection[str]
    stakeholders: Collection[str]
    areas: Collection[str]
    dimensions: Collection[str] | None
    pillars: Collection[str] | None
    initiatives: Collection[str] | None = None


def reference_problems(
    parts: PlanParts, known: KnownIds, goals: Mapping[str, Goal], bodies: Mapping[str, GoverningBody]
) -> list[Problem]:
    """Return the problems of the references of goals, issues, visions, bodies, areas, answers, progress and pillars."""
    out: list[Problem] = []
    for position, goal in parts.goals:
        out += _goal_problems(Subject("goals", position, "goal", goal.id), goal, goals, known)
    for position, issue in parts.issues:
        subject = Subject("issues", position, "issue", issue.id)
        out += dangling(subject, known.dimensions, "dimension", issue.dimension, "dimension")
        out += _listed(subject, known.indicators, "indicator", "indicators", issue.indicators)
    out += _vision_problems(parts, known)
    members = set(known.opds) | set(known.stakeholders)
    for position, body in parts.bodies:
        out += _listed(Subject("bodies", position, "body", body.id), members, "member", "members", body.members)
    del bodies  # bodies are checked for repeated ids by the caller; their members here
    out += _area_problems(parts.areas, known)
    out += _answer_problems(parts)
    out += _progress_problems(parts, known)
    out += _pillar_problems(parts, known)
    clash = sorted(set(known.opds) & set(known.stakeholders))
    for position, stakeholder in parts.stakeholders:
        if stakeholder.id in clash:
            message = _("{id} names an OPD and a partner; a body's members could not tell them apart").format(
                id=repr(stakeholder.id)
            )
            subject = Subject("stakeholders", position, "stakeholder", stakeholder.id)
            out.append(subject.problem("duplicate-id", message, "id"))
    return out


def _listed(
    subject: Subject, known: Collection[str] | None, target: str, field: str, values: Sequence[str]
) -> list[Problem]:
    """Return the problems of a list of references: each to something known, none twice."""
    out: list[Problem] = []
    for i, value in enumerate(values):
        out += dangling(subject, known, target, value, field, i)
    out += [
        subject.problem("duplicate-reference", _("{id} is listed twice").format(id=repr(value)), field)
        for value in repeated(values)
    ]
    return out


def _goal_problems(subject: Subject, goal: Goal, goals: Mapping[str, Goal], known: KnownIds) -> list[Problem]:
    out = dangling(subject, known.opds, "OPD", goal.opd, "opd")
    out += _listed(subject, known.indicators, "indicator", "indicators", goal.indicators)
    if goal.parent is None:
        return out
    parent = goals.get(goal.parent)
    if parent is None:
        return out + dangling(subject, goals.keys(), "goal", goal.parent, "parent")
    if goal.document is PlanningDocument.RENSTRA and parent.document is PlanningDocument.RPJMD:
        return out  # an OPD's Renstra serves any statement of the RPJMD
    same_opd = parent.opd == goal.opd
    if parent.document is not goal.document or _RANK[parent.level] != _RANK[goal.level] - 1 or not same_opd:
        message = _(
            "its parent {parent} is a {level} of the {document}; a {own}'s parent is the {wanted} above it"
        ).format(
            parent=repr(parent.id),
            level=parent.level.value,
            document=parent.document.value.upper(),
            own=goal.level.value,
            wanted=next((level.value for level, rank in _RANK.items() if rank == _RANK[goal.level] - 1), "-"),
        )
        out.append(subject.problem("misplaced-reference", message, "parent"))
    return out


def _vision_problems(parts: PlanParts, known: KnownIds) -> list[Problem]:
    out: list[Problem] = []
    first: dict[str, int] = {}
    for position, vision in parts.visions:
        subject = Subject("visions", position, "vision", vision.dimension)
        out += dangling(subject, known.dimensions, "dimension", vision.dimension, "dimension")
        if vision.dimension in first:
            message = _("dimension {id} has a vision already; a dimension has one").format(id=repr(vision.dimension))
            out.append(subject.problem("duplicate-id", message, "dimension", related=first[vision.dimension]))
        else:
            first[vision.dimension] = position
    return out


def _area_problems(areas: Sequence[tuple[int, Area]], known: KnownIds) -> list[Problem]:
    out: list[Problem] = []
    parent_of = {area.id: area.parent for _position, area in areas}
    for position, area in areas:
        subject = Subject("areas", position, "area", area.id)
        out += dangling(subject, known.areas, "area", area.parent, "parent")
        seen, current = {area.id}, area.parent
        while current is not None and current in parent_of:
            if current in seen:
                message = _("{id} lies inside itself through its parents").format(id=repr(area.id))
                out.append(subject.problem("misplaced-reference", message, "parent"))
                break
            seen.add(current)
            current = parent_of[current]
    return out


def _answer_problems(parts: PlanParts) -> list[Problem]:
    out: list[Problem] = []
    questionnaire = parts.questionnaire
    questions = None if questionnaire is None else {q.id for q in questionnaire.questions}
    first: dict[tuple[str, int], int] = {}
    for position, answer in parts.assessment:
        subject = Subject("assessment", position, "answer", f"{answer.question}/{answer.year}")
        out += dangling(subject, questions, "question", answer.question, "question")
        period = parts.period
        if period is not None and answer.year > period.end:
            message = _("an assessment in {year}, after the plan ends ({end})").format(year=answer.year, end=period.end)
            out.append(subject.problem("year-outside-period", message, "year"))
        message = _("{question} is answered twice in {year}; keep one answer").format(
            question=repr(answer.question), year=answer.year
        )
        out += _once(subject, (answer.question, answer.year), first, message)
    return out


def _once(subject: Subject, key: tuple[str, int], first: dict[tuple[str, int], int], message: str) -> list[Problem]:
    """Return a ``duplicate-id`` problem if ``key`` came before (pointing at its first place), else note it."""
    if key in first:
        return [subject.problem("duplicate-id", message, related=first[key])]
    first[key] = subject.index
    return []


def _progress_problems(parts: PlanParts, known: KnownIds) -> list[Problem]:
    out: list[Problem] = []
    first: dict[tuple[str, int], int] = {}
    period = parts.period
    for position, record in parts.progress:
        subject = Subject("progress", position, "progress", f"{record.initiative}/{record.year}")
        out += dangling(subject, known.initiatives, "initiative", record.initiative, "initiative")
        if period is not None and not period.start <= record.year <= period.end:
            message = _("progress reported for {year}, outside the plan's period {period}").format(
                year=record.year, period=period
            )
            out.append(subject.problem("year-outside-period", message, "year"))
        message = _("{initiative} has two progress records for {year}; keep one").format(
            initiative=repr(record.initiative), year=record.year
        )
        out += _once(subject, (record.initiative, record.year), first, message)
    return out


def _pillar_problems(parts: PlanParts, known: KnownIds) -> list[Problem]:
    """Pillars the region adds must be new; a question answered must assess a pillar of the plan."""
    out: list[Problem] = []
    framework_pillars = set() if parts.framework is None else {p.id for p in parts.framework.pillars}
    for position, pillar in enumerate(parts.pillars or ()):
        if pillar.id in framework_pillars:
            message = _("the framework has the pillar {id} already").format(id=repr(pillar.id))
            where = ("pillars", position, "id")
            out.append(Problem("duplicate-id", message, kind="masterplan", field=f"pillars.{position}.id", path=where))
    if parts.questionnaire is None or known.pillars is None:
        return out
    pillar_of = {question.id: question.pillar for question in parts.questionnaire.questions}
    unknown = {question for question, pillar in pillar_of.items() if pillar not in known.pillars}
    for position, answer in parts.assessment:  # only the questions answered need their pillar in this plan
        if answer.question in unknown:
            message = _(
                "question {id} assesses the pillar {pillar}, which neither the framework nor the plan has; "
                "add the pillar under pillars"
            ).format(id=repr(answer.question), pillar=repr(pillar_of[answer.question]))
            subject = Subject("assessment", position, "answer", f"{answer.question}/{answer.year}")
            out.append(subject.problem("dangling-reference", message, "question"))
    return out
