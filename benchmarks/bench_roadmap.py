"""Benchmark: schedule analysis (CPM) and prioritisation under a budget on a national-scale synthetic plan.

Builds the plan of ``bench_checks.py`` (10,000 initiatives; ``--scale`` shrinks it), times
``schedule`` with ``critical_paths`` and ``prioritise`` (HiGHS, and the greedy rule), and compares
them with networkx's topological sort and longest path on the same prerequisite graph (weighted
by the initiatives' durations): the work any schedule analysis has to do. The solver's time is
also reported at a tenth and a hundredth of the size (1,000 and 100 initiatives at full scale), with
the default tolerance (a relative gap of 10⁻⁶); the full size is solved to a gap of 10⁻⁴.

    python benchmarks/bench_roadmap.py            # full size
    python benchmarks/bench_roadmap.py --scale 0.1
"""

from __future__ import annotations

import time
import warnings

import networkx as nx
from bench_checks import synthetic_plan
from timing import interleaved_best, print_report, scale_arguments

import smartcity_model as scm


def _prerequisite_graph(plan: scm.Masterplan) -> nx.DiGraph[str]:
    """Return the prerequisite graph, each edge weighted by the duration of the initiative it leads to."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for initiative in plan.initiatives:
        start, end = plan.schedule(initiative)
        graph.add_node(initiative.id)
        for dep in initiative.depends_on:
            graph.add_edge(dep, initiative.id, weight=end - start + 1)
    return graph


def _solve(
    plan: scm.Masterplan, budget: dict[int, float], method: str, tolerance: float = 1e-6
) -> tuple[float, scm.Priorities]:
    start = time.perf_counter()
    result = scm.prioritise(plan, budget, method=method, tolerance=tolerance)  # type: ignore[arg-type]
    return time.perf_counter() - start, result


def main() -> None:
    """Run the benchmark and print the timings and the ratios."""
    args = scale_arguments(__doc__.splitlines()[0])
    warnings.simplefilter("ignore")  # synthetic indicators without baseline are said once each; not timed here
    sizes = {"initiatives": max(round(10_000 * args.scale), 20)}
    plan = synthetic_plan(sizes["initiatives"], max(round(400 * args.scale), 5), max(round(3_000 * args.scale), 2))
    graph = _prerequisite_graph(plan)

    def baseline() -> None:
        list(nx.topological_sort(graph))
        nx.dag_longest_path(graph)

    def analysis() -> None:
        scm.critical_paths(scm.schedule(plan))

    best = interleaved_best(args.repeat, {"schedule": analysis, "baseline": baseline})
    budget = scm.yearly_budget(plan, share=0.7)
    exact_s, exact = _solve(plan, budget, "exact", tolerance=1e-4)
    greedy_s, greedy = _solve(plan, budget, "greedy")
    solver = {}
    for fraction in (0.01, 0.1):
        n = max(round(sizes["initiatives"] * fraction), 10)
        smaller = synthetic_plan(n, max(round(n / 25), 5), max(round(n * 0.3), 2), seed=1)
        seconds, result = _solve(smaller, scm.yearly_budget(smaller, share=0.7), "exact")
        solver[f"prioritise_exact_s_at_{n}"] = round(seconds, 3)
        solver[f"gap_at_{n}"] = round(result.gap, 6)
    result = {
        **sizes,
        "prerequisite_edges": graph.number_of_edges(),
        "schedule_s": round(best["schedule"], 4),
        "baseline_s": round(best["baseline"], 4),
        "ratio_schedule_to_baseline": round(best["schedule"] / best["baseline"], 2),
        **solver,
        f"prioritise_exact_s_at_{sizes['initiatives']}_tolerance_1e-4": round(exact_s, 3),
        "ratio_prioritise_to_baseline": round(exact_s / best["baseline"], 1),
        "prioritise_greedy_s": round(greedy_s, 3),
        "chosen_exact": len(exact.chosen),
        "gap_exact": round(exact.gap, 6),
        "gap_greedy": round(greedy.gap, 4),
    }
    print_report(result, as_json=args.json)


if __name__ == "__main__":
    main()
