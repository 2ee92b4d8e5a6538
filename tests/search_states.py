"""A small hand-made project for the search tests, built into a real ProjectState.

Models orders, orders_daily, stg_orders, customer_revenue (with a column order_total and a
column described as "the lifetime value"), payments (whose SQL alone mentions "refunds");
a source shop.raw_customers with an owner; tests on stg_orders; a macro cents_to_dollars;
an exposure weekly_report owned by finance; internal macros of dbt and its adapter.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from jupyterlab_dbt_workbench.artifacts.loader import FileSignature, LoadedArtifact, parse_artifact
from jupyterlab_dbt_workbench.artifacts.state import ProjectState, build_state
from jupyterlab_dbt_workbench.project.discovery import ProjectInfo

MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json"


def _columns(*specs: tuple[str, str]) -> dict[str, Any]:
    return {
        name: {"name": name, "description": text, "meta": {}, "tags": []} for name, text in specs
    }


def _model(
    name: str, *, sql: str = "select 1", schema: str = "analytics", **extra: Any
) -> dict[str, Any]:
    config = {"materialized": "view", "tags": extra.get("tags", []), "meta": extra.pop("meta", {})}
    config.update(extra.pop("config", {}))
    return {
        "unique_id": f"model.shop.{name}",
        "resource_type": "model",
        "name": name,
        "package_name": "shop",
        "original_file_path": f"models/{name}.sql",
        "path": f"{name}.sql",
        "fqn": ["shop", name],
        "schema": schema,
        "database": "db",
        "alias": name,
        "tags": extra.pop("tags", []),
        "config": config,
        "raw_code": sql,
        "depends_on": {"nodes": [], "macros": []},
        "description": extra.pop("description", ""),
        "columns": extra.pop("columns", {}),
        **extra,
    }


def manifest() -> dict[str, Any]:
    nodes = [
        _model(
            "orders",
            description="One row per order.",
            tags=["finance"],
            columns=_columns(("order_id", "Key of the order."), ("status", "Where it is.")),
        ),
        _model("orders_daily", description="Orders per day.", config={"materialized": "table"}),
        _model(
            "stg_orders",
            schema="staging",
            tags=["staging"],
            columns=_columns(("order_id", ""), ("ordered_at", "When it was ordered.")),
        ),
        _model(
            "customer_revenue",
            description="Revenue per customer.",
            meta={"owner": "finance-team"},
            config={"materialized": "table"},
            columns=_columns(
                ("order_total", "Sum of the orders."),
                ("ltv", "The lifetime value of the customer, in euros."),
            ),
        ),
        _model("payments", sql="select * from payments where kind <> 'refunds'"),
    ]
    tests = [
        {
            "unique_id": f"test.shop.{name}.abc",
            "resource_type": "test",
            "name": name,
            "package_name": "shop",
            "original_file_path": "models/schema.yml",
            "path": f"{name}.sql",
            "fqn": ["shop", name],
            "schema": "analytics_dbt_test__audit",
            "database": "db",
            "alias": "hash_" + name[:4],
            "tags": [],
            "config": {"materialized": "test", "severity": "ERROR"},
            "raw_code": "{{ test_unique(**_dbt_generic_test_kwargs) }}",
            "test_metadata": {"name": "unique", "kwargs": {}, "namespace": None},
            "column_name": "order_id",
            "attached_node": "model.shop.stg_orders",
            "depends_on": {"nodes": ["model.shop.stg_orders"], "macros": []},
            "description": "",
            "columns": {},
        }
        for name in ("unique_stg_orders_order_id", "not_null_stg_orders_order_id")
    ]
    source = {
        "unique_id": "source.shop.shop.raw_customers",
        "resource_type": "source",
        "name": "raw_customers",
        "source_name": "shop",
        "identifier": "customers",
        "package_name": "shop",
        "original_file_path": "models/sources.yml",
        "path": "models/sources.yml",
        "fqn": ["shop", "shop", "raw_customers"],
        "schema": "raw",
        "database": "db",
        "tags": ["pii"],
        "config": {"enabled": True},
        "meta": {"owner": "growth-engineering", "contains_pii": "email"},
        "description": "Customers as the shop's database holds them.",
        "columns": _columns(("email", "Contact e-mail.")),
    }
    exposure = {
        "unique_id": "exposure.shop.weekly_report",
        "resource_type": "exposure",
        "name": "weekly_report",
        "label": "Weekly revenue report",
        "package_name": "shop",
        "original_file_path": "models/exposures.yml",
        "path": "exposures.yml",
        "fqn": ["shop", "weekly_report"],
        "type": "dashboard",
        "owner": {"name": "finance", "email": "finance@shop.example"},
        "tags": [],
        "config": {"enabled": True},
        "meta": {},
        "description": "",
        "depends_on": {"nodes": ["model.shop.customer_revenue"], "macros": []},
    }

    def macro(package: str, name: str, sql: str, description: str = "") -> dict[str, Any]:
        return {
            "unique_id": f"macro.{package}.{name}",
            "name": name,
            "resource_type": "macro",
            "package_name": package,
            "path": f"macros/{name}.sql",
            "original_file_path": f"macros/{name}.sql",
            "macro_sql": sql,
            "description": description,
            "meta": {},
            "depends_on": {"macros": []},
            "arguments": [],
        }

    macros = [
        macro(
            "shop",
            "cents_to_dollars",
            "{% macro cents_to_dollars(c) %}{{ c }} / 100{% endmacro %}",
            "Turns cents into dollars.",
        ),
        macro("dbt", "get_orders_relation", "{% macro get_orders_relation() %}{% endmacro %}"),
        macro("dbt_duckdb", "duckdb__orders", "{% macro duckdb__orders() %}{% endmacro %}"),
    ]
    return {
        "metadata": {
            "dbt_schema_version": MANIFEST_SCHEMA,
            "dbt_version": "1.11.0",
            "project_name": "shop",
            "adapter_type": "duckdb",
        },
        "nodes": {n["unique_id"]: n for n in [*nodes, *tests]},
        "sources": {source["unique_id"]: source},
        "exposures": {exposure["unique_id"]: exposure},
        "macros": {m["unique_id"]: m for m in macros},
        "metrics": {},
        "groups": {},
        "parent_map": {},
        "child_map": {},
    }


def build(path: Path) -> ProjectState:
    raw = orjson.dumps(manifest())
    data, metadata = parse_artifact("manifest", raw, "target/manifest.json")
    artifact = LoadedArtifact(
        kind="manifest",
        path=Path("target/manifest.json"),
        label="target/manifest.json",
        data=data,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        signature=FileSignature(0, len(raw)),
        metadata=metadata,
    )
    info = ProjectInfo(id="shop", name="shop", path=path, profile=None, target_path="target")
    return build_state(info, {"manifest": artifact}, "2026-01-01T00:00:00+00:00")
