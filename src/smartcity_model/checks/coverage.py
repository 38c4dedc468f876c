"""Coverage rules: dimensions and elements without indicators or initiatives, and unlinked parts."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw

__all__ = ["coverage_rules"]


def coverage_rules(ctx: Context) -> Iterator[Raw]:
    """Yield gaps in coverage, in framework order, then indicators and initiatives in plan order.

    An element is served by an initiative that names it or moves one of its indicators. Element
    findings are left out for a dimension that already has the same finding as a whole.
    """
    plan = ctx.plan
    measured = {indicator.element for indicator in plan.indicators}
    served = set().union(*ctx.elements_served.values()) if ctx.elements_served else set()
    for dimension in plan.framework.dimensions:
        elements = [e.id for e in dimension.elements]
        for missing, covered, what in (("indicator", measured, "measures"), ("initiative", served, "serves")):
            if not covered.intersection(elements):
                message = f"no {missing} {what} any of its elements ({', '.join(elements)})"
                yield Raw(f"dimension-without-{missing}", "dimension", dimension.id, message, tuple(elements))
                continue
            for element_id in elements:
                if element_id not in covered:
                    message = f"no {missing} {what} it (dimension {dimension.id!r})"
                    yield Raw(f"element-without-{missing}", "element", element_id, message, (dimension.id,))
    moved = {indicator_id for initiative in ctx.initiatives for indicator_id in initiative.indicator_ids}
    for indicator in plan.indicators:
        if indicator.id not in moved:
            yield Raw(
                "indicator-not-moved",
                "indicator",
                indicator.id,
                f"no initiative moves it (element {indicator.element!r})",
            )
    for initiative in ctx.initiatives:
        if not initiative.indicators:
            yield Raw("initiative-moves-nothing", "initiative", initiative.id, "it names no indicator it should move")
