"""A tiny project built straight into a ProjectState for the entity-page and dashboard tests.

source shop.raw_orders -> orders (contract, constraints, doc() descriptions) -> revenue
macro cents, called by orders; tests: not_null on orders.order_id (fail, 3 rows),
unique on orders.order_id (warn), a singular test on revenue (not run).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from jupyterlab_dbt_workbench.artifacts.loader import FileSignature, LoadedArtifact, parse_artifact
from jupyterlab_dbt_workbench.artifacts.state import ProjectState, build_state
from jupyterlab_dbt_workbench.project.discovery import ProjectInfo

SCHEMAS = {
    "manifest": "https://schemas.getdbt.com/dbt/manifest/v12.json",
    "catalog": "https://schemas.getdbt.com/dbt/catalog/v1.json",
    "run_results": "https://schemas.getdbt.com/dbt/run-results/v6.json",
    "sources": "https://schemas.getdbt.com/dbt/sources/v3.json",
}
ORDERS = "model.shop.orders"
REVENUE = "model.shop.revenue"
RAW_ORDERS = "source.shop.shop.raw_orders"
NOT_NULL = "test.shop.not_null_orders_order_id.1"
UNIQUE = "test.shop.unique_orders_order_id.2"
SINGULAR = "test.shop.assert_revenue_positive"


def _model(name: str, parents: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "unique_id": f"model.shop.{name}",
        "resource_type": "model",
        "name": name,
        "package_name": "shop",
        "original_file_path": f"models/{name}.sql",
        "schema": "main",
        "database": "db",
        "config": {"materialized": "table", "tags": []},
        "raw_code": f"select * from {name}",
        "depends_on": {"nodes": parents, "macros": []},
        "description": "",
        "columns": {},
        **extra,
    }


def _test(unique_id: str, name: str, target: str, column: str | None) -> dict[str, Any]:
    metadata = {"name": name.split("_")[0] if column else None}
    return {
        "unique_id": unique_id,
        "resource_type": "test",
        "name": name,
        "package_name": "shop",
        "original_file_path": "models/schema.yml",
        "config": {"severity": "ERROR"},
        "depends_on": {"nodes": [target], "macros": []},
        "attached_node": target if column else None,
        "column_name": column,
        **({"test_metadata": metadata} if column else {}),
    }


def manifest() -> dict[str, Any]:
    orders = _model(
        "orders",
        [RAW_ORDERS],
        description="Orders. {{ doc('orders_intro') }} See {{ doc('shop', 'glossary') }}."
        " {{ doc('nowhere') }}",
        config={"materialized": "table", "contract": {"enforced": True, "alias_types": True}},
        constraints=[{"type": "check", "expression": "amount >= 0", "columns": ["amount"]}],
        columns={
            "order_id": {
                "name": "order_id",
                "description": '{{ doc("order_id") }}',
                "data_type": "integer",
                "constraints": [{"type": "not_null"}, {"type": "primary_key", "name": "pk"}],
            },
            "amount": {"name": "amount", "description": "", "data_type": "decimal"},
        },
    )
    orders["depends_on"]["macros"] = ["macro.shop.cents"]
    revenue = _model("revenue", [ORDERS], description="Revenue per day.")
    source = {
        "unique_id": RAW_ORDERS,
        "resource_type": "source",
        "name": "raw_orders",
        "source_name": "shop",
        "package_name": "shop",
        "original_file_path": "models/sources.yml",
        "schema": "raw",
        "database": "db",
        "description": "Raw orders.",
        "columns": {},
        "config": {},
        "loaded_at_field": "loaded_at",
        "freshness": {
            "warn_after": {"count": 12, "period": "hour"},
            "error_after": {"count": 2, "period": "day"},
            "filter": None,
        },
    }
    tests = [
        _test(NOT_NULL, "not_null_orders_order_id", ORDERS, "order_id"),
        _test(UNIQUE, "unique_orders_order_id", ORDERS, "order_id"),
        _test(SINGULAR, "assert_revenue_positive", REVENUE, None),
    ]
    docs = {
        f"doc.shop.{name}": {"name": name, "package_name": "shop", "block_contents": text}
        for name, text in (
            ("orders_intro", "One row per **order**."),
            ("glossary", "the glossary"),
            ("order_id", "The order's key."),
        )
    }
    docs["doc.other.orders_intro"] = {
        "name": "orders_intro",
        "package_name": "other",
        "block_contents": "From another package.",
    }
    return {
        "metadata": {"dbt_schema_version": SCHEMAS["manifest"], "project_name": "shop"},
        "nodes": {node["unique_id"]: node for node in [orders, revenue, *tests]},
        "sources": {RAW_ORDERS: source},
        "macros": {
            "macro.shop.cents": {
                "unique_id": "macro.shop.cents",
                "name": "cents",
                "package_name": "shop",
                "original_file_path": "macros/cents.sql",
                "macro_sql": "{% macro cents(x) %}{{ x }} * 100{% endmacro %}",
                "description": "Amount in cents: {{ doc('glossary') }}",
                "depends_on": {"macros": []},
                "arguments": [{"name": "x", "type": "number", "description": "an amount"}],
            }
        },
        "docs": docs,
        "exposures": {},
        "metrics": {},
    }


def catalog(columns: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """A catalog giving each model the (name -> type) columns of ``columns``."""
    shape = columns or {
        ORDERS: {"order_id": "INTEGER", "amount": "DECIMAL(12,2)"},
        REVENUE: {"day": "DATE", "revenue": "DECIMAL(12,2)"},
    }
    return {
        "metadata": {
            "dbt_schema_version": SCHEMAS["catalog"],
            "generated_at": "2026-01-01T00:00:00Z",
        },
        "nodes": {
            unique_id: {
                "metadata": {"type": "BASE TABLE", "name": unique_id.rsplit(".", 1)[1]},
                "columns": {
                    name: {"name": name, "type": kind, "index": index}
                    for index, (name, kind) in enumerate(spec.items(), 1)
                },
                "stats": {
                    "num_rows": {"id": "num_rows", "label": "# Rows", "value": 42, "include": True},
                    "has_stats": {
                        "id": "has_stats",
                        "label": "Has",
                        "value": True,
                        "include": False,
                    },
                },
            }
            for unique_id, spec in shape.items()
        },
        "sources": {},
    }


def run_results() -> dict[str, Any]:
    def result(uid: str, status: str, seconds: float, failures: int | None = None) -> Any:
        return {"unique_id": uid, "status": status, "execution_time": seconds,
                "failures": failures, "message": None, "timing": []}  # fmt: skip

    return {
        "metadata": {"dbt_schema_version": SCHEMAS["run_results"], "invocation_id": "inv-1"},
        "args": {"which": "build"},
        "elapsed_time": 3.5,
        "results": [
            result(ORDERS, "success", 2.0),
            result(REVENUE, "success", 0.5),
            result(NOT_NULL, "fail", 0.1, 3),
            result(UNIQUE, "warn", 0.1, 1),
        ],
    }


def sources(max_loaded_at: str = "2026-01-01T00:00:00+00:00") -> dict[str, Any]:
    return {
        "metadata": {"dbt_schema_version": SCHEMAS["sources"]},
        "results": [
            {
                "unique_id": RAW_ORDERS,
                "status": "pass",
                "max_loaded_at": max_loaded_at,
                "snapshotted_at": "2026-01-01T01:00:00+00:00",
                "max_loaded_at_time_ago_in_s": 3600.0,
                "criteria": {
                    "warn_after": {"count": 12, "period": "hour"},
                    "error_after": {"count": 2, "period": "day"},
                },
            }
        ],
    }


def artifact(kind: str, data: dict[str, Any]) -> LoadedArtifact:
    raw = orjson.dumps(data)
    parsed, metadata = parse_artifact(kind, raw, f"target/{kind}.json")
    return LoadedArtifact(
        kind=kind,
        path=Path(f"target/{kind}.json"),
        label=f"target/{kind}.json",
        data=parsed,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        signature=FileSignature(0, len(raw)),
        metadata=metadata,
    )


def build(path: Path, **data: dict[str, Any]) -> ProjectState:
    """The state of the tiny project; ``data`` replaces or adds artifacts by kind."""
    contents = {"manifest": manifest(), "catalog": catalog(), "run_results": run_results(),
                "sources": sources(), **data}  # fmt: skip
    info = ProjectInfo(id="shop", name="shop", path=path, profile=None, target_path="target")
    artifacts = {kind: artifact(kind, value) for kind, value in contents.items()}
    return build_state(info, artifacts, "2026-01-01T00:00:00+00:00")
