"""dbt selector expressions on the benchmark project: median time per expression."""

from __future__ import annotations

import statistics
import time

from fixtures import Fixture
from results import Result

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

TARGET_MS = 50.0
REPEAT = 5


def expressions(state: ProjectState) -> list[tuple[str, str | None]]:
    """40 expressions covering every selection method, named after what the project has."""
    models = sorted(
        (n for n in state.nodes.values() if n.resource_type == "model"), key=lambda n: n.unique_id
    )
    hub = max(models, key=lambda n: (len(state.children.get(n.unique_id, ())), n.name))
    staging = next(n for n in models if n.original_file_path.startswith("models/staging/"))
    mart = next(n for n in models if n.original_file_path.startswith("models/marts/"))
    source = next(n for n in state.nodes.values() if n.resource_type == "source")
    exposure = next(n for n in state.nodes.values() if n.resource_type == "exposure")
    source_name = source.raw["source_name"]
    return [
        (hub.name, None),
        (f"{hub.name}+", None),
        (f"+{mart.name}", None),
        (f"2+{hub.name}+1", None),
        (f"@{staging.name}", None),
        (f"{staging.name[:8]}*", None),
        ("staging", None),
        ("synthetic.marts.finance", None),
        (f"{mart.folder}", None),
        ("path:models/marts/*", "tag:finance"),
        (f"file:{staging.name}.sql", None),
        ("tag:staging", None),
        ("tag:pii,tag:core", None),
        ("tag:h*", None),
        ("package:synthetic", "resource_type:test"),
        ("fqn:*", "tag:staging tag:intermediate"),
        ("config.materialized:incremental+", None),
        ("config.materialized:ephemeral", None),
        ("config.meta.owner:growth-team", None),
        ("config.enabled:true,resource_type:snapshot", None),
        ("resource_type:exposure resource_type:seed", None),
        (f"source:{source_name}", None),
        (f"source:{source_name}.{source.name}+", None),
        (f"exposure:{exposure.name}", None),
        ("+exposure:*", "resource_type:source"),
        ("test_type:singular", None),
        ("test_type:generic,tag:marts", None),
        ("test_name:relationships", None),
        ("test_name:accepted_values test_name:unique", None),
        ("group:finance_analytics+", None),
        ("access:private", None),
        ("access:public+", None),
        ("result:error+", None),
        ("result:fail", None),
        ("state:new", None),
        ("state:modified+", "resource_type:test"),
        ("state:modified.body", None),
        ("state:modified.configs", None),
        ("state:modified.relation", None),
        (f"{hub.name}+", f"{hub.name}+2"),
    ]


def bench_selectors(fixture: Fixture) -> list[Result]:
    """Median of 5 runs per expression, after the graph is built once."""
    from jupyterlab_dbt_workbench.graph import project_graph, select

    state, baseline = fixture.state, fixture.baseline
    started = time.perf_counter()
    project_graph(state)
    project_graph(baseline)
    graph_seconds = time.perf_counter() - started
    rows: list[tuple[float, str, int]] = []
    for select_, exclude in expressions(state):
        times = []
        for _ in range(REPEAT):
            begun = time.perf_counter()
            found = select(state, select_, exclude, baseline=baseline)
            times.append(time.perf_counter() - begun)
        label = select_ + (f" --exclude {exclude}" if exclude else "")
        rows.append((statistics.median(times) * 1000, label, len(found)))
    worst = max(rows)
    medians = [row[0] for row in rows]
    details = [f"graph built once per state: {graph_seconds * 1000:.0f} ms for both states"]
    details += [f"{ms:7.2f} ms  {count:6d} nodes  {label}" for ms, label, count in rows]
    return [
        Result(
            f"{len(rows)} selector expressions: slowest median",
            f"{worst[0]:.1f} ms ({worst[1]})",
            f"< {TARGET_MS:g} ms each",
            worst[0] < TARGET_MS,
            details,
        ),
        Result(
            "selector expressions: median of the medians",
            f"{statistics.median(medians):.1f} ms",
            f"< {TARGET_MS:g} ms",
            statistics.median(medians) < TARGET_MS,
        ),
    ]
