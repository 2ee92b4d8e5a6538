"""A small hand-made dbt project whose YAML files the metadata tests edit.

The manifest is written by hand (no dbt run needed): it says which properties file describes
each node (``patch_path``), which is all the edits need from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson


def _node(resource_type: str, name: str, path: str, patch: str | None, **extra: Any) -> Any:
    node: dict[str, Any] = {
        "unique_id": f"{resource_type}.shop.{name}",
        "name": name,
        "resource_type": resource_type,
        "package_name": "shop",
        "original_file_path": path,
        "patch_path": f"shop://{patch}" if patch else None,
        "database": "warehouse",
        "schema": "main",
        "fqn": ["shop", name],
        "tags": [],
        "description": "",
        "meta": {},
        "config": {"materialized": "table", "tags": [], "meta": {}},
        "columns": {},
        "depends_on": {"nodes": [], "macros": []},
    }
    node.update(extra)
    return node


NODES = [
    _node("model", "orders", "models/marts/orders.sql", "models/marts/_marts.yml"),
    _node("model", "customers", "models/marts/customers.sql", "models/marts/_marts.yml"),
    _node("model", "legacy", "models/old/legacy.sql", "models/old/schema.yml"),
    _node("model", "fresh", "models/staging/fresh.sql", None),
    _node("model", "escape", "models/marts/escape.sql", "../outside.yml"),
    _node("seed", "countries", "seeds/countries.csv", "seeds/_seeds.yml"),
]
SOURCES = [
    {
        **_node("source", "events", "models/staging/_sources.yml", None),
        "unique_id": "source.shop.web.events",
        "source_name": "web",
    }
]

FILES = {
    "models/marts/_marts.yml": """\
version: 2

# Marts: the tables people query.
models:
  - name: orders  # one row per order
    description: 'One row per order.'
    config:
      tags: ["finance"]
      meta:
        owner: finance-team
    columns:
      - name: order_id
        description: "Key."
        data_tests:
          - unique
      - name: status
        description: >
          Where the order is in its life:
          placed, shipped or returned.

  - name: customers
    description: One row per customer.
    columns: &shared_columns
      - name: customer_id
        description: Key.
""",
    "models/old/schema.yml": """\
version: 2
models:
- name: legacy
  description: Old model.
  tags: [old]
  meta: {owner: nobody}
  columns:
  - name: id
    tests:
    - not_null
""",
    "seeds/_seeds.yml": """\
version: 2

seeds:
  - name: countries
    description: ISO countries.
""",
    "models/staging/_sources.yml": """\
version: 2

sources:
  - name: web
    tables:
      - name: events
        description: Page views.
""",
}


def write_project(root: Path, files: dict[str, str] | None = None) -> Path:
    """The shop project under ``root``: dbt_project.yml, a manifest and its YAML files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text("name: shop\nprofile: shop\n")
    for relative, text in (FILES if files is None else files).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "models" / "staging").mkdir(parents=True, exist_ok=True)
    (root / "target").mkdir(exist_ok=True)
    manifest = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
            "dbt_version": "1.11.2",
            "generated_at": "2026-01-01T00:00:00Z",
            "invocation_id": "11111111-2222-3333-4444-555555555555",
            "adapter_type": "duckdb",
            "project_name": "shop",
        },
        "nodes": {node["unique_id"]: node for node in NODES},
        "sources": {source["unique_id"]: source for source in SOURCES},
        "exposures": {},
        "metrics": {},
        "parent_map": None,
        "child_map": None,
    }
    (root / "target" / "manifest.json").write_bytes(orjson.dumps(manifest))
    return root
