"""Build a :class:`Masterplan` from plain data, reporting every problem of every object at once.

Each object is validated on its own, so one bad OPD does not hide a bad initiative; then the
whole-plan checks run on the objects that passed. Every problem keeps its path in the data, which
the file readers turn into a file name and line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar, Union, cast, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from smartcity_model.errors import PROBLEM_CODES, MasterplanError, Problem, closest, suggest
from smartcity_model.i18n import N_, _
from smartcity_model.model.alignment import Goal
from smartcity_model.model.analysis import DimensionVision, Issue
from smartcity_model.model.area import Area
from smartcity_model.model.assessment import Answer
from smartcity_model.model.base import slugify
from smartcity_model.model.governance import GoverningBody
from smartcity_model.model.header import PlanHeader, framework_of, with_element_ids
from smartcity_model.model.indicator import Indicator
from smartcity_model.model.initiative import Initiative
from smartcity_model.model.observation import Observation
from smartcity_model.model.opd import OPD
from smartcity_model.model.problems import PlanParts, plan_problems
from smartcity_model.model.progress import Progress
from smartcity_model.model.stakeholder import Stakeholder

__all__ = [
    "NUMBER_AS_TEXT",
    "REFERENCE_TARGETS",
    "SECTIONS",
    "Locator",
    "assemble",
    "locate_problem",
    "problems_from_validation",
    "referenced_sections",
    "validate_items",
]

#: The list sections of a masterplan, with the model of their items and the kind shown in messages.
SECTIONS: dict[str, tuple[type[BaseModel], str]] = {
    "opds": (OPD, "opd"),
    "indicators": (Indicator, "indicator"),
    "initiatives": (Initiative, "initiative"),
    "goals": (Goal, "goal"),
    "issues": (Issue, "issue"),
    "visions": (DimensionVision, "vision"),
    "stakeholders": (Stakeholder, "stakeholder"),
    "bodies": (GoverningBody, "body"),
    "areas": (Area, "area"),
    "assessment": (Answer, "answer"),
    "progress": (Progress, "progress"),
    "observations": (Observation, "observation"),
}

_Plan = TypeVar("_Plan", bound=PlanHeader)

#: The sections each reference field points into, by the section holding it (an initiative's ``lead`` into ``opds``).
REFERENCE_TARGETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("initiatives", "lead"): ("opds",),
    ("initiatives", "supporting"): ("opds",),
    ("initiatives", "indicators"): ("indicators",),
    ("initiatives", "depends_on"): ("initiatives",),
    ("initiatives", "goals"): ("goals",),
    ("initiatives", "addresses"): ("issues",),
    ("initiatives", "stakeholders"): ("stakeholders",),
    ("initiatives", "areas"): ("areas",),
    ("indicators", "custodian"): ("opds",),
    ("indicators", "goals"): ("goals",),
    ("observations", "indicator"): ("indicators",),
    ("progress", "initiative"): ("initiatives",),
    ("goals", "opd"): ("opds",),
    ("goals", "parent"): ("goals",),
    ("goals", "indicators"): ("indicators",),
    ("areas", "parent"): ("areas",),
    ("bodies", "members"): ("opds", "stakeholders"),
}


def referenced_sections(problem: Problem) -> tuple[str, ...]:
    """Return the sections an unresolved reference may point into (none for any other problem).

    >>> from smartcity_model.errors import Problem
    >>> referenced_sections(Problem("dangling-reference", "unknown OPD 'x'", field="lead", path=("initiatives", 0)))
    ('opds',)
    """
    if problem.code != "dangling-reference" or not problem.path:
        return ()
    return REFERENCE_TARGETS.get((str(problem.path[0]), (problem.field or "").split(".")[0]), ())


#: Maps a path in the plan's data to its (file, line), either of which may be unknown.
Locator = Callable[[tuple[str | int, ...]], tuple[str | None, int | None]]

_PYDANTIC_CODES = {
    "missing": "missing-field",
    "union_tag_not_found": "missing-field",
    "extra_forbidden": "unknown-field",
    "finite_number": "not-finite",
    "string_pattern_mismatch": "invalid-id",
    "greater_than": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than": "out-of-range",
    "less_than_equal": "out-of-range",
    "enum": "invalid-choice",
    "literal_error": "invalid-choice",
    "union_tag_invalid": "invalid-choice",
}
_OBSERVATIONS = TypeAdapter(list[Observation])
#: Longest rendering of a bad input value shown in a problem message.
_SHOWN_INPUT = 60


def _object_label(kind: str, raw: Any) -> str | None:
    if not isinstance(raw, Mapping):
        return None
    if kind == "observation":
        indicator, year = raw.get("indicator"), raw.get("year")
        return f"{indicator}/{year}" if indicator is not None else None
    if kind == "answer":
        question, year = raw.get("question"), raw.get("year")
        return f"{question}/{year}" if question is not None else None
    value = raw.get("dimension") if kind == "vision" else raw.get("id")
    return value if isinstance(value, str) else None


#: pydantic's messages for the errors a plan's fields meet, in words of our own (and the catalogue's).
_MESSAGES = {
    "missing": N_("Field required"),
    "int_parsing": N_("Input should be a whole number"),
    "int_type": N_("Input should be a whole number"),
    "int_from_float": N_("Input should be a whole number, without a fraction"),
    "float_parsing": N_("Input should be a number"),
    "float_type": N_("Input should be a number"),
    "string_type": N_("Input should be text"),
    "bool_parsing": N_("Input should be true or false"),
    "bool_type": N_("Input should be true or false"),
    "finite_number": N_("Input should be a finite number"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "string_too_short": N_("Input should not be empty"),
    "string_too_long": N_("Input should have at most {max_length} characters"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "list_type": N_("Input should be a list"),
    "tuple_type": N_("Input should be a list"),
    "dict_type": N_("Input should be a mapping of names to values"),
    "model_type": N_("Input should be a mapping of names to values"),
    "date_from_datetime_parsing": N_("Input should be a date (YYYY-MM-DD)"),
    "date_parsing": N_("Input should be a date (YYYY-MM-DD)"),
    "date_type": N_("Input should be a date (YYYY-MM-DD)"),
    "value_error": "{error}",
    "assertion_error": "{error}",
    "union_tag_invalid": N_("{discriminator} {tag} is unknown; write one of {expected_tags}"),
}


def _message(item: Mapping[str, Any]) -> str:
    """Return a pydantic error's message in our words and the current language (its own otherwise)."""
    template = _MESSAGES.get(str(item["type"]))
    if template is None:
        return str(item["msg"])
    context = dict(item.get("ctx", {}))
    if "expected" in context:
        context["expected"] = str(context["expected"]).replace(" or ", _(" or "))
    if item["type"] == "union_tag_invalid":
        context["discriminator"] = str(context.get("discriminator")).strip("'")
        context["tag"] = repr(str(context.get("tag")))
    try:
        message = _(template).format(**context)
    except (KeyError, IndexError, ValueError):
        return str(item["msg"])
    if item["type"] == "union_tag_invalid":  # a misspelt kind: name the closest (goalpost → goalposts)
        message += suggest(str(context["tag"]).strip("'"), re.findall(r"'([^']*)'", str(context.get("expected_tags"))))
    return message


