"""The hand-written corpus: precision and recall of every edge and dependency, kind included."""

from __future__ import annotations

import pytest
from corpus_cases import Case, found_dependencies, found_edges, load_cases

from jupyterlab_dbt_workbench.lineage.analyse import analyse

CASES = load_cases()
MINIMUM = 0.95


def test_corpus_covers_the_promised_ground() -> None:
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES), "case names must be unique"
    assert {"duckdb", "snowflake", "bigquery", "postgres"} <= {c.job.dialect for c in CASES}
    files = {case.file for case in CASES}
    assert {"ctes.yml", "joins.yml", "unions.yml", "stars.yml", "subqueries.yml"} <= files
    assert {"expressions.yml", "quoting.yml", "dialects.yml", "dbt.yml"} <= files


def test_precision_and_recall_over_all_edges() -> None:
    expected: set[tuple[str, ...]] = set()
    found: set[tuple[str, ...]] = set()
    for case in CASES:
        result = analyse(case.job)
        expected |= {(case.name, "edge", *edge) for edge in case.edges}
        expected |= {(case.name, "dependency", *dep) for dep in case.dependencies}
        found |= {(case.name, "edge", *edge) for edge in found_edges(result)}
        found |= {(case.name, "dependency", *dep) for dep in found_dependencies(result)}
    hits = len(expected & found)
    precision = hits / len(found)
    recall = hits / len(expected)
    print(
        f"\ncolumn lineage corpus: {len(CASES)} cases, {len(expected)} expected edges and "
        f"dependencies, precision {precision:.3f}, recall {recall:.3f}"
    )
    for item in sorted(found - expected)[:20]:
        print("  unexpected", item)
    for item in sorted(expected - found)[:20]:
        print("  missed", item)
    assert precision >= MINIMUM
    assert recall >= MINIMUM


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_status_and_output_columns(case: Case) -> None:
    result = analyse(case.job)
    assert result.status == case.status, result.reason
    if case.status == "ok":
        assert result.reason is None and result.unresolved == ()
    else:
        assert result.reason, "a partial model says why"
    if case.columns is not None:
        assert result.columns == case.columns
