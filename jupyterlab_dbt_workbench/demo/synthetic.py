"""Synthetic dbt projects of any size, to try the workbench (and measure it) at scale.

``write_project`` writes a real dbt project for dbt-duckdb: seeds and sources as leaves, then
models in layers (staging, two intermediate tiers, dimensions, facts) whose SQL uses CTEs,
joins, UNION ALL, aggregates, window functions, CASE, ``select *`` and ``* exclude``; YAML with
descriptions, typed columns, tags, owners, configs, generic and singular tests, exposures and
groups. ``write_artifacts`` writes what ``dbt compile`` and ``dbt docs generate`` would leave in
``target/`` for the same project (manifest.json v12 with compiled SQL, catalog.json with every
column), without running dbt: ``dbt parse`` of 5,000 models takes minutes, this takes seconds.

Both are deterministic for a ``seed`` and describe the same project, built once by ``plan``.
A model only reads models of an earlier tier, so the graph has no cycle.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "PROJECT_NAME",
    "SyntheticModel",
    "SyntheticProject",
    "catalog_type",
    "plan",
    "project_files",
    "write_artifacts",
    "write_project",
]

PROJECT_NAME = "synthetic"
# dbt-duckdb names the database after the file and the default schema ``main``.
DATABASE = "synthetic"
TARGET_SCHEMA = "main"
DBT_VERSION = "1.11.16"
# A fixed clock so that the same seed writes the same bytes.
GENERATED_AT = "2026-01-05T06:00:00.000000Z"
CREATED_AT = 1767592800.0

TIERS = ("staging", "intermediate", "intermediate", "marts", "marts")
# Share of the models in each tier: staging, intermediate (base, enriched), dimensions, facts.
_TIER_SHARES = (0.36, 0.22, 0.14, 0.1, 0.18)

DOMAINS = (
    "finance",
    "marketing",
    "operations",
    "sales",
    "support",
    "product",
    "logistics",
    "people",
)
SYSTEMS = (
    "shop_db",
    "crm",
    "billing",
    "web_tracking",
    "erp",
    "support_desk",
    "warehouse_ops",
    "hr_system",
    "ads",
    "payments_gateway",
)
GROUPS = {"finance": "finance_analytics", "marketing": "growth"}
OWNERS = {
    "finance": "finance-analytics",
    "marketing": "growth-team",
    "operations": "shop-operations",
    "sales": "sales-ops",
    "support": "customer-care",
    "product": "product-analytics",
    "logistics": "supply-chain",
    "people": "people-analytics",
}
EXTRA_TAGS = ("pii", "daily", "hourly", "core", "experimental", "certified", "sla")

# entity -> the entities it points to (its foreign keys).
ENTITIES: dict[str, tuple[str, ...]] = {
    "customer": ("account",),
    "account": (),
    "order": ("customer", "shop"),
    "order_item": ("order", "product"),
    "product": ("supplier",),
    "shop": (),
    "payment": ("order", "invoice"),
    "invoice": ("account", "customer"),
    "shipment": ("order", "warehouse"),
    "campaign": (),
    "ticket": ("customer", "employee"),
    "employee": ("shop",),
    "supplier": (),
    "subscription": ("customer", "product"),
    "session": ("customer", "campaign"),
    "warehouse": (),
}
_PLURALS = {"order_item": "order_items", "warehouse": "warehouses", "campaign": "campaigns"}

_ACCEPTED = {
    "status": ("active", "pending", "closed", "cancelled"),
    "channel": ("web", "app", "store", "partner"),
    "region": ("north", "south", "east", "west"),
    "currency": ("eur", "usd", "gbp"),
}
# name, type, kind. Kinds drive the expressions the generator writes.
_ATTRIBUTES: tuple[tuple[str, str, str], ...] = (
    ("channel", "varchar", "text"),
    ("region", "varchar", "text"),
    ("currency", "varchar", "text"),
    ("name", "varchar", "text"),
    ("email", "varchar", "text"),
    ("notes", "varchar", "text"),
    ("amount", "decimal(18,2)", "money"),
    ("discount_amount", "decimal(18,2)", "money"),
    ("tax_amount", "decimal(18,2)", "money"),
    ("cost", "decimal(18,2)", "money"),
    ("quantity", "integer", "count"),
    ("priority", "integer", "count"),
    ("score", "double", "score"),
    ("weight_kg", "double", "score"),
    ("is_active", "boolean", "flag"),
    ("is_test", "boolean", "flag"),
    ("closed_at", "timestamp", "ts"),
)
_SAMPLE_VALUES = {
    "integer": ("1", "2", "3"),
    "bigint": ("10", "20", "30"),
    "varchar": ("alpha", "beta", "gamma"),
    "decimal(18,2)": ("10.50", "99.99", "0.00"),
    "double": ("0.5", "1.25", "3.75"),
    "boolean": ("true", "false", "true"),
    "timestamp": ("2025-01-01 08:00:00", "2025-02-01 09:30:00", "2025-03-01 17:45:00"),
    "date": ("2025-01-01", "2025-02-01", "2025-03-01"),
}
MAX_COLUMNS = 18


def plural(entity: str) -> str:
    """The table-ish plural of an entity name."""
    return _PLURALS.get(entity, entity + "s")


@dataclass(frozen=True)
class Col:
    """A column of a leaf or a model: name, SQL type (lower case, as declared) and kind."""

    name: str
    type: str
    kind: str

    @property
    def description(self) -> str:
        """A readable description derived from the name."""
        words = self.name.replace("_", " ")
        if self.name.endswith("_id"):
            return f"Identifier of the {self.name[:-3].replace('_', ' ')}."
        if self.kind == "ts":
            return f"When {words.removesuffix(' at')} happened (UTC)."
        if self.kind == "flag":
            return f"True when {words.removeprefix('is ')} holds."
        if self.kind == "money":
            return f"{words.capitalize()} in the account currency."
        return f"{words.capitalize()}."


@dataclass
class Leaf:
    """A seed or a source table: where the data enters the project."""

    kind: str  # "seed" or "source"
    name: str
    system: str  # the source name, or "seeds"
    entity: str
    columns: list[Col]

    @property
    def unique_id(self) -> str:
        """The dbt unique id."""
        if self.kind == "seed":
            return f"seed.{PROJECT_NAME}.{self.name}"
        return f"source.{PROJECT_NAME}.{self.system}.{self.name}"

    @property
    def relation(self) -> str:
        """How compiled SQL names it."""
        schema = f"{TARGET_SCHEMA}_raw" if self.kind == "seed" else self.system
        return f'"{DATABASE}"."{schema}"."{self.name}"'

    @property
    def jinja(self) -> str:
        """How raw SQL refers to it."""
        if self.kind == "seed":
            return f"{{{{ ref('{self.name}') }}}}"
        return f"{{{{ source('{self.system}', '{self.name}') }}}}"


@dataclass(frozen=True)
class Test:
    """A generic test on one column of a model."""

    name: str  # not_null, unique, accepted_values, relationships
    column: str
    values: tuple[str, ...] = ()
    to: str = ""  # the model a relationships test points to

    def arguments(self) -> dict[str, Any]:
        """The test's arguments as written in YAML (``column_name`` and ``model`` apart)."""
        if self.name == "accepted_values":
            return {"values": list(self.values)}
        if self.name == "relationships":
            return {"to": f"ref('{self.to}')", "field": self.column}
        return {}


@dataclass
class SyntheticModel:
    """One model of the plan with everything both writers need."""

    name: str
    tier: int
    folder: tuple[str, ...]  # under models/
    domain: str
    grain: str
    columns: list[Col]
    sql: str  # with ⟦ref:name⟧ / ⟦leaf:unique_id⟧ markers where dbt has ref()/source()
    parents: list[str] = field(default_factory=list)  # unique ids, in order of first use
    materialized: str = "view"
    yaml_config: dict[str, Any] = field(default_factory=dict)
    sql_config: str = ""  # the {{ config(...) }} call at the top of the file, if any
    incremental_filter: str = ""  # the {% if is_incremental() %} block, if any
    tags: list[str] = field(default_factory=list)
    owner: str = ""
    group: str | None = None
    access: str = "protected"
    enabled: bool = True
    description: str = ""
    tests: list[Test] = field(default_factory=list)

    @property
    def unique_id(self) -> str:
        """The dbt unique id."""
        return f"model.{PROJECT_NAME}.{self.name}"

    @property
    def schema(self) -> str:
        """The custom schema (dbt prefixes it with the target schema)."""
        return TIERS[self.tier]

    @property
    def path(self) -> str:
        """Path of the SQL file under models/."""
        return "/".join((*self.folder, self.name + ".sql"))

    @property
    def relation(self) -> str:
        """How compiled SQL names the model's relation."""
        return f'"{DATABASE}"."{TARGET_SCHEMA}_{self.schema}"."{self.name}"'

    @property
    def key(self) -> str:
        """The grain's key column."""
        return f"{self.grain}_id"


@dataclass
class SingularTest:
    """A SQL file in tests/ reading one model."""

    name: str
    model: str
    column: str


@dataclass
class Exposure:
    """A dashboard or notebook depending on a few marts."""

    name: str
    type: str
    domain: str
    models: list[str]
    maturity: str


@dataclass
class SyntheticProject:
    """The whole generated project: leaves, models, tests and exposures."""

    seed: int
    leaves: list[Leaf]
    models: list[SyntheticModel]
    singular_tests: list[SingularTest]
    exposures: list[Exposure]
    snapshots: list[tuple[str, str]]  # (snapshot name, staging model it copies)

    def model(self, name: str) -> SyntheticModel:
        """The model called ``name``."""
        return self._by_name[name]

    def leaf(self, unique_id: str) -> Leaf | None:
        """The seed or source with ``unique_id``, if it is one."""
        return self._leaves.get(unique_id)

    def __post_init__(self) -> None:
        self._by_name = {model.name: model for model in self.models}
        self._leaves = {leaf.unique_id: leaf for leaf in self.leaves}


# Planning ----------------------------------------------------------------------------------


def _tier_sizes(models: int) -> list[int]:
    sizes = [max(1, int(models * share)) for share in _TIER_SHARES]
    sizes[0] += models - sum(sizes)
    if sizes[0] < 1:
        raise ValueError(f"A synthetic project needs at least 5 models, not {models}.")
    return sizes