def _choice_meant(item: Mapping[str, Any]) -> str:
    """Return ``" (did you mean 'apbd'?)"`` for a choice written in another case or spelling, else ``""``."""
    if item["type"] not in {"enum", "literal_error"} or not isinstance(item.get("input"), str):
        return ""
    choices = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
    written = str(item["input"]).strip().lower()
    meant = closest(written, choices) or closest(written.replace("-", "_").replace(" ", "_"), choices)
    return _(" (did you mean {id}?)").format(id=repr(meant)) if meant is not None else ""


def _shown(value: Any) -> str:
    """Show a value as it was written: ``true`` as YAML writes it, a date as a date, long text cut."""
    if isinstance(value, bool):
        shown = str(value).lower()
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        shown = value.date().isoformat()
    elif isinstance(value, dt.date):
        shown = value.isoformat()
    else:
        shown = repr(value)
    return shown if len(shown) <= _SHOWN_INPUT else shown[: _SHOWN_INPUT - 3] + "..."


#: Why a text field holds a number: said after the problem, which callers recognise by it.
NUMBER_AS_TEXT = N_(": YAML reads it as a number; put it in quotes to keep it as written")

#: How messages name the kind of a value that is not what was expected.
_VALUE_KINDS: dict[type, str] = {
    type(None): N_("nothing"),
    str: N_("a text"),
    bool: N_("true or false"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a mapping"),
    dt.date: N_("a date"),
}


def _kind_of(value: Any) -> str:
    """Name the kind of ``value`` in the current language: a list, a mapping, a text..."""
    kind = next((name for kind, name in _VALUE_KINDS.items() if type(value) is kind), None)
    return _(kind) if kind is not None else type(value).__name__


def _why_not_text(value: Any) -> str:
    """Say why YAML read a value written as text as something else, and how to keep it text."""
    if value is None:
        return _(
            ": the value is empty (YAML reads ~, null and a value beginning with ' #' as empty); "
            "fill it in, or put it in quotes"
        )
    if isinstance(value, bool):
        return _(": YAML reads an unquoted yes, no, on, off, true or false as true or false; put the text in quotes")
    if isinstance(value, dt.date):
        return _(": YAML reads an unquoted date as a date; put it in quotes to keep it as text")
    if isinstance(value, int | float):
        return _(NUMBER_AS_TEXT)
    return ""


def _not_an_id(value: str) -> str:
    """Say in plain words why ``value`` is not an id, and what it would be as one."""
    slug = slugify(value)
    example = _(" (for example {id})").format(id=repr(slug)) if slug and slug != value else ""
    shown = value if len(value) <= _SHOWN_INPUT else value[: _SHOWN_INPUT - 3] + "..."
    message = _("{value} is not an id: write ids in lowercase letters and digits, joined by '-', '_' or '.'")
    return message.format(value=repr(shown)) + example


def _models_in(annotation: Any) -> set[type[BaseModel]]:
    """Return the models an annotation holds, through optionals, unions, ``Annotated`` and containers."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    origin = get_origin(annotation)
    if origin is None:
        return set()
    args = get_args(annotation)[:1] if origin is Annotated else get_args(annotation)
    if origin in {Union, types.UnionType, Annotated, tuple, list, dict, frozenset, set}:
        return set().union(*(_models_in(arg) for arg in args))
    return set()


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> set[str]:
    """Return the field names (and aliases) the object at ``loc`` inside ``model`` takes."""
    candidates = {model}
    for part in loc:
        inner = [m for m in candidates if isinstance(part, str) and part in m.model_fields]
        if inner:  # a field: go into its models; else a list position, a key or a union's tag: stay
            candidates = set().union(*(_models_in(m.model_fields[str(part)].annotation) for m in inner))
    names: set[str] = set()
    for candidate in candidates:
        for name, info in candidate.model_fields.items():
            names.add(name)
            if isinstance(info.alias, str):
                names.add(info.alias)
    return names


def _did_you_mean_fields(problems: list[Problem], model: type[BaseModel], prefix_length: int) -> list[Problem]:
    """Name the closest field of each unknown field; one that names a missing field replaces that problem.

    ``leed: diskominfo`` is then one problem, *unknown field 'leed' (did you mean 'lead'?)*, instead
    of that and *lead: field required*.
    """
    replaced: set[tuple[str | int, ...]] = set()
    out = []
    for problem in problems:
        if problem.code != "unknown-field" or not problem.path or not isinstance(problem.path[-1], str):
            out.append(problem)
            continue
        *parent, name = problem.path
        name = str(name)
        known = _fields_at(model, tuple(parent[prefix_length:]))
        close = closest(name, known) or closest(name.replace("-", "_").lower(), known)
        if close is None:
            out.append(problem)
            continue
        hint = _(" (did you mean {id}?)").format(id=repr(close))
        out.append(dataclasses.replace(problem, message=problem.message + hint))
        replaced.add((*parent, close))
    return [problem for problem in out if not (problem.code == "missing-field" and problem.path in replaced)]


def problems_from_validation(
    error: ValidationError,
    *,
    prefix: tuple[str | int, ...],
    kind: str,
    obj_id: str | None,
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    """Turn pydantic's errors for one object into problems located under ``prefix``.

    With the ``model`` validated, an unknown field is given the closest field it may mean.
    """
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        code = item["type"] if item["type"] in PROBLEM_CODES else _PYDANTIC_CODES.get(item["type"], "wrong-type")
        message = _message(item)
        if item["type"] == "string_pattern_mismatch" and isinstance(item.get("input"), str):
            message = _not_an_id(item["input"])
        elif (
            code not in {"missing-field", "unknown-field"}
            and "input" in item
            and not isinstance(item["input"], Mapping)
            and repr(item["input"]) not in message  # the message quotes it already
        ):
            value = item["input"]
            message += _(" (got {value})").format(value=_shown(value)) + _choice_meant(item)
            if item["type"] == "string_type":
                message += _why_not_text(value)
        elif code == "unknown-field":
            message = _("unknown field {name}").format(name=repr(loc[-1])) if loc else message
        field = ".".join(str(part) for part in loc if part != "[key]") or None  # a key's problem is its entry's
        problems.append(Problem(code, message, kind=kind, id=obj_id, field=field, path=(*prefix, *loc)))
    return problems if model is None else _did_you_mean_fields(problems, model, len(prefix))


def validate_items(
    section: str,
    raw_items: list[Any],
    problems: list[Problem],
    unparsed: set[str],
    partial: list[tuple[int, Any]] | None = None,
) -> list[tuple[int, Any]]:
    """Validate one section's items one by one: the valid ones with their positions; problems appended.

    The label (id) of each item that fails is added to ``unparsed``. With a ``partial`` list, each
    item that fails is added to it with its valid fields only (see :func:`partial_object`), so
    that the plan's checks can report its other problems in the same round.
    """
    model, kind = SECTIONS[section]
    valid: list[tuple[int, Any]] = []
    for position, raw in enumerate(raw_items):
        try:
            valid.append((position, model.model_validate(raw)))
        except ValidationError as error:
            label = _object_label(kind, raw)
            if label is not None:
                unparsed.add(label)
            problems.extend(
                problems_from_validation(error, prefix=(section, position), kind=kind, obj_id=label, model=model)
            )
            item = partial_object(model, raw, error) if partial is not None else None
            if item is not None and partial is not None:
                partial.append((position, item))
    return valid


def partial_object(model: type[BaseModel], raw: Any, error: ValidationError) -> Any:
    """Return an object of ``model`` holding the fields of ``raw`` that are valid on their own, else ``None``.

    A field that failed is left empty (its default, or ``None``), so the plan's checks pass over
    it; the object is never part of a plan, only of the checks that find the rest of its problems.
    """
    if not isinstance(raw, Mapping) or "id" not in raw:
        return None
    failed = {item["loc"][0] for item in error.errors(include_url=False) if item["loc"]}
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = _field_value(model, name, raw[name]) if name in raw and name not in failed else None
        if value is None and not info.is_required():
            value = info.get_default(call_default_factory=True)
        values[name] = value
    return model.model_construct(**values) if isinstance(values["id"], str) else None


def _field_value(model: type[BaseModel], name: str, value: Any) -> Any:
    """Validate one field of ``model`` on its own; ``None`` if it is invalid."""
    try:
        return _field_adapter(model, name).validate_python(value)
    except ValidationError:
        return None


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _validate_observations(raw_items: list[Any], problems: list[Problem]) -> list[tuple[int, Observation]]:
    try:
        return list(enumerate(_OBSERVATIONS.validate_python(raw_items)))
    except ValidationError:
        # Rare path: validate one by one to keep the good rows and locate the bad ones.
        return validate_items("observations", raw_items, problems, set())


def _section_items(data: Mapping[str, Any], section: str, problems: list[Problem]) -> list[Any]:
    raw = data.get(section)
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return list(raw)
    problems.append(
        Problem(
            "wrong-shape",
            _("{section} must be a list, not {kind}").format(section=repr(section), kind=_kind_of(raw)),
            kind="masterplan",
            field=section,
            path=(section,),
        )
    )
    return []


def _try(field: FieldInfo, value: Any) -> Any:
    """Validate one header field on its own; ``None`` if it is invalid (already reported)."""
    try:
        annotation: Any = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        return TypeAdapter(annotation).validate_python(value)
    except ValidationError:
        return None


def assemble(plan_type: type[_Plan], data: Any, locate: Locator | None = None, source: str | None = None) -> _Plan:
    """Validate plain ``data`` into a plan of ``plan_type`` or raise one :class:`MasterplanError`.

    ``plan_type`` is :class:`~smartcity_model.Masterplan` (whose ``from_dict`` calls this);
    ``locate`` maps a problem's path to its file and line; ``source`` names what was read.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        code = "empty-document" if data is None else "wrong-shape"
        message = _("expected a mapping of masterplan fields, got {kind}").format(kind=_kind_of(data))
        raise MasterplanError([locate_problem(Problem(code, message), locate)], source)

    header_data = {key: value for key, value in data.items() if key not in SECTIONS}
    header: PlanHeader | None
    try:
        header = PlanHeader.model_validate(header_data)
    except ValidationError as error:
        header = None
        problems.extend(problems_from_validation(error, prefix=(), kind="masterplan", obj_id=None, model=PlanHeader))
    fields = PlanHeader.model_fields
    data = with_element_ids(data, header.framework if header is not None else framework_of(data))

    unparsed: dict[str, set[str]] = {name: set() for name in SECTIONS}
    valid: dict[str, list[tuple[int, Any]]] = {}
    checked: dict[str, list[tuple[int, Any]]] = {}  # the valid items and the valid parts of the others
    for section in SECTIONS:
        items = _section_items(data, section, problems)
        if section == "observations":
            valid[section] = checked[section] = _validate_observations(items, problems)
        else:
            partial: list[tuple[int, Any]] = []
            valid[section] = validate_items(section, items, problems, unparsed[section], partial)
            checked[section] = sorted([*valid[section], *partial], key=lambda pair: pair[0])

    def part(name: str) -> Any:
        if header is not None:
            return getattr(header, name)
        if name not in header_data:
            return None if fields[name].is_required() else fields[name].get_default(call_default_factory=True)
        return _try(fields[name], header_data[name])

    parts = PlanParts(
        region=part("region"),
        period=part("period"),
        framework=part("framework"),
        horizons=part("horizons"),
        pillars=part("pillars"),
        questionnaire=part("questionnaire"),
        **checked,
        unparsed_ids=unparsed,
    )
    problems.extend(plan_problems(parts))
    if problems:
        raise MasterplanError([locate_problem(problem, locate) for problem in problems], source)
    assert header is not None  # noqa: S101 - no problems means the header validated
    values: dict[str, Any] = {name: getattr(header, name) for name in fields}
    values.update({section: tuple(item for _, item in valid[section]) for section in SECTIONS})
    plan = plan_type.model_construct(**values)  # every part validated above, the whole too
    return cast("_Plan", plan)  # model_construct gives the class it is called on


def locate_problem(problem: Problem, locate: Locator | None) -> Problem:
    """Return ``problem`` with the file and line ``locate`` finds for its path."""
    if locate is None:
        return problem
    file, line = locate(problem.path)
    if file is None and line is None:
        return problem
    also = None
    if problem.related:
        other_file, other_line = locate(problem.related)
        if other_file is not None:
            also = f"{other_file}:{other_line}" if other_line is not None else other_file
    return dataclasses.replace(problem, file=file, line=line, also=also)
