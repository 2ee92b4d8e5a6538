"""A small hand-made project for the graph tests, built into a real ProjectState.

    seed raw_orders   source shop.customers
          |                 |
      stg_orders       stg_customers
            \\             /
             int_orders ---+
             /        \\     \\
      fct_orders   dim_customers (v1, v2; latest 1)
           |
    exposure weekly_report

Tests: unique/not_null on stg_orders, relationships on int_orders -> stg_customers (two
parents), a singular test on fct_orders, a unit test on int_orders.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from jupyterlab_dbt_workbench.artifacts.loader import FileSignature, LoadedArtifact, parse_artifact
from jupyterlab_dbt_workbench.artifacts.state import ProjectState, build_state
from jupyterlab_dbt_workbench.project.discovery import ProjectInfo

PACKAGE = "shop"
MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json"
RUN_RESULTS_SCHEMA = "https://schemas.getdbt.com/dbt/run-results/v6.json"


def _node(
    resource_type: str,
    name: str,
    path: str,
    parents: tuple[str, ...] = (),
    *,
    fqn: list[str] | None = None,
    tags: tuple[str, ...] = (),
    config: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    folder = path.rsplit("/", 1)[0].split("/")[1:] if "/" in path else []
    unique_id = f"{resource_type}.{PACKAGE}.{name}"
    return {
        "unique_id": unique_id,
        "resource_type": resource_type,
        "name": name,
        "package_name": PACKAGE,
        "original_file_path": path,
        "path": path,
        "fqn": fqn or [PACKAGE, *folder, name],
        "tags": list(tags),
        "schema": "analytics",
        "database": "db",
        "config": {"enabled": True, "materialized": "view", "tags": list(tags), **(config or {})},
        "unrendered_config": dict(config or {}),
        "raw_code": f"select 1 as {name}",
        "depends_on": {"nodes": list(parents), "macros": []},
        "description": "",
        "columns": {},
        **extra,
    }


def small_manifest() -> dict[str, Any]:
    """The manifest of the project drawn in the module docstring."""
    m = f"model.{PACKAGE}."
    nodes = [
        _node(
            "seed",
            "raw_orders",
            "seeds/raw_orders.csv",
            tags=("raw",),
            checksum={"name": "sha256", "checksum": "a"},
        ),
        _node(
            "model",
            "stg_orders",
            "models/staging/stg_orders.sql",
            ("seed.shop.raw_orders",),
            tags=("staging",),
        ),
        _node(
            "model",
            "stg_customers",
            "models/staging/stg_customers.sql",
            (f"source.{PACKAGE}.shop.customers",),
            tags=("staging", "pii"),
        ),
        _node(
            "model",
            "int_orders",
            "models/intermediate/int_orders.sql",
            (f"{m}stg_orders", f"{m}stg_customers"),
            config={"materialized": "ephemeral"},
        ),
        _node(
            "model",
            "fct_orders",
            "models/marts/fct_orders.sql",
            (f"{m}int_orders",),
            tags=("finance",),
            config={"materialized": "table", "meta": {"owner": "finance"}, "group": "finance"},
            access="public",
        ),
        _node(
            "model",
            "dim_customers",
            "models/marts/dim_customers_v1.sql",
            (f"{m}int_orders",),
            fqn=[PACKAGE, "marts", "dim_customers", "v1"],
            config={"materialized": "table"},
            version=1,
            latest_version=1,
            access="protected",
        ),
        _node(
            "model",
            "dim_customers",
            "models/marts/dim_customers_v2.sql",
            (f"{m}int_orders",),
            fqn=[PACKAGE, "marts", "dim_customers", "v2"],
            config={"materialized": "table"},
            version=2,
            latest_version=1,
            access="protected",
        ),
    ]
    nodes[5]["unique_id"] += ".v1"
    nodes[6]["unique_id"] += ".v2"
    tests = [
        _node(
            "test",
            "unique_stg_orders_id",
            "models/staging/_staging.yml",
            (f"{m}stg_orders",),
            test_metadata={"name": "unique", "kwargs": {}},
            config={"severity": "ERROR"},
        ),
        _node(
            "test",
            "not_null_stg_orders_id",
            "models/staging/_staging.yml",
            (f"{m}stg_orders",),
            test_metadata={"name": "not_null", "kwargs": {}},
            config={"severity": "warn"},
        ),
        _node(
            "test",
            "relationships_int_orders_customer",
            "models/intermediate/_int.yml",
            (f"{m}int_orders", f"{m}stg_customers"),
            test_metadata={"name": "relationships", "kwargs": {}},
        ),
        _node(
            "test",
            "assert_orders_positive",
            "tests/assert_orders_positive.sql",
            (f"{m}fct_orders",),
        ),
    ]
    manifest_nodes = {node["unique_id"]: node for node in nodes + tests}
    source = _node(
        "source",
        "customers",
        "models/staging/_sources.yml",
        fqn=[PACKAGE, "staging", "shop", "customers"],
    )
    source["unique_id"] = f"source.{PACKAGE}.shop.customers"
    source["source_name"] = "shop"
    source["identifier"] = "customers"
    unit = _node(
        "unit_test", "test_int_orders_join", "models/intermediate/_int.yml", (f"{m}int_orders",)
    )
    unit["unique_id"] = f"unit_test.{PACKAGE}.int_orders.test_int_orders_join"
    unit["checksum"] = "u1"
    exposure = _node(
        "exposure", "weekly_report", "models/marts/_exposures.yml", (f"{m}fct_orders",)
    )
    exposure.update(type="dashboard", owner={"name": "Ann"})
    return {
        "metadata": {
            "dbt_schema_version": MANIFEST_SCHEMA,
            "dbt_version": "1.11.0",
            "project_name": PACKAGE,
            "adapter_type": "duckdb",
        },
        "nodes": manifest_nodes,
        "sources": {source["unique_id"]: source},
        "exposures": {exposure["unique_id"]: exposure},
        "unit_tests": {unit["unique_id"]: unit},
        "metrics": {},
        "semantic_models": {},
        "saved_queries": {},
        "macros": {},
    }


def _artifact(kind: str, data: dict[str, Any]) -> LoadedArtifact:
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


StateFactory = Callable[..., ProjectState]


def changed(
    manifest: dict[str, Any], section: str, unique_id: str, **fields: Any
) -> dict[str, Any]:
    """A copy of ``manifest`` with fields of one entry replaced."""
    result = copy.deepcopy(manifest)
    result[section][unique_id].update(fields)
    return result


def build_small_state(
    path: Path, manifest: dict[str, Any] | None = None, statuses: dict[str, str] | None = None
) -> ProjectState:
    """A ProjectState of the small project (or of ``manifest``), with run results giving
    ``statuses`` (unique_id -> status)."""
    artifacts = {"manifest": _artifact("manifest", manifest or small_manifest())}
    if statuses:
        results = [{"unique_id": uid, "status": status} for uid, status in statuses.items()]
        artifacts["run_results"] = _artifact(
            "run_results",
            {"metadata": {"dbt_schema_version": RUN_RESULTS_SCHEMA}, "results": results},
        )
    info = ProjectInfo(id="shop", name="shop", path=path, profile=None, target_path="target")
    return build_state(info, artifacts, "2026-01-01T00:00:00+00:00")
