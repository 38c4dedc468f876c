"""Where a problem of a plan lies, and the references that point to nothing: helpers of the whole-plan checks."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from smartcity_model.errors import Problem, suggest
from smartcity_model.i18n import N_, _

__all__ = ["Subject", "dangling", "first_by_id", "repeated"]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


@dataclass(frozen=True, slots=True)
class Subject:
    """The object a problem is about: where it sits in the plan's data, its kind and id."""

    section: str
    index: int
    kind: str
    id: str | None

    def problem(self, code: str, message: str, field: str = "", *sub: str | int, related: int | None = None) -> Problem:
        """Return a problem about ``field`` (dotted, then ``sub`` parts such as list positions).

        ``related`` is the position of another object of the section the problem is about.
        """
        parts = (*field.split("."), *sub) if field else ()
        shown = ".".join(str(part) for part in parts) or None
        other = () if related is None else (self.section, related)
        path = (self.section, self.index, *parts)
        return Problem(code, message, kind=self.kind, id=self.id, field=shown, path=path, related=other)


#: Kinds of reference whose valid ids are listed when a reference is not close to any.
_LISTED = {"element": N_("elements"), "pillar": N_("pillars"), "dimension": N_("dimensions")}
#: The kinds of object a reference may point to, as messages name them.
_TARGETS = {
    "OPD": N_("OPD"),
    "element": N_("element"),
    "pillar": N_("pillar"),
    "indicator": N_("indicator"),
    "initiative": N_("initiative"),
    "goal": N_("goal"),
    "issue": N_("issue"),
    "stakeholder": N_("stakeholder"),
    "area": N_("area"),
    "dimension": N_("dimension"),
    "question": N_("question"),
    "member": N_("OPD or partner"),
}


def dangling(  # noqa: PLR0913 - a reference: its subject, the ids known, kind, value, field, what it may mean
    subject: Subject,
    known: Collection[str] | None,
    target: str,
    value: str | None,
    field: str,
    *sub: int,
    closest: Callable[[str], str | None] | None = None,
) -> list[Problem]:
    """Return a ``dangling-reference`` problem if ``value`` is not among ``known`` (unchecked if ``None``).

    ``closest`` finds what a value may mean beyond a close spelling (an element by a word of its name).
    """
    if value is None or known is None or value in known:
        return []
    meant = closest(value) if closest is not None else None
    hint = _(" (did you mean {id}?)").format(id=repr(meant)) if meant else suggest(value, known)
    if not hint and target in _LISTED:  # a framework's ids are few: name them all
        hint = _("; the {kinds} are {ids}").format(kinds=_(_LISTED[target]), ids=", ".join(sorted(known)))
    message = _("unknown {kind} {id}").format(kind=_(_TARGETS.get(target, target)), id=repr(value)) + hint
    return [subject.problem("dangling-reference", message, field, *sub)]


def first_by_id(section: str, kind: str, items: Sequence[tuple[int, _Item]], out: list[Problem]) -> dict[str, _Item]:
    """Index ``items`` by id, reporting every repeated id as ``duplicate-id``."""
    index: dict[str, _Item] = {}
    first: dict[str, int] = {}
    for position, item in items:
        if item.id in index:
            word = _(_TARGETS.get("OPD" if kind == "opd" else kind, kind))
            message = _("{kind} id {id} is used again; an id names one {kind} only").format(kind=word, id=repr(item.id))
            subject = Subject(section, position, kind, item.id)
            out.append(subject.problem("duplicate-id", message, "id", related=first[item.id]))
        else:
            index[item.id], first[item.id] = item, position
    return index


def repeated(values: Iterable[str]) -> list[str]:
    """Return the values given more than once (each repeat, in order)."""
    seen: set[str] = set()
    repeated = []
    for value in values:
        if value in seen:
            repeated.append(value)
        seen.add(value)
    return repeated
