"""The report's tables on a plan's context: alignment, analysis, partners, governance, places, pillars, evaluation.

Like :mod:`smartcity_model.report.sections`, every function returns text and numbers in the
current language, no markup; a part the plan does not have yet gives ``None``, and the report
says so rather than leaving the section out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd

from smartcity_model.checks.context import with_ancestors
from smartcity_model.i18n import N_, _, language
from smartcity_model.model import Masterplan
from smartcity_model.report.sections import Cell, Table, _n, _t, band_css
from smartcity_model.scoring.evaluation import EVALUATION_COMPONENTS, Evaluation

__all__ = [
    "area_table",
    "body_table",
    "evaluation_table",
    "focal_point_table",
    "goal_table",
    "issue_table",
    "partner_table",
    "pillar_section_table",
    "vision_table",
]

#: How the report names the kinds of the plan's context (in the reader's language).
KIND_WORDS: dict[str, str] = {
    "rpjmd": "RPJMD",
    "renstra": "Renstra",
    "potential": N_("potential"),
    "problem": N_("problem"),
    "strategic_issue": N_("strategic issue"),
    "strength": N_("strength"),
    "weakness": N_("weakness"),
    "opportunity": N_("opportunity"),
    "threat": N_("threat"),
    "government": N_("government"),
    "academia": N_("academia"),
    "business": N_("business"),
    "community": N_("community"),
    "media": N_("media"),
    "council": N_("council"),
    "team": N_("implementation team"),
    "forum": N_("forum"),
}
_COMPONENT_WORDS = {
    "baseline": N_("baseline"),
    "output": N_("output"),
    "outcome": N_("outcome"),
    "impact": N_("impact"),
    "quick_win": N_("quick win"),
}


def _word(kind: str) -> str:
    word = KIND_WORDS.get(kind)
    return _(word) if word is not None else kind


def _count(ids: Iterable[str]) -> Cell:
    return Cell(str(len(list(ids))), number=True)


def _naming(plan: Masterplan, field: str) -> dict[str, list[str]]:
    """Return, for each id the initiatives name in ``field`` (``addresses``, ``stakeholders``), those initiatives."""
    naming: dict[str, list[str]] = defaultdict(list)
    for initiative in plan.initiatives:
        for named in getattr(initiative, field):
            naming[named].append(initiative.id)
    return naming


def _served_by(direct: Mapping[str, list[str]], parent: Mapping[str, str | None]) -> dict[str, set[str]]:
    """Return, for each id, the initiatives naming it or something below it (a goal's targets, a kecamatan's desa)."""
    found: dict[str, set[str]] = defaultdict(set)
    for initiative_id, ids in direct.items():
        for reached in with_ancestors(ids, parent):
            found[reached].add(initiative_id)
    return found


def goal_table(plan: Masterplan) -> Table | None:
    """Return the RPJMD and Renstra goals with the initiatives that serve each (directly or through those below)."""
    if not plan.goals:
        return None
    parent = {goal.id: goal.parent for goal in plan.goals}
    served = _served_by({i.id: list(i.goals) for i in plan.initiatives}, parent)
    acronym = {opd.id: opd.acronym or opd.id for opd in plan.opds}
    body = [
        [
            _t(goal.code or goal.id, "nowrap"),
            _t(goal.level.value),
            _t(_word(goal.document.value) + (f" {acronym.get(goal.opd, goal.opd)}" if goal.opd else "")),
            _t(goal.label(language())),
            _count(served.get(goal.id, ())),
        ]
        for goal in plan.goals
    ]
    headers = [_("code"), _("level"), _("document"), _("statement"), _("initiatives")]
    caption = _("A goal is served by the initiatives that name it or a goal below it.")
    return Table(headers, body, caption)


def vision_table(plan: Masterplan) -> Table | None:
    """Return each dimension's vision and missions."""
    if not plan.visions:
        return None
    names = {d.id: d.label(language()) for d in plan.framework.dimensions}
    body = [
        [
            _t(names.get(vision.dimension, vision.dimension)),
            _t(vision.vision_en if language() == "en" and vision.vision_en else vision.vision),
            _t("; ".join(vision.missions) or "–"),
        ]
        for vision in plan.visions
    ]
    return Table([_("dimension"), _("vision"), _("missions")], body)


def issue_table(plan: Masterplan) -> Table | None:
    """Return the strategic analysis with the initiatives addressing each entry."""
    if not plan.issues:
        return None
    addressing = _naming(plan, "addresses")
    names = {d.id: d.label(language()) for d in plan.framework.dimensions}
    body = []
    for issue in plan.issues:
        answered = addressing.get(issue.id, [])
        css = "missing" if issue.kind.needs_answer and not answered else ""
        body.append(
            [
                _t(_word(issue.kind.value)),
                _t(names.get(issue.dimension, issue.dimension) if issue.dimension else _("all dimensions")),
                _t(issue.label(language())),
                _t(", ".join(answered) or "–", css),
            ]
        )
    headers = [_("kind"), _("dimension"), _("entry"), _("addressed by")]
    caption = _("Problems, strategic issues, weaknesses and threats need an initiative that addresses them.")
    return Table(headers, body, caption)