def _leaf_columns(
    rng: random.Random, entity: str, kind: str, attributes: tuple[int, int] = (3, 6)
) -> list[Col]:
    columns = [Col("id", "integer", "key")]
    columns += [Col(f"{target}_id", "integer", "key") for target in ENTITIES[entity]]
    columns.append(Col("status", "varchar", "text"))
    picked = rng.sample(_ATTRIBUTES, rng.randint(*attributes))
    if not any(kind_ == "money" for _, _, kind_ in picked):
        picked.append(("amount", "decimal(18,2)", "money"))
    if not any(kind_ == "count" for _, _, kind_ in picked):
        picked.append(("quantity", "integer", "count"))
    columns += [Col(name, type_, kind_) for name, type_, kind_ in picked]
    columns += [Col("created_at", "timestamp", "ts"), Col("updated_at", "timestamp", "ts")]
    if kind == "source":
        columns.append(Col("_loaded_at", "timestamp", "ts"))
    return columns


def _ref(uid: str) -> str:
    return f"⟦{uid}⟧"


class _Planner:
    def __init__(
        self,
        models: int,
        seed: int,
        max_columns: int = MAX_COLUMNS,
        leaf_attributes: tuple[int, int] = (3, 6),
    ) -> None:
        self.max_columns = max_columns
        self.leaf_attributes = leaf_attributes
        self.rng = random.Random(f"synthetic-{seed}")
        self.seed = seed
        self.sizes = _tier_sizes(models)
        self.leaves: list[Leaf] = []
        self.models: list[SyntheticModel] = []
        self.by_uid: dict[str, SyntheticModel] = {}
        self.by_tier: list[list[SyntheticModel]] = [[] for _ in TIERS]
        # Features already used once: even a small project shows every one of them.
        self.used: set[str] = set()
        # tier -> grain -> models of that tier with that grain
        self.by_grain: list[dict[str, list[SyntheticModel]]] = [{} for _ in TIERS]
        self.staging_by_grain: dict[str, SyntheticModel] = {}

    def _first(self, feature: str) -> bool:
        """True the first time ``feature`` is asked for."""
        if feature in self.used:
            return False
        self.used.add(feature)
        return True

    # Leaves and staging

    def plan_leaves(self) -> None:
        count = self.sizes[0]
        seeds = max(2, min(40, count // 12))
        entities = sorted(ENTITIES)
        used: dict[tuple[str, str], int] = {}
        for index in range(count):
            entity = (
                entities[index % len(entities)]
                if index < len(entities)
                else self.rng.choice(entities)
            )
            if index < seeds:
                kind, system = "seed", "seeds"
            else:
                kind, system = "source", self.rng.choice(SYSTEMS)
            number = used.get((system, entity), 0) + 1
            used[(system, entity)] = number
            base = plural(entity) if number == 1 else f"{plural(entity)}_{number}"
            name = f"raw_{base}" if kind == "seed" else base
            self.leaves.append(
                Leaf(
                    kind,
                    name,
                    system,
                    entity,
                    _leaf_columns(self.rng, entity, kind, self.leaf_attributes),
                )
            )

    def plan_staging(self) -> None:
        for leaf in self.leaves:
            system = "seeds" if leaf.kind == "seed" else leaf.system
            base = leaf.name.removeprefix("raw_")
            name = f"stg_{system}__{base}"
            model = self._staging_model(name, leaf)
            self._add(model)
            self.staging_by_grain.setdefault(leaf.entity, model)

    def _staging_model(self, name: str, leaf: Leaf) -> SyntheticModel:
        rng = self.rng
        entity = leaf.entity
        key = f"{entity}_id"
        source_ref = _ref(leaf.unique_id)
        columns: list[Col] = []
        tests = [Test("unique", key), Test("not_null", key)]
        if self._first("staging exclude") or rng.random() < 0.25:
            # select * exclude: keep the leaf's columns as they are, rename the key.
            dropped = [c.name for c in leaf.columns if c.name in ("id", "_loaded_at")]
            columns = [c for c in leaf.columns if c.name not in dropped]
            columns.append(Col(key, "integer", "key"))
            body = (
                f"with source as (\n    select * from {source_ref}\n),\n\n"
                f"renamed as (\n    select\n        * exclude ({', '.join(dropped)}),\n"
                f"        id as {key}\n    from source\n)\n\nselect * from renamed\n"
            )
        else:
            lines = []
            for column in leaf.columns:
                if column.name == "_loaded_at":
                    continue
                if column.name == "id":
                    lines.append(f"id as {key}")
                    columns.append(Col(key, "integer", "key"))
                elif column.name == "name":
                    lines.append(f"trim(name) as {entity}_name")
                    columns.append(Col(f"{entity}_name", "varchar", "text"))
                elif column.kind == "money":
                    lines.append(f"cast({column.name} as decimal(18, 2)) as {column.name}")
                    columns.append(column)
                elif column.name in _ACCEPTED:
                    lines.append(f"lower({column.name}) as {column.name}")
                    columns.append(column)
                elif column.kind == "flag":
                    lines.append(f"coalesce({column.name}, false) as {column.name}")
                    columns.append(column)
                else:
                    lines.append(column.name)
                    columns.append(column)
                if column.name == "created_at":
                    lines.append("cast(created_at as date) as created_date")
                    columns.append(Col("created_date", "date", "date"))
            where = ""
            if rng.random() < 0.3 and any(c.name == "is_test" for c in leaf.columns):
                where = "\n    where not coalesce(is_test, false)"
            select = ",\n        ".join(lines)
            body = (
                f"with source as (\n    select * from {source_ref}\n),\n\n"
                f"renamed as (\n    select\n        {select}\n    from source{where}\n)\n\n"
                "select * from renamed\n"
            )
        for column in columns:
            if column.name in _ACCEPTED and rng.random() < 0.5:
                tests.append(Test("accepted_values", column.name, _ACCEPTED[column.name]))
        for target in ENTITIES[entity]:
            parent = self.staging_by_grain.get(target)
            if parent is not None and rng.random() < 0.4:
                tests.append(Test("relationships", f"{target}_id", to=parent.name))
        return SyntheticModel(
            name=name,
            tier=0,
            folder=("staging", leaf.system),
            domain=leaf.system,
            grain=entity,
            columns=columns,
            sql=body,
            parents=[leaf.unique_id],
            description=(
                f"One row per {entity.replace('_', ' ')} from "
                f"{'the ' + leaf.name + ' seed' if leaf.kind == 'seed' else leaf.system}, "
                "renamed and typed."
            ),
            tests=tests,
        )

    def _add(self, model: SyntheticModel) -> None:
        self.models.append(model)
        self.by_uid[model.unique_id] = model
        self.by_tier[model.tier].append(model)
        self.by_grain[model.tier].setdefault(model.grain, []).append(model)

    # Upper tiers

    def _candidates(self, tier: int) -> list[SyntheticModel]:
        # Mostly the tier just below, sometimes any earlier one: real DAGs skip layers.
        if tier >= 2 and self.rng.random() < 0.3:
            return [m for lower in self.by_tier[:tier] for m in lower]
        return self.by_tier[tier - 1]

    def _partner(self, tier: int, grain: str, exclude: SyntheticModel) -> SyntheticModel | None:
        options = [
            m
            for t in range(tier)
            for m in self.by_grain[t].get(grain, ())
            if m is not exclude and m.enabled
        ]
        return self.rng.choice(options) if options else None

    def plan_upper(self) -> None:
        for tier in range(1, len(TIERS)):
            for index in range(self.sizes[tier]):
                self._add(self._upper_model(tier, index))

    def _upper_model(self, tier: int, index: int) -> SyntheticModel:
        rng = self.rng
        primary = rng.choice(self._candidates(tier))
        domain = rng.choice(DOMAINS)
        if tier >= 3 and index < 4:
            domain = ("finance", "marketing")[index % 2]
        if tier == 3:
            pattern = rng.choice(("join", "join", "star", "case"))
        elif tier in (1, 4) and index < 2 * len(_PATTERNS):
            pattern = _PATTERNS[index % len(_PATTERNS)]
        else:
            pattern = rng.choices(_PATTERNS, (5, 3, 3, 2, 2, 2))[0]
        built = getattr(self, f"_sql_{pattern}")(tier, primary)
        for _ in range(8):
            # Not every model can be unioned or windowed: try a few others before giving up.
            if built is not None:
                break
            primary = rng.choice(self._candidates(tier))
            built = getattr(self, f"_sql_{pattern}")(tier, primary)
        if built is None:
            built = self._sql_join(tier, primary) or self._sql_case(tier, primary)
        sql, columns, parents, grain, unique = built
        prefix = ("int", "int", "dim", "fct")[tier - 1]
        number = len(self.models) + 1
        name = f"{prefix}_{domain}__{plural(grain)}_{pattern_name(sql)}_{number:04d}"
        folder: tuple[str, ...] = (TIERS[tier], domain)
        if tier == 2:
            folder = (*folder, "enriched")
        if tier == 4 and rng.random() < 0.3:
            folder = (*folder, "reporting")
        tests = [Test("not_null", f"{grain}_id")]
        if unique:
            tests.insert(0, Test("unique", f"{grain}_id"))
        for column in columns:
            if column.name in _ACCEPTED and rng.random() < 0.15:
                tests.append(Test("accepted_values", column.name, _ACCEPTED[column.name]))
            if (
                column.kind == "key"
                and column.name != f"{grain}_id"
                and rng.random() < 0.15
                and column.name[:-3] in self.staging_by_grain
            ):
                target = self.staging_by_grain[column.name[:-3]]
                tests.append(Test("relationships", column.name, to=target.name))
        model = SyntheticModel(
            name=name,
            tier=tier,
            folder=folder,
            domain=domain,
            grain=grain,
            columns=columns,
            sql=sql,
            parents=parents,
            materialized=("view", "view", "table", "table")[tier - 1],
            description=_describe(tier, grain, pattern_name(sql), parents, self.by_uid),
            tests=tests,
        )
        self._configure(model)
        return model

    def _configure(self, model: SyntheticModel) -> None:
        rng = self.rng
        tags = [t for t in EXTRA_TAGS if rng.random() < 0.12]
        if tags:
            model.yaml_config["tags"] = tags
        if rng.random() < 0.1:
            model.owner = rng.choice(sorted(OWNERS.values()))
            model.yaml_config["meta"] = {"owner": model.owner}
        if model.tier == 1 and (self._first("ephemeral") or rng.random() < 0.08):
            model.materialized = "ephemeral"
            model.sql_config = "{{ config(materialized='ephemeral') }}\n"
        elif model.tier == 2 and rng.random() < 0.1:
            model.materialized = "table"
            model.yaml_config["materialized"] = "table"
        elif (
            model.tier >= 3
            and _incremental_column(model)
            and ("incremental" not in self.used or rng.random() < 0.12)
        ):
            self.used.add("incremental")
            column = _incremental_column(model)
            model.materialized = "incremental"
            model.sql_config = (
                f"{{{{ config(materialized='incremental', unique_key='{model.key}') }}}}\n"
            )
            model.incremental_filter = (
                "{% if is_incremental() %}\n"
                f"where {column} > (select max({column}) from {{{{ this }}}})\n"
                "{% endif %}\n"
            )
        if model.tier >= 3 and model.domain in GROUPS:
            model.group = GROUPS[model.domain]
            model.yaml_config["group"] = model.group
            if model.tier == 3:
                model.access = "public"
                model.yaml_config["access"] = "public"

    def _alias(self, model: SyntheticModel, taken: set[str]) -> str:
        alias = plural(model.grain)
        if alias in taken or alias in _RESERVED:
            number = 2
            while f"{alias}_{number}" in taken:
                number += 1
            alias = f"{alias}_{number}"
        taken.add(alias)
        return alias

    # Each _sql_* returns (sql, columns, parents, grain, grain is unique) or None.

    def _sql_join(self, tier: int, primary: SyntheticModel) -> _Built | None:
        rng = self.rng
        fks = [c.name[:-3] for c in primary.columns if c.kind == "key" and c.name != primary.key]
        partners = []
        for target in rng.sample(fks, len(fks)):
            partner = self._partner(tier, target, primary)
            if partner is not None and partner not in partners:
                partners.append(partner)
            if len(partners) == rng.choice((1, 1, 2)):
                break
        if not partners:
            return None
        taken: set[str] = set()
        base = self._alias(primary, taken)
        aliases = [self._alias(p, taken) for p in partners]
        ctes = [f"{base} as (\n    select * from {_ref(primary.unique_id)}\n)"]
        ctes += [
            f"{alias} as (\n    select * from {_ref(p.unique_id)}\n)"
            for alias, p in zip(aliases, partners, strict=True)
        ]
        kept = _keep(primary.columns, primary.key, self.max_columns - 4 * len(partners), rng)
        lines = [f"{base}.{c.name}" for c in kept]
        columns = list(kept)
        names = {c.name for c in columns}
        joins = []
        for alias, partner in zip(aliases, partners, strict=True):
            extra = [c for c in partner.columns if c.kind not in ("key",) and c.name != "status"]
            extra = rng.sample(extra, min(len(extra), rng.randint(1, 3)))
            if any(c.name == "status" for c in partner.columns):
                extra.insert(0, next(c for c in partner.columns if c.name == "status"))
            for column in extra:
                new = f"{partner.grain}_{column.name}"
                if new in names or column.name.startswith(partner.grain):
                    new = f"{alias}_{column.name}"
                if new in names:
                    continue
                names.add(new)
                lines.append(f"{alias}.{column.name} as {new}")
                columns.append(Col(new, column.type, column.kind))
            kind = rng.choice(("left join", "left join", "inner join"))
            joins.append(f"{kind} {alias}\n        on {base}.{partner.key} = {alias}.{partner.key}")
        lines += self._derived(base, kept, columns, names)
        where = ""
        if rng.random() < 0.25 and any(c.name == "status" for c in kept):
            where = f"\n    where {base}.status <> 'cancelled'"
        select = ",\n        ".join(lines)
        ctes.append(
            f"joined as (\n    select\n        {select}\n    from {base}\n    "
            + "\n    ".join(joins)
            + where
            + "\n)"
        )
        sql = "with " + ",\n\n".join(ctes) + "\n\nselect * from joined\n"
        parents = [primary.unique_id] + [p.unique_id for p in partners]
        return sql, columns, parents, primary.grain, True

    def _derived(
        self, alias: str, source: Sequence[Col], columns: list[Col], names: set[str]
    ) -> list[str]:
        """CASE and arithmetic columns computed from ``source`` (the columns of ``alias``),
        appended to ``columns``."""
        rng = self.rng
        lines: list[str] = []
        money = [c for c in source if c.kind == "money"]
        if money and rng.random() < 0.5:
            column = money[0]
            new = f"{column.name}_band"
            if new not in names:
                names.add(new)
                lines.append(
                    "case\n"
                    f"            when {alias}.{column.name} >= 1000 then 'large'\n"
                    f"            when {alias}.{column.name} >= 100 then 'medium'\n"
                    "            else 'small'\n"
                    f"        end as {new}"
                )
                columns.append(Col(new, "varchar", "text"))
        if len(money) >= 2 and rng.random() < 0.5:
            first, second = money[0], money[1]
            new = f"net_{first.name}"
            if new not in names:
                names.add(new)
                lines.append(
                    f"cast(coalesce({alias}.{first.name}, 0) - coalesce({alias}.{second.name}, 0)"
                    f" as decimal(18, 2)) as {new}"
                )
                columns.append(Col(new, "decimal(18,2)", "money"))
        return lines

    def _sql_case(self, tier: int, primary: SyntheticModel) -> _Built:
        rng = self.rng
        alias = self._alias(primary, set())
        kept = _keep(primary.columns, primary.key, self.max_columns - 3, rng)
        columns = list(kept)
        names = {c.name for c in columns}
        lines = [c.name if rng.random() < 0.5 else f"{alias}.{c.name}" for c in kept]
        texts = [c for c in kept if c.name in _ACCEPTED]
        if texts:
            column = texts[0]
            values = _ACCEPTED[column.name]
            new = f"is_{values[0]}"
            if new not in names:
                names.add(new)
                lines.append(
                    f"case when {alias}.{column.name} = '{values[0]}' then true else false end"
                    f" as {new}"
                )
                columns.append(Col(new, "boolean", "flag"))
        stamps = [c for c in kept if c.kind == "ts"]
        if stamps and "age_days" not in names:
            names.add("age_days")
            lines.append(
                f"date_diff('day', {alias}.{stamps[0].name}, timestamp '2026-01-01') as age_days"
            )
            columns.append(Col("age_days", "bigint", "count"))
        lines += self._derived(alias, kept, columns, names)
        select = ",\n        ".join(lines)
        sql = (
            f"with {alias} as (\n    select * from {_ref(primary.unique_id)}\n)\n\n"
            f"select\n        {select}\nfrom {alias}\n"
        )
        return sql, columns, [primary.unique_id], primary.grain, True

    def _sql_star(self, tier: int, primary: SyntheticModel) -> _Built:
        rng = self.rng
        droppable = [c for c in primary.columns if c.kind not in ("key",)]
        if droppable and (self._first("exclude") or rng.random() < 0.6):
            dropped = rng.sample(droppable, min(len(droppable), rng.randint(1, 2)))
            dropped_names = [c.name for c in dropped]
            columns = [c for c in primary.columns if c.name not in dropped_names]
            select = f"* exclude ({', '.join(dropped_names)})"
        else:
            columns = list(primary.columns)
            select = "*"
        where = ""
        if any(c.name == "status" for c in primary.columns) and rng.random() < 0.6:
            where = "\nwhere status <> 'cancelled'"
        extra = ""
        money = [c for c in columns if c.kind == "money"]
        if money and f"{money[0].name}_cents" not in {c.name for c in columns}:
            extra = f",\n    cast({money[0].name} * 100 as bigint) as {money[0].name}_cents"
            columns.append(Col(f"{money[0].name}_cents", "bigint", "count"))
        sql = f"select\n    {select}{extra}\nfrom {_ref(primary.unique_id)}{where}\n"
        return sql, columns, [primary.unique_id], primary.grain, True

    def _sql_aggregate(self, tier: int, primary: SyntheticModel) -> _Built | None:
        rng = self.rng
        fks = [c for c in primary.columns if c.kind == "key" and c.name != primary.key]
        if not fks:
            return None
        by = rng.choice(fks)
        alias = self._alias(primary, set())
        noun = primary.grain
        lines = [by.name, f"count(*) as {noun}_count"]
        columns = [by, Col(f"{noun}_count", "bigint", "count")]
        names = {c.name for c in columns}
        others = [c for c in fks if c is not by]
        if others:
            other = others[0]
            new = f"{plural(other.name[:-3])}_count"
            if new not in names:
                names.add(new)
                lines.append(f"count(distinct {other.name}) as {new}")
                columns.append(Col(new, "bigint", "count"))
        for column in primary.columns:
            if column.kind == "money" and len(columns) < self.max_columns - 4:
                for function, type_, kind in (
                    ("sum", "decimal(18,2)", "money"),
                    ("avg", "double", "score"),
                ):
                    new = f"{'total' if function == 'sum' else 'avg'}_{column.name}"
                    if new in names:
                        continue
                    names.add(new)
                    lines.append(
                        f"cast({function}({column.name}) as {type_.replace(',', ', ')}) as {new}"
                    )
                    columns.append(Col(new, type_, kind))
            elif column.kind == "count" and len(columns) < self.max_columns - 4:
                new = f"total_{column.name}"
                if new not in names:
                    names.add(new)
                    lines.append(f"cast(sum({column.name}) as bigint) as {new}")
                    columns.append(Col(new, "bigint", "count"))
            elif column.kind == "ts" and column.name == "created_at":
                for function, label in (("min", "first"), ("max", "last")):
                    new = f"{label}_{noun}_at"
                    names.add(new)
                    lines.append(f"{function}(created_at) as {new}")
                    columns.append(Col(new, "timestamp", "ts"))
        if any(c.name == "status" for c in primary.columns):
            value = rng.choice(_ACCEPTED["status"])
            new = f"{value}_{noun}_count"
            names.add(new)
            lines.append(
                f"cast(sum(case when status = '{value}' then 1 else 0 end) as bigint) as {new}"
            )
            columns.append(Col(new, "bigint", "count"))
        having = "\nhaving count(*) > 0" if rng.random() < 0.3 else ""
        select = ",\n    ".join(lines)
        sql = (
            f"with {alias} as (\n    select * from {_ref(primary.unique_id)}\n)\n\n"
            f"select\n    {select}\nfrom {alias}\ngroup by {by.name}{having}\n"
        )
        return sql, columns, [primary.unique_id], by.name[:-3], True

    def _sql_window(self, tier: int, primary: SyntheticModel) -> _Built | None:
        rng = self.rng
        fks = [c for c in primary.columns if c.kind == "key" and c.name != primary.key]
        stamps = [c for c in primary.columns if c.kind == "ts"]
        if not fks or not stamps:
            return None
        by, order = rng.choice(fks), stamps[0]
        alias = self._alias(primary, set())
        window = f"partition by {by.name} order by {order.name}"
        names = {c.name for c in primary.columns}
        additions = []
        new_columns = []
        for name, expression, type_, kind in (
            (f"{primary.grain}_sequence", f"row_number() over ({window})", "bigint", "count"),
            (f"previous_{order.name}", f"lag({order.name}) over ({window})", "timestamp", "ts"),
        ):
            if name not in names:
                names.add(name)
                additions.append(f"{expression} as {name}")
                new_columns.append(Col(name, type_, kind))
        money = [c for c in primary.columns if c.kind == "money"]
        if money and f"running_{money[0].name}" not in names:
            column = money[0]
            additions.append(
                f"cast(sum({column.name}) over ({window} rows between unbounded preceding and "
                f"current row) as decimal(18, 2)) as running_{column.name}"
            )
            new_columns.append(Col(f"running_{column.name}", "decimal(18,2)", "money"))
        if len(primary.columns) + len(new_columns) > self.max_columns + 4 or rng.random() < 0.4:
            kept = _keep(primary.columns, primary.key, self.max_columns - len(new_columns), rng)
            if by not in kept:
                kept.append(by)
            if order not in kept:
                kept.append(order)
            head = ",\n        ".join(c.name for c in kept)
            columns = kept + new_columns
        else:
            head = "*"
            columns = list(primary.columns) + new_columns
        qualify = ""
        if self._first("qualify") or rng.random() < 0.3:
            qualify = f"\n    qualify row_number() over ({window} desc) <= 100"
        select = ",\n        ".join([head, *additions])
        sql = (
            f"with {alias} as (\n    select * from {_ref(primary.unique_id)}\n),\n\n"
            f"sequenced as (\n    select\n        {select}\n    from {alias}{qualify}\n)\n\n"
            "select * from sequenced\n"
        )
        return sql, columns, [primary.unique_id], primary.grain, True

    def _sql_union(self, tier: int, primary: SyntheticModel) -> _Built | None:
        partner = self._partner(tier, primary.grain, primary)
        if partner is None:
            return None
        theirs = {c.name: c for c in partner.columns}
        # A parent may itself be a union: its marker column is not carried over.
        common = [
            c for c in primary.columns if theirs.get(c.name) == c and c.name != "source_model"
        ]
        if len(common) < 3 or primary.key not in {c.name for c in common}:
            return None
        common = common[: self.max_columns - 1]
        taken: set[str] = set()
        first, second = self._alias(primary, taken), self._alias(partner, taken)
        listed = ",\n        ".join(c.name for c in common)
        sql = (
            f"with {first} as (\n    select * from {_ref(primary.unique_id)}\n),\n\n"
            f"{second} as (\n    select * from {_ref(partner.unique_id)}\n),\n\n"
            f"unioned as (\n    select\n        {listed},\n        '{primary.name}' as "
            f"source_model\n    from {first}\n\n    union all\n\n    select\n        {listed},\n"
            f"        '{partner.name}' as source_model\n    from {second}\n)\n\n"
            "select * from unioned\n"
        )
        columns = [*common, Col("source_model", "varchar", "text")]
        return sql, columns, [primary.unique_id, partner.unique_id], primary.grain, False

    # Disabled models, access, exposures, tests

    def finish(self) -> SyntheticProject:
        rng = self.rng
        referenced = {parent for model in self.models for parent in model.parents}
        facts = [m for m in self.models if m.tier == 4 and m.unique_id not in referenced]
        # Nothing may read a disabled or a private model: keep a few facts away from
        # exposures and singular tests for them.
        disabled = [m for m in facts if m.group is None][: max(1, len(self.models) // 1000)]
        grouped = [m for m in facts if m.group is not None and m not in disabled]
        private = [m for i, m in enumerate(grouped) if i == 0 or rng.random() < 0.5]
        reserved = {m.name for m in disabled + private}
        for model in disabled:
            model.enabled = False
            model.yaml_config["enabled"] = False
        for model in private:
            model.access = "private"
            model.yaml_config["access"] = "private"
        exposures: list[Exposure] = []
        marts = [
            m
            for m in self.models
            if m.tier >= 3 and m.unique_id not in referenced and m.name not in reserved
        ]
        if not marts:
            # A tiny project: any model nothing else needs will do.
            marts = [m for m in self.models if m.tier >= 1 and m.name not in reserved]
        count = max(2, len(self.models) // 250) if marts else 0
        for index in range(count):
            picked = rng.sample(marts, min(len(marts), rng.randint(1, 4)))
            domain = picked[0].domain
            exposures.append(
                Exposure(
                    name=f"{domain}_{rng.choice(('dashboard', 'report', 'review'))}_{index + 1}",
                    type=rng.choice(
                        ("dashboard", "dashboard", "notebook", "analysis", "application")
                    ),
                    domain=domain,
                    models=[m.name for m in picked],
                    maturity=rng.choice(("high", "medium", "low")),
                )
            )
        singular: list[SingularTest] = []
        readable = [m for m in self.models if m.name not in reserved]
        for model in rng.sample(readable, min(len(readable), max(3, len(self.models) // 200))):
            money = [c for c in model.columns if c.kind == "money"]
            if money and model.materialized != "ephemeral":
                singular.append(
                    SingularTest(
                        f"assert_{model.name}_{money[0].name}_not_negative",
                        model.name,
                        money[0].name,
                    )
                )
        staging = [m for m in self.models if m.tier == 0]
        snapshots = [
            (f"{plural(m.grain)}_snapshot_{index + 1}", m.name)
            for index, m in enumerate(
                rng.sample(staging, min(len(staging), max(1, len(staging) // 400)))
            )
        ]
        return SyntheticProject(
            seed=self.seed,
            leaves=self.leaves,
            models=self.models,
            singular_tests=singular,
            exposures=exposures,
            snapshots=snapshots,
        )


_Built = tuple[str, list[Col], list[str], str, bool]
_PATTERNS = ("join", "aggregate", "window", "union", "star", "case")
# CTE names the generated SQL uses itself.
_RESERVED = {"source", "joined", "renamed", "unioned", "sequenced"}


def pattern_name(sql: str) -> str:
    """The shape of a generated model's SQL, as its name says it."""
    if "union all" in sql:
        return "unioned"
    if "group by" in sql:
        return "rollup"
    if " over (" in sql:
        return "sequenced"
    if "join" in sql:
        return "joined"
    if sql.startswith("select"):
        return "filtered"
    return "derived"


def _keep(columns: Sequence[Col], key: str, limit: int, rng: random.Random) -> list[Col]:
    if len(columns) <= limit:
        return list(columns)
    keys = [c for c in columns if c.kind == "key"]
    rest = [c for c in columns if c.kind != "key"]
    chosen = {c.name for c in rng.sample(rest, max(0, limit - len(keys)))}
    return [c for c in columns if c.kind == "key" or c.name in chosen]


def _incremental_column(model: SyntheticModel) -> str | None:
    # The filter is appended to the last statement, which must be a plain select from a CTE.
    if not re.search(r"\nselect \* from \w+\n$", model.sql):
        return None
    for column in model.columns:
        if column.kind == "ts" and column.name in ("created_at", "updated_at"):
            return column.name
    return None


def _describe(
    tier: int, grain: str, pattern: str, parents: list[str], by_uid: dict[str, SyntheticModel]
) -> str:
    names = [by_uid[p].name for p in parents if p in by_uid]
    what = {
        "unioned": "stacked from",
        "rollup": "rolled up from",
        "sequenced": "numbered in time from",
        "joined": "joined from",
        "filtered": "filtered from",
        "derived": "derived from",
    }[pattern]
    layer = ("", "Intermediate", "Enriched", "Dimension", "Fact")[tier]
    return f"{layer}: one row per {grain.replace('_', ' ')}, {what} {', '.join(names)}."


def plan(
    models: int,
    seed: int = 0,
    max_columns: int = MAX_COLUMNS,
    leaf_attributes: tuple[int, int] = (3, 6),
) -> SyntheticProject:
    """The project ``write_project`` and ``write_artifacts`` write for ``models`` and ``seed``.

    Wider projects: ``max_columns`` caps how wide a model gets (joins and windows add a few
    more), ``leaf_attributes`` is the range of attribute columns of a seed or source.
    """
    planner = _Planner(models, seed, max_columns, leaf_attributes)
    planner.plan_leaves()
    planner.plan_staging()
    planner.plan_upper()
    return planner.finish()


# Rendering ---------------------------------------------------------------------------------

_MARKER = re.compile(r"⟦([^⟧]+)⟧")


def _render(sql: str, resolve: Callable[[str], str]) -> str:
    return _MARKER.sub(lambda match: resolve(match.group(1)), sql)


def raw_code(project: SyntheticProject, model: SyntheticModel) -> str:
    """The model's SQL file as written, with ``ref()`` and ``source()``."""

    def jinja(uid: str) -> str:
        leaf = project.leaf(uid)
        if leaf is not None:
            return leaf.jinja
        return f"{{{{ ref('{uid.rsplit('.', 1)[1]}') }}}}"

    body = _render(model.sql, jinja)
    if model.incremental_filter:
        body = body.rstrip("\n") + "\n" + model.incremental_filter
    return model.sql_config + body


def _yaml_scalar(value: Any) -> str:
    return json.dumps(value)


def _yaml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in value.items()) + "}"
    return _yaml_scalar(value)


def _test_yaml(test: Test, indent: str) -> list[str]:
    arguments = test.arguments()
    if not arguments:
        return [f"{indent}- {test.name}"]
    lines = [f"{indent}- {test.name}:", f"{indent}    arguments:"]
    lines += [f"{indent}      {key}: {_yaml_value(value)}" for key, value in arguments.items()]
    return lines


def _models_yaml(models: Iterable[SyntheticModel]) -> str:
    lines = ["version: 2", "", "models:"]
    for model in models:
        lines += [f"  - name: {model.name}", f"    description: {_yaml_scalar(model.description)}"]
        if model.yaml_config:
            lines.append("    config:")
            lines += [
                f"      {key}: {_yaml_value(value)}" for key, value in model.yaml_config.items()
            ]
        lines.append("    columns:")
        tests_by_column: dict[str, list[Test]] = {}
        for test in model.tests:
            tests_by_column.setdefault(test.column, []).append(test)
        for column in model.columns:
            lines += [
                f"      - name: {column.name}",
                f"        description: {_yaml_scalar(column.description)}",
                f"        data_type: {column.type}",
            ]
            tests = tests_by_column.get(column.name)
            if tests and model.enabled:
                lines.append("        data_tests:")
                for test in tests:
                    lines += _test_yaml(test, "          ")
        lines.append("")
    return "\n".join(lines)


def _sources_yaml(system: str, leaves: Sequence[Leaf]) -> str:
    lines = [
        "version: 2",
        "",
        "sources:",
        f"  - name: {system}",
        f"    description: {_yaml_scalar(f'Tables replicated from the {system} system.')}",
        "    config:",
        "      loaded_at_field: _loaded_at",
        "      freshness:",
        "        warn_after: {count: 12, period: hour}",
        "        error_after: {count: 2, period: day}",
        f"      meta: {{owner: {OWNERS[DOMAINS[SYSTEMS.index(system) % len(DOMAINS)]]}}}",
        f'      tags: ["{system}"]',
        "    tables:",
    ]
    for leaf in leaves:
        lines += [
            f"      - name: {leaf.name}",
            f"        description: {_yaml_scalar(_leaf_description(leaf))}",
            "        columns:",
        ]
        for column in leaf.columns:
            lines += [
                f"          - name: {column.name}",
                f"            description: {_yaml_scalar(column.description)}",
                f"            data_type: {column.type}",
            ]
            if column.name == "id":
                lines += ["            data_tests:", "              - not_null"]
    lines.append("")
    return "\n".join(lines)


def _leaf_description(leaf: Leaf) -> str:
    return f"Raw {leaf.entity.replace('_', ' ')} records as {leaf.system} writes them."


def _seeds_yaml(leaves: Sequence[Leaf]) -> str:
    lines = ["version: 2", "", "seeds:"]
    for leaf in leaves:
        types = {c.name: c.type for c in leaf.columns if c.type not in ("integer", "varchar")}
        lines += [
            f"  - name: {leaf.name}",
            f"    description: {_yaml_scalar(_leaf_description(leaf))}",
            "    config:",
            f"      column_types: {_yaml_value(types)}",
            "    columns:",
        ]
        for column in leaf.columns:
            lines += [
                f"      - name: {column.name}",
                f"        description: {_yaml_scalar(column.description)}",
            ]
    lines.append("")
    return "\n".join(lines)


def seed_csv(leaf: Leaf) -> str:
    """Three rows of plausible data for a seed."""
    rows = [",".join(c.name for c in leaf.columns)]
    for index in range(3):
        values = []
        for column in leaf.columns:
            if column.kind == "key":
                values.append(str(index + 1))
            elif column.name in _ACCEPTED:
                values.append(_ACCEPTED[column.name][index % len(_ACCEPTED[column.name])])
            else:
                values.append(_SAMPLE_VALUES[column.type][index])
        rows.append(",".join(values))
    return "\n".join(rows) + "\n"


def _dbt_project_yml(project: SyntheticProject) -> str:
    lines = [
        f"name: {PROJECT_NAME}",
        'version: "1.0.0"',
        f"profile: {PROJECT_NAME}",
        "",
        'model-paths: ["models"]',
        'seed-paths: ["seeds"]',
        'snapshot-paths: ["snapshots"]',
        'test-paths: ["tests"]',
        'macro-paths: ["macros"]',
        'clean-targets: ["target", "logs"]',
        "",
        "models:",
        f"  {PROJECT_NAME}:",
        "    +meta:",
        "      owner: data-platform",
    ]
    for tier_name, materialized in (
        ("staging", "view"),
        ("intermediate", "view"),
        ("marts", "table"),
    ):
        lines += [
            f"    {tier_name}:",
            f"      +materialized: {materialized}",
            f"      +schema: {tier_name}",
            f'      +tags: ["{tier_name}"]',
        ]
        if tier_name == "marts":
            for domain in sorted({m.domain for m in project.models if m.tier >= 3}):
                lines += [
                    f"      {domain}:",
                    f'        +tags: ["{domain}"]',
                    "        +meta:",
                    f"          owner: {OWNERS[domain]}",
                ]
    lines += [
        "",
        "seeds:",
        f"  {PROJECT_NAME}:",
        "    +schema: raw",
        '    +tags: ["raw"]',
        "",
        "snapshots:",
        f"  {PROJECT_NAME}:",
        "    +schema: snapshots",
        "",
        "data_tests:",
        f"  {PROJECT_NAME}:",
        "    +meta:",
        "      owner: data-platform",
        "",
    ]
    return "\n".join(lines)


_PROFILES = f"""# Written by `jupyter dbt-workbench synthetic`. Run dbt with `--profiles-dir .`.
{PROJECT_NAME}:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: {DATABASE}.duckdb
      threads: 4
"""


def _groups_yaml() -> str:
    lines = ["version: 2", "", "groups:"]
    for domain, group in GROUPS.items():
        lines += [
            f"  - name: {group}",
            "    owner:",
            f"      name: {OWNERS[domain]}",
            f"      email: {OWNERS[domain]}@synthetic.example",
        ]
    lines.append("")
    return "\n".join(lines)


def _exposures_yaml(exposures: Sequence[Exposure]) -> str:
    lines = ["version: 2", "", "exposures:"]
    for exposure in exposures:
        owner = OWNERS[exposure.domain]
        lines += [
            f"  - name: {exposure.name}",
            f"    type: {exposure.type}",
            f"    maturity: {exposure.maturity}",
            f"    description: {_yaml_scalar(_exposure_description(exposure))}",
            f"    url: https://bi.synthetic.example/{exposure.name}",
            "    owner:",
            f"      name: {owner}",
            f"      email: {owner}@synthetic.example",
            "    depends_on:",
        ]
        lines += [f"      - ref('{name}')" for name in exposure.models]
    lines.append("")
    return "\n".join(lines)


def _exposure_description(exposure: Exposure) -> str:
    return f"The {exposure.domain} team's {exposure.type} built on {len(exposure.models)} marts."


def _singular_sql(test: SingularTest) -> str:
    return (
        f"-- {test.column} is never negative in {test.model}.\n"
        f"select *\nfrom {{{{ ref('{test.model}') }}}}\nwhere {test.column} < 0\n"
    )


def _snapshot_yaml(name: str, model: str, key: str) -> str:
    return (
        "snapshots:\n"
        f"  - name: {name}\n"
        f"    description: History of {model}.\n"
        f"    relation: ref('{model}')\n"
        "    config:\n"
        f"      unique_key: {key}\n"
        "      strategy: timestamp\n"
        "      updated_at: updated_at\n"
    )


def project_files(project: SyntheticProject) -> dict[str, str]:
    """Every file of the project, by path relative to its folder."""
    files: dict[str, str] = {
        "dbt_project.yml": _dbt_project_yml(project),
        "profiles.yml": _PROFILES,
        ".gitignore": "target/\nlogs/\n*.duckdb\n*.duckdb.wal\n",
        "models/_groups.yml": _groups_yaml(),
        "models/marts/_exposures.yml": _exposures_yaml(project.exposures),
    }
    seeds = [leaf for leaf in project.leaves if leaf.kind == "seed"]
    files["seeds/_seeds.yml"] = _seeds_yaml(seeds)
    for leaf in seeds:
        files[f"seeds/{leaf.name}.csv"] = seed_csv(leaf)
    by_system: dict[str, list[Leaf]] = {}
    for leaf in project.leaves:
        if leaf.kind == "source":
            by_system.setdefault(leaf.system, []).append(leaf)
    for system, leaves in by_system.items():
        files[f"models/staging/{system}/_{system}__sources.yml"] = _sources_yaml(system, leaves)
    by_folder: dict[tuple[str, ...], list[SyntheticModel]] = {}
    for model in project.models:
        by_folder.setdefault(model.folder, []).append(model)
        files[f"models/{model.path}"] = raw_code(project, model)
    for folder, models in by_folder.items():
        files[f"models/{'/'.join(folder)}/_{folder[-1]}__models.yml"] = _models_yaml(models)
    for test in project.singular_tests:
        files[f"tests/{test.name}.sql"] = _singular_sql(test)
    for name, copied in project.snapshots:
        files[f"snapshots/{name}.yml"] = _snapshot_yaml(name, copied, project.model(copied).key)
    return files


def _write_files(directory: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_project(directory: Path, *, models: int, seed: int = 0) -> None:
    """Write a dbt project (dbt-duckdb, no packages) of ``models`` models into ``directory``.

    The same ``models`` and ``seed`` always write the same files. Existing files of the same
    names are overwritten; nothing else in ``directory`` is touched.
    """
    _write_files(directory, project_files(plan(models, seed)))


# Artifacts ---------------------------------------------------------------------------------

_CATALOG_TYPES = {"decimal(18,2)": "DECIMAL(18,2)"}
_SNAPSHOT_COLUMNS = (
    Col("dbt_scd_id", "varchar", "text"),
    Col("dbt_updated_at", "timestamp", "ts"),
    Col("dbt_valid_from", "timestamp", "ts"),
    Col("dbt_valid_to", "timestamp", "ts"),
)
_TEST_CONFIG: dict[str, Any] = {
    "enabled": True,
    "alias": None,
    "schema": "dbt_test__audit",
    "database": None,
    "tags": [],
    "meta": {"owner": "data-platform"},
    "group": None,
    "static_analysis": None,
    "materialized": "test",
    "severity": "ERROR",
    "store_failures": None,
    "store_failures_as": None,
    "where": None,
    "limit": None,
    "fail_calc": "count(*)",
    "warn_if": "!= 0",
    "error_if": "!= 0",
}
_CONTRACT = {"enforced": False, "alias_types": True, "checksum": None}
_DOCS = {"show": True, "node_color": None}
# What dbt's generic test macros compile to, for a relation and a column.
_TEST_SQL = {
    "not_null": (
        "\n    \n    \n\n\n\nselect {column}\nfrom {relation}\nwhere {column} is null\n\n\n"
    ),
    "unique": (
        "\n    \n    \n\nselect\n    {column} as unique_field,\n    count(*) as n_records\n\n"
        "from {relation}\nwhere {column} is not null\ngroup by {column}\n"
        "having count(*) > 1\n\n\n"
    ),
    "accepted_values": (
        "\n    \n    \n\nwith all_values as (\n\n    select\n        {column} as value_field,\n"
        "        count(*) as n_records\n\n    from {relation}\n    group by {column}\n\n)\n\n"
        "select *\nfrom all_values\nwhere value_field not in (\n    {values}\n)\n\n\n"
    ),
    "relationships": (
        "\n    \n    \n\nwith child as (\n    select {column} as from_field\n"
        "    from {relation}\n    where {column} is not null\n),\n\nparent as (\n"
        "    select {column} as to_field\n    from {target}\n)\n\nselect\n    from_field\n\n"
        "from child\nleft join parent\n    on child.from_field = parent.to_field\n\n"
        "where parent.to_field is null\n\n\n"
    ),
}


def _sha256(text: str) -> dict[str, str]:
    # dbt hashes the file's contents without surrounding whitespace.
    return {
        "name": "sha256",
        "checksum": hashlib.sha256(text.strip().encode("utf-8")).hexdigest(),
    }


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _column_entry(column: Col, *, typed: bool = True) -> dict[str, Any]:
    return {
        "name": column.name,
        "description": column.description,
        "meta": {},
        "data_type": column.type if typed else None,
        "constraints": [],
        "quote": None,
        "config": {"meta": {}, "tags": []},
        "tags": [],
        "granularity": None,
        "doc_blocks": [],
    }


def _ref_entry(name: str) -> dict[str, Any]:
    return {"name": name, "package": None, "version": None}


def _merge_tags(*groups: Iterable[str]) -> list[str]:
    merged: list[str] = []
    for group in groups:
        merged += [tag for tag in group if tag not in merged]
    return merged


def _model_configs(model: SyntheticModel) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """The model's unrendered config, tags and meta as dbt merges them: project levels, then
    the YAML, then the SQL ``config()`` call."""
    tier = TIERS[model.tier]
    unrendered: dict[str, Any] = {"meta": {"owner": "data-platform"}}
    unrendered.update(materialized="view" if tier != "marts" else "table", schema=tier, tags=[tier])
    tag_levels: list[list[str]] = [[tier]]
    if tier == "marts":
        unrendered.update(tags=[model.domain], meta={"owner": OWNERS[model.domain]})
        tag_levels.append([model.domain])
    unrendered.update(model.yaml_config)
    tag_levels.append(list(model.yaml_config.get("tags", ())))
    if model.materialized == "ephemeral":
        unrendered["materialized"] = "ephemeral"
    elif model.materialized == "incremental":
        unrendered.update(materialized="incremental", unique_key=model.key)
    return unrendered, _merge_tags(*tag_levels), dict(unrendered["meta"])


def _generic_test_names(test: Test, target: str) -> tuple[str, str]:
    """(short name for files and the alias, full name for the unique id), as dbt builds them."""
    arguments = {"column_name": test.column, **test.arguments()}
    flat: list[str] = []
    for key in sorted(arguments):
        value = arguments[key]
        flat += [str(part) for part in (value if isinstance(value, list) else [value])]
    unique = "__".join(re.sub("[^0-9a-zA-Z_]+", "_", part) for part in flat)
    identifier = f"{test.name}_{target}"
    full = f"{identifier}_{unique}"
    short = f"{identifier[:30]}_{_md5(full)}" if len(full) >= 64 else full
    return short, full


def _hashable(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _hashable(data[key]) for key in sorted(data)}
    if isinstance(data, list):
        return [_hashable(item) for item in data]
    return str(data)


class _ManifestWriter:
    """Builds manifest.json and catalog.json for a planned project."""

    def __init__(self, project: SyntheticProject, root: Path, files: dict[str, str]) -> None:
        self.project = project
        self.root = root
        self.leaves = {leaf.unique_id: leaf for leaf in project.leaves}
        self.models = {model.unique_id: model for model in project.models}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.disabled: dict[str, list[dict[str, Any]]] = {}
        self.exposures: dict[str, dict[str, Any]] = {}
        self.compiled: dict[str, str] = {}
        self.files = files
        self.clock = CREATED_AT

    def created_at(self) -> float:
        self.clock += 0.001
        return round(self.clock, 6)

    def relation(self, uid: str) -> str:
        if uid in self.leaves:
            return self.leaves[uid].relation
        model = self.models[uid]
        if model.materialized == "ephemeral":
            return f"__dbt__cte__{model.name}"
        return model.relation

    # Compiled SQL

    def compiled_code(self, model: SyntheticModel) -> tuple[str, list[dict[str, str]]]:
        """The model's compiled SQL (ephemeral parents injected) and its extra CTEs."""
        body = _render(model.sql, self.relation).rstrip("\n")
        if model.incremental_filter:
            body += "\n"
        if model.sql_config:
            body = "\n" + body
        ctes = [self.cte(parent) for parent in model.parents if self.is_ephemeral(parent)]
        return _inject_ctes(body, ctes), ctes

    def is_ephemeral(self, uid: str) -> bool:
        model = self.models.get(uid)
        return model is not None and model.materialized == "ephemeral"

    def cte(self, uid: str) -> dict[str, str]:
        """What dbt injects into the SQL of whatever reads the ephemeral model ``uid``."""
        model = self.models[uid]
        inner, _ = self.compiled_code(model)
        return {"id": uid, "sql": f" __dbt__cte__{model.name} as (\n{inner}\n)"}

    # Nodes

    def add_seed(self, leaf: Leaf) -> None:
        path = f"seeds/{leaf.name}.csv"
        types = {c.name: c.type for c in leaf.columns if c.type not in ("integer", "varchar")}
        config = _base_config("raw", ["raw"], {}, "seed")
        del config["access"], config["freshness"]
        config["column_types"] = types
        config.update(delimiter=",", quote_columns=None)
        self.nodes[leaf.unique_id] = {
            "database": DATABASE,
            "schema": f"{TARGET_SCHEMA}_raw",
            "name": leaf.name,
            "resource_type": "seed",
            "package_name": PROJECT_NAME,
            "path": f"{leaf.name}.csv",
            "original_file_path": path,
            "unique_id": leaf.unique_id,
            "fqn": [PROJECT_NAME, leaf.name],
            "alias": leaf.name,
            "checksum": _sha256(self.files[path]),
            "config": config,
            "tags": ["raw"],
            "description": _leaf_description(leaf),
            "columns": {c.name: _column_entry(c, typed=False) for c in leaf.columns},
            "meta": {},
            "group": None,
            "docs": dict(_DOCS),
            "patch_path": f"{PROJECT_NAME}://seeds/_seeds.yml",
            "build_path": None,
            "unrendered_config": {"schema": "raw", "tags": ["raw"], "column_types": types},
            "created_at": self.created_at(),
            "relation_name": leaf.relation,
            "raw_code": "",
            "doc_blocks": [],
            "root_path": str(self.root),
            "depends_on": {"macros": []},
        }

    def add_source(self, leaf: Leaf) -> None:
        folder = f"models/staging/{leaf.system}"
        owner = OWNERS[DOMAINS[SYSTEMS.index(leaf.system) % len(DOMAINS)]]
        freshness = {
            "warn_after": {"count": 12, "period": "hour"},
            "error_after": {"count": 2, "period": "day"},
            "filter": None,
        }
        self.sources[leaf.unique_id] = {
            "database": DATABASE,
            "schema": leaf.system,
            "name": leaf.name,
            "resource_type": "source",
            "package_name": PROJECT_NAME,
            "path": f"{folder}/_{leaf.system}__sources.yml",
            "original_file_path": f"{folder}/_{leaf.system}__sources.yml",
            "unique_id": leaf.unique_id,
            "fqn": [PROJECT_NAME, "staging", leaf.system, leaf.system, leaf.name],
            "source_name": leaf.system,
            "source_description": f"Tables replicated from the {leaf.system} system.",
            "loader": "",
            "identifier": leaf.name,
            "quoting": {"database": None, "schema": None, "identifier": None, "column": None},
            "loaded_at_field": "_loaded_at",
            "loaded_at_query": None,
            "freshness": freshness,
            "external": None,
            "description": _leaf_description(leaf),
            "columns": {c.name: _column_entry(c) for c in leaf.columns},
            "meta": {"owner": owner},
            "source_meta": {"owner": owner},
            "tags": [leaf.system],
            "config": {
                "enabled": True,
                "event_time": None,
                "freshness": freshness,
                "loaded_at_field": "_loaded_at",
                "loaded_at_query": None,
                "meta": {"owner": owner},
                "tags": [leaf.system],
                "static_analysis": None,
            },
            "patch_path": None,
            "unrendered_config": {
                "loaded_at_field": "_loaded_at",
                "freshness": freshness,
                "meta": {"owner": owner},
                "tags": [leaf.system],
                "loaded_at_query": None,
            },
            "relation_name": leaf.relation,
            "created_at": self.created_at(),
            "unrendered_database": None,
            "unrendered_schema": None,
            "doc_blocks": [],
        }
        self.add_generic_test(Test("not_null", "id"), leaf, f"{folder}/_{leaf.system}__sources.yml")

    def add_model(self, model: SyntheticModel) -> None:
        unrendered, tags, meta = _model_configs(model)
        path = f"models/{model.path}"
        yml = f"models/{'/'.join(model.folder)}/_{model.folder[-1]}__models.yml"
        config = _base_config(model.schema, tags, meta, model.materialized)
        config.update(
            group=model.group,
            unique_key=model.key if model.materialized == "incremental" else None,
            access=model.access,
            freshness=None,
        )
        config["enabled"] = model.enabled
        refs = [self.models[p].name for p in model.parents if p in self.models]
        sources = [
            [self.leaves[p].system, self.leaves[p].name]
            for p in model.parents
            if p in self.leaves and self.leaves[p].kind == "source"
        ]
        refs += [
            self.leaves[p].name
            for p in model.parents
            if p in self.leaves and self.leaves[p].kind == "seed"
        ]
        unique = any(t.name == "unique" for t in model.tests)
        node: dict[str, Any] = {
            "database": DATABASE,
            "schema": f"{TARGET_SCHEMA}_{model.schema}",
            "name": model.name,
            "resource_type": "model",
            "package_name": PROJECT_NAME,
            "path": model.path,
            "original_file_path": path,
            "unique_id": model.unique_id,
            "fqn": [PROJECT_NAME, *model.folder, model.name],
            "alias": model.name,
            "checksum": _sha256(self.files[path]),
            "config": config,
            "tags": tags,
            "description": model.description,
            "columns": {c.name: _column_entry(c) for c in model.columns},
            "meta": meta,
            "group": model.group,
            "docs": dict(_DOCS),
            "patch_path": f"{PROJECT_NAME}://{yml}",
            "build_path": None,
            "unrendered_config": unrendered,
            "created_at": self.created_at(),
            "relation_name": None if model.materialized == "ephemeral" else model.relation,
            "raw_code": self.files[path].rstrip("\n"),
            "doc_blocks": [],
            "language": "sql",
            "refs": [_ref_entry(name) for name in refs],
            "sources": sources,
            "metrics": [],
            "functions": [],
            "depends_on": {
                "macros": ["macro.dbt.is_incremental"] if model.incremental_filter else [],
                "nodes": list(model.parents) if model.enabled else [],
            },
            "compiled_path": None,
        }
        tail = {
            "contract": dict(_CONTRACT),
            "access": model.access,
            "constraints": [],
            "version": None,
            "latest_version": None,
            "deprecation_date": None,
            "primary_key": [model.key] if unique and model.enabled else [],
            "time_spine": None,
        }
        if not model.enabled:
            node.update(tail)
            self.disabled[model.unique_id] = [node]
            return
        code, ctes = self.compiled_code(model)
        self.compiled[model.unique_id] = code
        node.update(
            compiled_path=f"target/compiled/{PROJECT_NAME}/{path}",
            compiled=True,
            compiled_code=code,
            extra_ctes_injected=True,
            extra_ctes=ctes,
        )
        node.update(tail)
        self.nodes[model.unique_id] = node

    def add_generic_test(self, test: Test, target: SyntheticModel | Leaf, yml: str) -> None:
        if isinstance(target, Leaf):
            short, full = _generic_test_names(test, f"{target.system}_{target.name}")
            short, full = "source_" + short, "source_" + full
            where = f"source('{target.system}', '{target.name}')"
            file_key = f"sources.{target.system}"
            attached = None
            group = None
            refs: list[dict[str, Any]] = []
            sources = [[target.system, target.name]]
        else:
            short, full = _generic_test_names(test, target.name)
            where = f"ref('{target.name}')"
            file_key = f"models.{target.name}"
            attached = target.unique_id
            group = target.group
            refs = [_ref_entry(target.name)]
            sources = []
        kwargs: dict[str, Any] = {"column_name": test.column}
        kwargs.update(test.arguments())
        kwargs["model"] = f"{{{{ get_where_subquery({where}) }}}}"
        metadata = {"name": test.name, "kwargs": kwargs, "namespace": None}
        unique_id = f"test.{PROJECT_NAME}.{full}.{_md5(full + repr(_hashable(metadata)))[-10:]}"
        config = dict(_TEST_CONFIG, meta={"owner": "data-platform"}, tags=[])
        unrendered: dict[str, Any] = {"meta": {"owner": "data-platform"}}
        raw = f"{{{{ test_{test.name}(**_dbt_generic_test_kwargs) }}}}"
        if short != full:
            config["alias"] = short
            unrendered["alias"] = short
            raw += f'{{{{ config(alias="{short}") }}}}'
        nodes = [target.unique_id]
        values = ""
        target_relation = ""
        if test.name == "relationships":
            to = self.project.model(test.to)
            refs.insert(0, _ref_entry(to.name))
            nodes.insert(0, to.unique_id)
            target_relation = to.relation
        if test.name == "accepted_values":
            values = ",".join(f"'{value}'" for value in test.values)
        folder = yml.split("/")[1:-1]
        ctes = [self.cte(uid) for uid in nodes if self.is_ephemeral(uid)]
        self.nodes[unique_id] = {
            "database": DATABASE,
            "schema": f"{TARGET_SCHEMA}_dbt_test__audit",
            "name": full,
            "resource_type": "test",
            "package_name": PROJECT_NAME,
            "path": f"{short}.sql",
            "original_file_path": yml,
            "unique_id": unique_id,
            "fqn": [PROJECT_NAME, *folder, full],
            "alias": short,
            "checksum": {"name": "none", "checksum": ""},
            "config": config,
            "tags": [],
            "description": "",
            "columns": {},
            "meta": {"owner": "data-platform"},
            # The test belongs to its model's group, though its config does not say so.
            "group": group,
            "docs": dict(_DOCS),
            "patch_path": None,
            "build_path": None,
            "unrendered_config": unrendered,
            "created_at": self.created_at(),
            "relation_name": None,
            "raw_code": raw,
            "doc_blocks": [],
            "language": "sql",
            "refs": refs,
            "sources": sources,
            "metrics": [],
            "functions": [],
            "depends_on": {
                "macros": [f"macro.dbt.test_{test.name}", "macro.dbt.get_where_subquery"],
                "nodes": nodes,
            },
            "compiled_path": f"target/compiled/{PROJECT_NAME}/{yml}/{short}.sql",
            "compiled": True,
            "compiled_code": _inject_ctes(
                _TEST_SQL[test.name].format(
                    column=test.column,
                    relation=self.relation(target.unique_id),
                    values=values,
                    target=target_relation,
                ),
                ctes,
            ),
            "extra_ctes_injected": True,
            "extra_ctes": ctes,
            "contract": dict(_CONTRACT),
            "column_name": test.column,
            "file_key_name": file_key,
            "attached_node": attached,
            "test_metadata": metadata,
        }

    def add_singular(self, test: SingularTest) -> None:
        path = f"tests/{test.name}.sql"
        model = self.project.model(test.model)
        raw = self.files[path].rstrip("\n")
        unique_id = f"test.{PROJECT_NAME}.{test.name}"
        self.nodes[unique_id] = {
            "database": DATABASE,
            "schema": f"{TARGET_SCHEMA}_dbt_test__audit",
            "name": test.name,
            "resource_type": "test",
            "package_name": PROJECT_NAME,
            "path": f"{test.name}.sql",
            "original_file_path": path,
            "unique_id": unique_id,
            "fqn": [PROJECT_NAME, test.name],
            "alias": test.name,
            "checksum": _sha256(self.files[path]),
            "config": dict(_TEST_CONFIG, meta={"owner": "data-platform"}, tags=[]),
            "tags": [],
            "description": "",
            "columns": {},
            "meta": {"owner": "data-platform"},
            "group": None,
            "docs": dict(_DOCS),
            "patch_path": None,
            "build_path": None,
            "unrendered_config": {"meta": {"owner": "data-platform"}},
            "created_at": self.created_at(),
            "relation_name": None,
            "raw_code": raw,
            "doc_blocks": [],
            "language": "sql",
            "refs": [_ref_entry(model.name)],
            "sources": [],
            "metrics": [],
            "functions": [],
            "depends_on": {"macros": [], "nodes": [model.unique_id]},
            "compiled_path": f"target/compiled/{PROJECT_NAME}/{path}",
            "compiled": True,
            "compiled_code": raw.replace(f"{{{{ ref('{model.name}') }}}}", model.relation),
            "extra_ctes_injected": True,
            "extra_ctes": [],
            "contract": dict(_CONTRACT),
        }

    def add_snapshot(self, name: str, source_model: str) -> None:
        model = self.project.model(source_model)
        path = f"snapshots/{name}.yml"
        config = _base_config("snapshots", [], {}, "snapshot")
        config.update(unique_key=model.key)
        config.pop("access")
        config.pop("freshness")
        config.update(
            strategy="timestamp",
            target_schema=None,
            target_database=None,
            updated_at="updated_at",
            check_cols=None,
            snapshot_meta_column_names={
                "dbt_valid_to": None,
                "dbt_valid_from": None,
                "dbt_scd_id": None,
                "dbt_updated_at": None,
                "dbt_is_deleted": None,
            },
            dbt_valid_to_current=None,
        )
        uid = f"snapshot.{PROJECT_NAME}.{name}"
        relation = f'"{DATABASE}"."{TARGET_SCHEMA}_snapshots"."{name}"'
        self.nodes[uid] = {
            "database": DATABASE,
            "schema": f"{TARGET_SCHEMA}_snapshots",
            "name": name,
            "resource_type": "snapshot",
            "package_name": PROJECT_NAME,
            "path": f"{name}.yml/{name}.sql",
            "original_file_path": path,
            "unique_id": uid,
            "fqn": [PROJECT_NAME, name],
            "alias": name,
            "checksum": _sha256(self.files[path]),
            "config": config,
            "tags": [],
            "description": f"History of {model.name}.",
            "columns": {},
            "meta": {},
            "group": None,
            "docs": dict(_DOCS),
            "patch_path": f"{PROJECT_NAME}://{path}",
            "build_path": None,
            "unrendered_config": {
                "schema": "snapshots",
                "unique_key": model.key,
                "strategy": "timestamp",
                "updated_at": "updated_at",
            },
            "created_at": self.created_at(),
            "relation_name": relation,
            "raw_code": f"select * from {{{{ ref('{model.name}') }}}}",
            "doc_blocks": [],
            "language": "sql",
            "refs": [_ref_entry(model.name)],
            "sources": [],
            "metrics": [],
            "functions": [],
            "depends_on": {"macros": [], "nodes": [model.unique_id]},
            "compiled_path": None,
            "compiled": True,
            "compiled_code": f"select * from {model.relation}",
            "extra_ctes_injected": True,
            "extra_ctes": [],
            "contract": dict(_CONTRACT),
        }

    def add_exposure(self, exposure: Exposure) -> None:
        owner = OWNERS[exposure.domain]
        uid = f"exposure.{PROJECT_NAME}.{exposure.name}"
        self.exposures[uid] = {
            "name": exposure.name,
            "resource_type": "exposure",
            "package_name": PROJECT_NAME,
            "path": "marts/_exposures.yml",
            "original_file_path": "models/marts/_exposures.yml",
            "unique_id": uid,
            "fqn": [PROJECT_NAME, "marts", exposure.name],
            "type": exposure.type,
            "owner": {"email": f"{owner}@synthetic.example", "name": owner},
            "description": _exposure_description(exposure),
            "label": None,
            "maturity": exposure.maturity,
            "meta": {},
            "tags": [],
            "config": {"enabled": True, "tags": [], "meta": {}},
            "unrendered_config": {},
            "url": f"https://bi.synthetic.example/{exposure.name}",
            "depends_on": {
                "macros": [],
                "nodes": [self.project.model(name).unique_id for name in exposure.models],
            },
            "refs": [_ref_entry(name) for name in exposure.models],
            "sources": [],
            "metrics": [],
            "created_at": self.created_at(),
        }

    def groups(self) -> dict[str, dict[str, Any]]:
        found = {}
        for domain, group in GROUPS.items():
            uid = f"group.{PROJECT_NAME}.{group}"
            found[uid] = {
                "name": group,
                "resource_type": "group",
                "package_name": PROJECT_NAME,
                "path": "_groups.yml",
                "original_file_path": "models/_groups.yml",
                "unique_id": uid,
                "owner": {"email": f"{OWNERS[domain]}@synthetic.example", "name": OWNERS[domain]},
                "description": None,
                "config": {"meta": {"owner": "data-platform"}},
            }
        return found

    def build(self) -> None:
        # In the order dbt's parser adds them to the manifest.
        project = self.project
        for model in project.models:
            self.add_model(model)
        for test in project.singular_tests:
            self.add_singular(test)
        for leaf in project.leaves:
            if leaf.kind == "seed":
                self.add_seed(leaf)
        for model in project.models:
            if model.enabled:
                yml = f"models/{'/'.join(model.folder)}/_{model.folder[-1]}__models.yml"
                for generic in model.tests:
                    self.add_generic_test(generic, model, yml)
        for name, model_name in project.snapshots:
            self.add_snapshot(name, model_name)
        for leaf in project.leaves:
            if leaf.kind == "source":
                self.add_source(leaf)
        for exposure in project.exposures:
            self.add_exposure(exposure)

    def manifest(self, invocation_id: str) -> dict[str, Any]:
        members = {**self.nodes, **self.sources, **self.exposures}
        parents = {
            uid: sorted(node["depends_on"].get("nodes", ())) for uid, node in self.nodes.items()
        }
        parents.update({uid: [] for uid in self.sources})
        parents.update(
            {uid: sorted(node["depends_on"]["nodes"]) for uid, node in self.exposures.items()}
        )
        children: dict[str, list[str]] = {uid: [] for uid in members}
        for uid, upstream in parents.items():
            for parent in upstream:
                children[parent].append(uid)
        group_map: dict[str, list[str]] = {group: [] for group in GROUPS.values()}
        for uid, node in self.nodes.items():
            owner = node.get("group")
            if owner:
                group_map[owner].append(uid)
        return {
            "metadata": {
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
                "dbt_version": DBT_VERSION,
                "generated_at": GENERATED_AT,
                "invocation_id": invocation_id,
                "invocation_started_at": GENERATED_AT.replace("Z", "+00:00"),
                "env": {},
                "project_name": PROJECT_NAME,
                "project_id": _md5(PROJECT_NAME),
                "user_id": None,
                "send_anonymous_usage_stats": False,
                "adapter_type": "duckdb",
                "quoting": {"database": True, "schema": True, "identifier": True, "column": None},
                "run_started_at": GENERATED_AT.replace("Z", "+00:00"),
            },
            "nodes": self.nodes,
            "sources": self.sources,
            "macros": {},
            "docs": {},
            "exposures": self.exposures,
            "metrics": {},
            "groups": self.groups(),
            "selectors": {},
            "disabled": self.disabled,
            "parent_map": parents,
            "child_map": {uid: sorted(kids) for uid, kids in children.items()},
            "group_map": group_map,
            "saved_queries": {},
            "semantic_models": {},
            "unit_tests": {},
            "functions": {},
        }

    def catalog(self, invocation_id: str) -> dict[str, Any]:
        nodes: dict[str, Any] = {}
        for leaf in self.project.leaves:
            if leaf.kind == "seed":
                nodes[leaf.unique_id] = _catalog_entry(
                    leaf.unique_id, f"{TARGET_SCHEMA}_raw", leaf.name, "BASE TABLE", leaf.columns
                )
        for model in self.project.models:
            if model.enabled and model.materialized != "ephemeral":
                kind = "VIEW" if model.materialized == "view" else "BASE TABLE"
                nodes[model.unique_id] = _catalog_entry(
                    model.unique_id,
                    f"{TARGET_SCHEMA}_{model.schema}",
                    model.name,
                    kind,
                    model.columns,
                )
        for name, model_name in self.project.snapshots:
            uid = f"snapshot.{PROJECT_NAME}.{name}"
            columns = [*self.project.model(model_name).columns, *_SNAPSHOT_COLUMNS]
            nodes[uid] = _catalog_entry(
                uid, f"{TARGET_SCHEMA}_snapshots", name, "BASE TABLE", columns
            )
        sources = {
            leaf.unique_id: _catalog_entry(
                leaf.unique_id, leaf.system, leaf.name, "BASE TABLE", leaf.columns
            )
            for leaf in self.project.leaves
            if leaf.kind == "source"
        }
        return {
            "metadata": {
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/catalog/v1.json",
                "dbt_version": DBT_VERSION,
                "generated_at": GENERATED_AT,
                "invocation_id": invocation_id,
                "invocation_started_at": GENERATED_AT,
                "env": {},
            },
            "nodes": nodes,
            "sources": sources,
            "errors": None,
        }


def _inject_ctes(sql: str, ctes: Sequence[dict[str, str]]) -> str:
    """``sql`` with the CTEs of the ephemeral models it reads, placed as dbt places them."""
    if not ctes:
        return sql
    joined = ", ".join(cte["sql"] for cte in ctes)
    match = re.match(r"(\s*)with(\s+)", sql)
    if match is not None:
        return f"{match.group(1)}with{match.group(2)}{joined}, {sql[match.end() :]}"
    body = sql.lstrip()
    return f"{sql[: len(sql) - len(body)]}with{joined} {body}"


def catalog_type(sql_type: str) -> str:
    """The type DuckDB's catalog reports for a declared column type."""
    return _CATALOG_TYPES.get(sql_type, sql_type.upper())


def _catalog_entry(
    uid: str, schema: str, name: str, kind: str, columns: Sequence[Col]
) -> dict[str, Any]:
    return {
        "metadata": {
            "type": kind,
            "schema": schema,
            "name": name,
            "database": DATABASE,
            "comment": None,
            "owner": None,
        },
        "columns": {
            column.name: {
                "type": catalog_type(column.type),
                "index": index,
                "name": column.name,
                "comment": None,
            }
            for index, column in enumerate(columns, start=1)
        },
        "stats": {
            "has_stats": {
                "id": "has_stats",
                "label": "Has Stats?",
                "value": False,
                "include": False,
                "description": "Indicates whether there are statistics for this table",
            }
        },
        "unique_id": uid,
    }


def _base_config(
    schema: str, tags: list[str], meta: dict[str, Any], materialized: str
) -> dict[str, Any]:
    return {
        "enabled": True,
        "alias": None,
        "schema": schema,
        "database": None,
        "tags": tags,
        "meta": meta,
        "group": None,
        "static_analysis": None,
        "materialized": materialized,
        "incremental_strategy": None,
        "batch_size": None,
        "lookback": 1,
        "begin": None,
        "persist_docs": {},
        "post-hook": [],
        "pre-hook": [],
        "quoting": {},
        "column_types": {},
        "full_refresh": None,
        "unique_key": None,
        "on_schema_change": "ignore",
        "on_configuration_change": "apply",
        "grants": {},
        "packages": [],
        "docs": dict(_DOCS),
        "contract": {"enforced": False, "alias_types": True},
        "event_time": None,
        "concurrent_batches": None,
        "access": "protected",
        "freshness": None,
    }


def write_artifacts(
    directory: Path,
    *,
    models: int,
    seed: int = 0,
    max_columns: int = MAX_COLUMNS,
    leaf_attributes: tuple[int, int] = (3, 6),
) -> None:
    """Write the project (as ``write_project``) and the target/manifest.json and
    target/catalog.json that ``dbt compile`` and ``dbt docs generate`` would leave for it.

    The manifest is shaped like dbt 1.11's (schema v12) with compiled SQL for every model and
    test; the catalog lists every column of every relation with DuckDB's type names, sources
    included. The macros dbt ships are not listed (``macros`` is empty).
    """
    project = plan(models, seed, max_columns, leaf_attributes)
    files = project_files(project)
    _write_files(directory, files)
    writer = _ManifestWriter(project, directory.resolve(), files)
    writer.build()
    invocation_id = str(uuid.UUID(_md5(f"{PROJECT_NAME}-{models}-{seed}")))
    target = directory / "target"
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").write_text(
        json.dumps(writer.manifest(invocation_id), indent=None), encoding="utf-8"
    )
    (target / "catalog.json").write_text(
        json.dumps(writer.catalog(invocation_id), indent=None), encoding="utf-8"
    )
