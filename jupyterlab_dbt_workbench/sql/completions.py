"""What the SQL editor completes: ref() and source() names, their columns, and keywords."""

from __future__ import annotations

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

from .compile import REF_TYPES, relations_by_id
from .payloads import CompletionModel, CompletionSource, SqlColumn, SqlCompletions

# The SQL words the editor offers; dialect functions come from the warehouse's own docs.
KEYWORDS = (
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "HAVING",
    "ORDER BY",
    "LIMIT",
    "OFFSET",
    "WITH",
    "AS",
    "DISTINCT",
    "JOIN",
    "INNER JOIN",
    "LEFT JOIN",
    "RIGHT JOIN",
    "FULL OUTER JOIN",
    "CROSS JOIN",
    "ON",
    "USING",
    "UNION",
    "UNION ALL",
    "INTERSECT",
    "EXCEPT",
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS NULL",
    "IS NOT NULL",
    "BETWEEN",
    "LIKE",
    "ILIKE",
    "EXISTS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "CAST",
    "TRY_CAST",
    "COALESCE",
    "NULLIF",
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "OVER",
    "PARTITION BY",
    "ROWS BETWEEN",
    "QUALIFY",
    "WINDOW",
    "FILTER",
    "ASC",
    "DESC",
    "NULLS FIRST",
    "NULLS LAST",
    "TRUE",
    "FALSE",
    "NULL",
    "VALUES",
    "DESCRIBE",
    "SUMMARIZE",
    "SHOW",
    "EXPLAIN",
    "PIVOT",
    "UNPIVOT",
    "EXCLUDE",
    "REPLACE",
    "DATE",
    "TIMESTAMP",
    "INTERVAL",
    "EXTRACT",
    "DATE_TRUNC",
    "CURRENT_DATE",
    "CURRENT_TIMESTAMP",
)


def completions(state: ProjectState) -> SqlCompletions:
    """The editor's completions for the project of ``state``, computed once per state."""
    return state.derived("sql.completions", _completions)


def _columns(state: ProjectState, unique_id: str) -> list[SqlColumn]:
    # The catalog's columns (real names and types) first, then the ones only declared.
    return [
        {"name": column.name, "type": column.data_type or column.declared_type or ""}
        for column in state.columns(unique_id)
    ]


def _completions(state: ProjectState) -> SqlCompletions:
    relations = relations_by_id(state)
    models: list[CompletionModel] = []
    sources: list[CompletionSource] = []
    for unique_id, node in state.nodes.items():
        if node.resource_type in REF_TYPES:
            models.append(
                {
                    "name": node.name,
                    "unique_id": unique_id,
                    "resource_type": node.resource_type,
                    "relation": relations.get(unique_id, ""),
                    "package": node.package_name,
                    "columns": _columns(state, unique_id),
                }
            )
        elif node.resource_type == "source":
            sources.append(
                {
                    "source_name": str(node.raw.get("source_name", "")),
                    "name": node.name,
                    "unique_id": unique_id,
                    "relation": relations.get(unique_id, ""),
                    "columns": _columns(state, unique_id),
                }
            )
    models.sort(key=lambda m: (m["name"], m["package"], m["unique_id"]))
    sources.sort(key=lambda s: (s["source_name"], s["name"]))
    return {
        "project": state.project.id,
        "models": models,
        "sources": sources,
        "keywords": list(KEYWORDS),
    }
