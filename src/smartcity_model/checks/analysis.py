"""Analysis rules: problems and strategic issues the plan answers, and the vision of every dimension."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import N_, _
from smartcity_model.model.analysis import IssueKind

__all__ = ["analysis_rules"]

#: How a finding names the entries of the analysis that need an answer.
_KIND_WORDS = {
    IssueKind.PROBLEM: N_("problem"),
    IssueKind.STRATEGIC_ISSUE: N_("strategic issue"),
    IssueKind.WEAKNESS: N_("weakness"),
    IssueKind.THREAT: N_("threat"),
}


def analysis_rules(ctx: Context) -> Iterator[Raw]:
    """Yield a plan without analysis, issues no initiative addresses, initiatives addressing none, visions missing."""
    plan = ctx.plan
    if not plan.issues:
        yield Raw("no-analysis", "plan", None, _("no potential, problem or strategic issue is listed"))
    else:
        addressed = {issue for initiative in ctx.initiatives for issue in initiative.addresses}
        for issue in plan.issues:
            if issue.kind.needs_answer and issue.id not in addressed:
                message = _("no initiative addresses this {kind}: {name}").format(
                    kind=_(_KIND_WORDS[issue.kind]), name=issue.name
                )
                yield Raw("issue-unaddressed", "issue", issue.id, message)
        if any(issue.kind.needs_answer for issue in plan.issues):
            for initiative in ctx.initiatives:
                if not initiative.addresses:
                    yield Raw(
                        "initiative-addresses-nothing", "initiative", initiative.id, _("it names no issue it addresses")
                    )
    if plan.visions:
        seen = {vision.dimension for vision in plan.visions}
        for dimension in plan.framework.dimensions:
            if dimension.id not in seen:
                yield Raw("dimension-without-vision", "dimension", dimension.id, _("it has no vision or missions"))
