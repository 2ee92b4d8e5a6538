"""The hand-written correctness corpus (tests/lineage/corpus/*.yml), loaded as jobs.

Each case gives a dialect, the relations the SQL may read (relation name -> catalog columns,
or null when unknown), the compiled SQL, and the expected edges and dependencies, written by
reading the SQL. A relation's node id is its relation name, so expectations stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jupyterlab_dbt_workbench.lineage.records import ModelJob, ModelLineage, Relation

CORPUS = Path(__file__).parent / "corpus"

Edge = tuple[str, str, str, str]  # (column, source node, source column, kind)
Dependency = tuple[str, str, str]  # (kind, source node, source column)


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    job: ModelJob
    edges: frozenset[Edge]
    dependencies: frozenset[Dependency]
    status: str
    columns: tuple[str, ...] | None


def _case(spec: dict[str, Any], file: str) -> Case:
    unique_id = f"model.corpus.{spec['name']}"
    relations = [
        Relation(
            unique_id=name,
            relation=name,
            cte=None,
            columns=tuple(columns) if columns is not None else None,
            exact=True,
            missing=None if columns is not None else "unknown in this case",
        )
        for name, columns in (spec.get("relations") or {}).items()
    ]
    relations += [
        Relation(unique_id=node, relation=None, cte=cte, columns=None, exact=True)
        for node, cte in (spec.get("ephemeral") or {}).items()
    ]
    if spec.get("self"):
        relations.append(Relation(unique_id, spec["self"], None, None, exact=True))
    return Case(
        name=spec["name"],
        file=file,
        job=ModelJob(unique_id, spec["sql"], spec["dialect"], tuple(relations)),
        edges=frozenset(tuple(map(str, edge)) for edge in spec.get("edges") or ()),  # type: ignore[misc]
        dependencies=frozenset(tuple(map(str, dep)) for dep in spec.get("deps") or ()),  # type: ignore[misc]
        status=spec.get("status", "ok"),
        columns=tuple(spec["columns"]) if "columns" in spec else None,
    )


def load_cases() -> list[Case]:
    """Every case of every corpus file, in file order."""
    cases = []
    for path in sorted(CORPUS.glob("*.yml")):
        for spec in yaml.safe_load(path.read_text()):
            cases.append(_case(spec, path.name))
    return cases


def found_edges(result: ModelLineage) -> set[Edge]:
    return {(e.column, e.source, e.source_column, e.kind) for e in result.edges}


def found_dependencies(result: ModelLineage) -> set[Dependency]:
    return {(d.kind, d.source, d.source_column) for d in result.dependencies}
