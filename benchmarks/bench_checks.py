"""Benchmark: all consistency checks on a national-scale synthetic plan.

Builds a plan of 10,000 initiatives, 400 OPDs and 3,000 indicators (``--scale`` shrinks it),
times ``smartcity_model.check`` and compares it with the unavoidable graph work on the same
graph: ``networkx.simple_cycles`` on the prerequisite graph plus one pass over every edge of
``build_graph``. The ratio is the checks' overhead beyond that baseline.

    python benchmarks/bench_checks.py            # full size
    python benchmarks/bench_checks.py --scale 0.1
"""

from __future__ import annotations

import random
import time
from typing import Any

import networkx as nx
from timing import interleaved_best, print_report, scale_arguments

import smartcity_model as scm

SECTORS = [f"sector-{n:02d}" for n in range(30)]
SOURCES = list(scm.FundingSource)
HORIZONS = list(scm.Horizon)


def synthetic_plan(initiatives: int, opds: int, indicators: int, seed: int = 0) -> scm.Masterplan:
    """Return a valid, random plan of the given size (illustrative data only)."""
    rng = random.Random(seed)
    elements = [e.id for e in scm.builtin_framework().elements]
    opd_ids = [f"opd-{n:04d}" for n in range(opds)]
    indicator_ids = [f"ind-{n:05d}" for n in range(indicators)]
    data: dict[str, Any] = {
        "region": {"id": "kota-sintetis", "name": "Kota Sintetis (synthetic)", "kind": "kota"},
        "period": {"start": 2024, "end": 2033},
        "opds": [{"id": o, "name": f"OPD {o}", "sector": rng.choice(SECTORS)} for o in opd_ids],
        "indicators": [
            {
                "id": i,
                "name": f"Indicator {i}",
                "unit": "percent",
                "element": rng.choice(elements),
                "bounds": {"min": 0, "max": 100},
                "custodian": rng.choice(opd_ids),
                "targets": {2030: rng.uniform(50, 100)},
            }
            for i in indicator_ids
        ],
        "initiatives": [],
        "observations": [{"indicator": i, "year": 2023, "value": rng.uniform(0, 100)} for i in indicator_ids],
    }
    ending_by: dict[int, list[int]] = {year: [] for year in range(2023, 2034)}
    for n in range(initiatives):
        lead = rng.choice(opd_ids)
        supporting = sorted(set(rng.sample(opd_ids, rng.randint(0, 4))) - {lead})
        start = rng.randint(2024, 2030)
        end = rng.randint(start, 2033)
        # Prerequisites: earlier initiatives that end by this one's start, as a consistent plan has.
        ready = ending_by[start]
        prerequisites = sorted(set(rng.sample(ready, min(len(ready), rng.randint(0, 2)))))
        for year in range(end, 2034):
            ending_by[year].append(n)
        source = rng.choice(SOURCES)
        data["initiatives"].append(
            {
                "id": f"ini-{n:05d}",
                "name": f"Initiative {n}",
                "lead": lead,
                "supporting": supporting,
                "elements": rng.sample(elements, rng.randint(0, 2)),
                "indicators": rng.sample(indicator_ids, rng.randint(1, 3)),
                "depends_on": [f"ini-{d:05d}" for d in prerequisites],
                "start_year": start,
                "end_year": end,
                "budget": [{"year": start, "amount": rng.uniform(1e7, 1e10), "source": source, "note": "synthetic"}],
            }
        )
    return scm.Masterplan.model_validate(data)


def main() -> None:
    """Run the benchmark and print the timings and the ratio."""
    args = scale_arguments(__doc__.splitlines()[0])
    size = {
        "initiatives": round(10_000 * args.scale),
        "opds": round(400 * args.scale),
        "indicators": round(3_000 * args.scale),
    }
    start = time.perf_counter()
    plan = synthetic_plan(max(size["initiatives"], 2), max(size["opds"], 2), max(size["indicators"], 2))
    build_seconds = time.perf_counter() - start

    graph = scm.build_graph(plan)
    prerequisites = nx.DiGraph((u, v) for u, v, k in graph.edges(keys=True) if k == "depends_on")

    def baseline() -> None:
        list(nx.simple_cycles(prerequisites))
        for _ in graph.edges(keys=True, data=True):
            pass

    report = scm.check(plan)
    best = interleaved_best(
        args.repeat, {"check": lambda: scm.check(plan), "graph": lambda: scm.build_graph(plan), "baseline": baseline}
    )
    checks, graph_seconds, base = best["check"], best["graph"], best["baseline"]
    result = {
        **size,
        "edges": graph.number_of_edges(),
        "findings": len(report.findings),
        "plan_validation_s": round(build_seconds, 3),
        "check_s": round(checks, 4),
        "build_graph_s": round(graph_seconds, 4),
        "baseline_s": round(base, 4),
        "ratio_check_to_baseline": round(checks / base, 2),
    }
    print_report(result, as_json=args.json)


if __name__ == "__main__":
    main()
