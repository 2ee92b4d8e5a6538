"""Builders of artifact bytes for the core tests: the stored fixtures and variations on them."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from jupyterlab_dbt_workbench.project.discovery import ProjectInfo

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "artifacts"

MANIFEST = "manifest_v12_dbt-1.12.json"
CATALOG = "catalog_v1_dbt-1.12.json"
RUN_RESULTS = "run_results_v6_dbt-1.12.json"

# Test outcomes written over the fixture's run results (which come from `dbt docs generate`
# and so only say "success").
TEST_OUTCOMES = {
    "test.jaffle_shop.not_null_orders_order_id.cf6c17daed": ("fail", 3, "Got 3 results"),
    "test.jaffle_shop.unique_orders_order_id.fed79b3a6e": ("pass", 0, None),
    "test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_stg_customers_"
    ".918495ce16": ("warn", 1, "Got 1 result"),
}


ProjectFactory = Callable[..., Path]
"""``make_project(relative="shop", *, name=..., manifest=..., catalog=..., ...) -> folder``"""


def project_info(path: Path, project_id: str = "shop") -> ProjectInfo:
    """A ProjectInfo for building a state directly, without discovery."""
    return ProjectInfo(
        id=project_id, name=project_id, path=path, profile=None, target_path="target"
    )


def fixture_bytes(name: str) -> bytes:
    """The bytes of a fixture artifact (stored gzipped)."""
    return gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())


def fixture_json(name: str) -> Any:
    return orjson.loads(fixture_bytes(name))


def run_results_with_test_outcomes() -> bytes:
    data = fixture_json(RUN_RESULTS)
    for result in data["results"]:
        outcome = TEST_OUTCOMES.get(result["unique_id"])
        if outcome is not None:
            result["status"], result["failures"], result["message"] = outcome
    data["results"].append(
        {
            "unique_id": "unit_test.jaffle_shop.orders.test_order_items_compute_to_bools_correctly",
            "status": "pass",
            "timing": [],
            "thread_id": "Thread-1",
            "execution_time": 0.2,
            "message": None,
            "failures": 0,
            "adapter_response": {},
        }
    )
    return orjson.dumps(data)


def sources_json() -> bytes:
    """A sources.json (schema v3) as `dbt source freshness` writes it."""
    return orjson.dumps(
        {
            "metadata": {
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json",
                "dbt_version": "1.11.0",
                "generated_at": "2026-08-10T08:00:00Z",
                "invocation_id": "5e1f3a4b-0000-0000-0000-000000000001",
                "env": {},
            },
            "results": [
                {
                    "unique_id": "source.jaffle_shop.ecom.raw_orders",
                    "max_loaded_at": "2026-08-09T08:00:00+00:00",
                    "snapshotted_at": "2026-08-10T08:00:00+00:00",
                    "max_loaded_at_time_ago_in_s": 86400.0,
                    "status": "warn",
                    "criteria": {
                        "warn_after": {"count": 12, "period": "hour"},
                        "error_after": {"count": 2, "period": "day"},
                        "filter": None,
                    },
                    "adapter_response": {},
                    "timing": [],
                    "thread_id": "Thread-1",
                    "execution_time": 0.1,
                },
                {
                    "unique_id": "source.jaffle_shop.ecom.raw_customers",
                    "error": "Table not found",
                    "status": "runtime error",
                },
            ],
            "elapsed_time": 0.5,
        }
    )


def _model(name: str, folder: str, **extra: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "unique_id": f"model.shop.{name}",
        "name": name,
        "resource_type": "model",
        "package_name": "shop",
        "original_file_path": f"models/{folder}/{name}.sql",
        "database": "warehouse",
        "schema": "analytics",
        "fqn": ["shop", folder, name],
        "alias": name,
        "tags": [],
        "description": "",
        "meta": {},
        "config": {"materialized": "view", "tags": [], "meta": {}},
        "columns": {},
        "depends_on": {"nodes": [], "macros": []},
        "raw_code": f"select * from {name}",
        "language": "sql",
    }
    node.update(extra)
    return node


def small_manifest() -> bytes:
    """A hand-written v12 manifest with what the jaffle_shop fixtures lack: tags, owners,
    declared column types, an exposure, a singular test, and no parent/child maps (as some
    `dbt compile` runs write them)."""
    payments = _model(
        "payments",
        "staging",
        tags=["finance", "daily"],
        description="Payments, one row per payment.",
        meta={"owner": "finance-team"},
        columns={
            "payment_id": {"name": "payment_id", "description": "Key.", "data_type": "integer"},
            "amount": {
                "name": "amount",
                "description": "In dollars.",
                "data_type": "numeric",
                "tags": ["pii"],
                "meta": {"unit": "USD"},
            },
            "note": {"name": "note", "description": "Only declared.", "data_type": "text"},
        },
    )
    revenue = _model(
        "revenue",
        "marts/finance",
        tags=["finance"],
        config={"materialized": "table", "tags": ["finance"], "meta": {"owner": "cfo"}},
        depends_on={"nodes": ["model.shop.payments"], "macros": []},
    )
    legacy = _model("legacy", "marts_old", depends_on={"nodes": [], "macros": []})
    not_null = {
        "unique_id": "test.shop.not_null_payments_payment_id.1",
        "name": "not_null_payments_payment_id",
        "resource_type": "test",
        "package_name": "shop",
        "original_file_path": "models/staging/payments.yml",
        "test_metadata": {"name": "not_null", "kwargs": {}, "namespace": None},
        "column_name": "payment_id",
        "attached_node": "model.shop.payments",
        "config": {"severity": "ERROR", "materialized": "test"},
        "depends_on": {"nodes": ["model.shop.payments"], "macros": []},
    }
    singular = {
        "unique_id": "test.shop.revenue_matches_payments",
        "name": "revenue_matches_payments",
        "resource_type": "test",
        "package_name": "shop",
        "original_file_path": "tests/revenue_matches_payments.sql",
        "config": {"severity": "warn", "materialized": "test"},
        "depends_on": {"nodes": ["model.shop.payments", "model.shop.revenue"], "macros": []},
    }
    dashboard = {
        "unique_id": "exposure.shop.board",
        "name": "board",
        "resource_type": "exposure",
        "package_name": "shop",
        "original_file_path": "models/exposures.yml",
        "type": "dashboard",
        "url": "https://bi.example.com/board",
        "maturity": "high",
        "owner": {"name": "Ada", "email": "ada@example.com"},
        "description": "The board's dashboard.",
        "config": {"tags": [], "meta": {}},
        "depends_on": {"nodes": ["model.shop.revenue"], "macros": []},
    }
    nodes = {node["unique_id"]: node for node in (payments, revenue, legacy, not_null, singular)}
    return orjson.dumps(
        {
            "metadata": {
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
                "dbt_version": "1.11.2",
                "generated_at": "2026-01-01T00:00:00Z",
                "invocation_id": "11111111-2222-3333-4444-555555555555",
                "adapter_type": "snowflake",
                "project_name": "shop",
            },
            "nodes": nodes,
            "sources": {},
            "exposures": {dashboard["unique_id"]: dashboard},
            "metrics": {},
            "parent_map": None,
            "child_map": None,
        }
    )


def small_catalog() -> bytes:
    """A catalog for ``small_manifest`` as Snowflake writes it: upper-case column names."""
    columns = {
        "AMOUNT": {"name": "AMOUNT", "type": "NUMBER(38,2)", "index": 2, "comment": None},
        "PAYMENT_ID": {"name": "PAYMENT_ID", "type": "NUMBER(38,0)", "index": 1, "comment": None},
        "LOADED_AT": {"name": "LOADED_AT", "type": "TIMESTAMP_NTZ", "index": 3, "comment": None},
    }
    return orjson.dumps(
        {
            "metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/catalog/v1.json"},
            "nodes": {
                "model.shop.payments": {
                    "unique_id": "model.shop.payments",
                    "metadata": {"type": "VIEW", "owner": "LOADER", "name": "PAYMENTS"},
                    "columns": columns,
                    "stats": {
                        "has_stats": {"id": "has_stats", "value": False, "include": False},
                        "row_count": {
                            "id": "row_count",
                            "label": "Row Count",
                            "value": 1200,
                            "include": True,
                        },
                    },
                }
            },
            "sources": {},
            "errors": None,
        }
    )