def partner_table(plan: Masterplan) -> Table | None:
    """Return the partners beyond the OPDs with the initiatives and bodies they take part in."""
    if not plan.stakeholders:
        return None
    initiatives = _naming(plan, "stakeholders")
    bodies: dict[str, list[str]] = defaultdict(list)
    for body_ in plan.bodies:
        for member in body_.members:
            bodies[member].append(body_.label(language()))
    body = [
        [
            _t(_word(partner.role.value)),
            _t(partner.label(language())),
            _t(", ".join(initiatives.get(partner.id, [])) or "–"),
            _t(", ".join(bodies.get(partner.id, [])) or "–"),
        ]
        for partner in plan.stakeholders
    ]
    roles = Counter(partner.role.value for partner in plan.stakeholders)
    caption = ", ".join(f"{_word(role)}: {count}" for role, count in roles.items())
    return Table([_("role"), _("partner"), _("initiatives"), _("bodies")], body, caption)


def body_table(plan: Masterplan) -> Table | None:
    """Return the council, team and forum with their decrees and members."""
    if not plan.bodies:
        return None
    names = {opd.id: opd.acronym or opd.id for opd in plan.opds}
    names |= {partner.id: partner.acronym or partner.label(language()) for partner in plan.stakeholders}
    body = [
        [
            _t(_word(governing.kind.value)),
            _t(governing.label(language())),
            _t(governing.chair or "–"),
            _t(governing.decree.number, "") if governing.decree else _t(_("no decree yet"), "missing"),
            _t(", ".join(names.get(member, member) for member in governing.members) or "–"),
        ]
        for governing in plan.bodies
    ]
    return Table([_("kind"), _("body"), _("chair"), _("decree"), _("members")], body)


def focal_point_table(plan: Masterplan) -> Table | None:
    """Return each OPD's smart city focal point (only if some OPD names one)."""
    if not any(opd.focal_point for opd in plan.opds):
        return None
    body = [
        [
            _t(opd.acronym or opd.id),
            _t(opd.label(language())),
            _t(opd.focal_point) if opd.focal_point else _t(_("not named"), "missing"),
        ]
        for opd in plan.opds
    ]
    return Table([_("OPD"), _("name"), _("focal point")], body)


def area_table(plan: Masterplan) -> Table | None:
    """Return the places with the initiatives that reach each (naming it or a place inside it)."""
    if not plan.areas:
        return None
    parent = {area.id: area.parent for area in plan.areas}
    reached = _served_by({i.id: list(i.areas) for i in plan.initiatives}, parent)
    everywhere = sum(1 for initiative in plan.initiatives if not initiative.areas)
    names = {area.id: area.label(language()) for area in plan.areas}
    body = [
        [
            _t(area.kind.value),
            _t(area.label(language())),
            _t(names.get(area.parent, area.parent) if area.parent else "–"),
            _count(reached.get(area.id, ())),
        ]
        for area in plan.areas
    ]
    caption = _(
        "Initiatives placed in each place or a place inside it; {n} initiatives name no place and serve the whole "
        "region."
    ).format(n=everywhere)
    return Table([_("kind"), _("place"), _("inside"), _("initiatives")], body, caption)


def pillar_section_table(table: pd.DataFrame, names: Mapping[str, str], scale_label: Mapping[int, str]) -> Table:
    """Return readiness by pillar for one year: from indicators, from the questionnaire, combined, banded."""
    body = []
    for row, level in zip(table.itertuples(index=False), table["readiness_level"].astype("Float64"), strict=True):
        shown = "–" if pd.isna(level) else scale_label.get(int(level), "")
        body.append(
            [
                _t(names.get(str(row.node), str(row.node))),
                _n(row.from_indicators),
                _n(row.indicator_coverage, 0, percent=True),
                _n(row.from_questionnaire),
                Cell(str(row.answers), number=True),
                _n(row.score),
                _t(shown, band_css(level)),
            ]
        )
    headers = [
        _("pillar"),
        _("from indicators"),
        _("coverage"),
        _("from the questionnaire"),
        _("answers"),
        _("score"),
        _("readiness"),
    ]
    caption = _(
        "A questionnaire level 1-5 counts (level - 1) × 25; a pillar with both scores takes their mean. "
        "An answer holds until the question is answered again."
    )
    return Table(headers, body, caption)


def evaluation_table(evaluation: Evaluation, names: Mapping[str, str]) -> Table:
    """Return Kominfo's evaluation: each dimension's components and total (1-5), then the region's."""
    frame = evaluation.table()
    body = []
    for row in frame.itertuples(index=False):
        dimension = str(row.dimension)
        label = _("total") if dimension == "overall" else names.get(dimension, dimension)
        body.append([_t(label), *(_n(getattr(row, name), 2) for name in (*EVALUATION_COMPONENTS, "total"))])
    weights = ", ".join(
        f"{_(_COMPONENT_WORDS[name])} {evaluation.weights[name] * 100:g}%" for name in EVALUATION_COMPONENTS
    )
    headers = [_("dimension"), *(_(_COMPONENT_WORDS[name]) for name in EVALUATION_COMPONENTS), _("total")]
    return Table(headers, body, _("Scores 1-5; weights {weights}.").format(weights=weights))
