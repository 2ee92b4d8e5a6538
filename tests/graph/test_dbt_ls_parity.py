"""Our selection against real ``dbt ls``, expression by expression: the sets must be equal.

dbt parses each project once in-process; every ``ls`` then reuses that manifest and takes
milliseconds. The demo copy gets groups, access, versions, an analysis and a few edits
against its built artifacts (the baseline for ``state:``, the run results for ``result:``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.graph import select
from jupyterlab_dbt_workbench.workbench import Workbench

pytestmark = pytest.mark.slow

_QUIET = ["--quiet", "--no-send-anonymous-usage-stats"]


class Parsed(NamedTuple):
    project: Path
    manifest: Any  # dbt's Manifest object
    state: ProjectState
    baseline: ProjectState | None
    state_dir: Path | None


def _parse(project: Path) -> Any:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        ["parse", "--project-dir", str(project), "--profiles-dir", str(project), *_QUIET]
    )
    assert result.success, result.exception
    return result.result


def dbt_ls(parsed: Parsed, select_: str, exclude: str | None) -> set[str]:
    """``dbt ls --select <select_> [--exclude <exclude>] --output json`` on the parsed manifest."""
    from dbt.cli.main import dbtRunner

    project = str(parsed.project)
    args = ["ls", "--project-dir", project, "--profiles-dir", project, *_QUIET]
    args += ["--select", select_, "--output", "json", "--output-keys", "unique_id"]
    if exclude:
        args += ["--exclude", exclude]
    if parsed.state_dir is not None:
        args += ["--state", str(parsed.state_dir)]
    result = dbtRunner(manifest=parsed.manifest).invoke(args)
    assert result.success, result.exception
    return {json.loads(line)["unique_id"] for line in result.result or ()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _extend_demo(project: Path) -> None:
    """Groups, access, versions, an analysis, and edits the baseline does not have."""
    models = project / "models"
    _edit(
        project / "dbt_project.yml",
        '        +tags: ["finance"]\n',
        '        +tags: ["finance"]\n        +group: finance\n        +access: public\n',
    )
    _edit(
        project / "dbt_project.yml",
        '        +tags: ["marketing"]\n',
        '        +tags: ["marketing"]\n        +group: growth\n',
    )
    _edit(
        project / "dbt_project.yml",
        '        +tags: ["operations"]\n',
        '        +tags: ["operations"]\n        +persist_docs: {relation: true, columns: true}\n',
    )
    (models / "_groups.yml").write_text(
        "version: 2\ngroups:\n"
        "  - name: finance\n    owner: {name: Finance}\n"
        "  - name: growth\n    owner: {name: Growth}\n"
    )
    finance = models / "marts" / "finance"
    for version in (1, 2):
        (finance / f"revenue_summary_v{version}.sql").write_text(
            f"select order_id, {version} as version from {{{{ ref('fct_orders') }}}}\n"
        )
    (finance / "_versions.yml").write_text(
        "version: 2\nmodels:\n  - name: revenue_summary\n    latest_version: 1\n"
        "    versions:\n      - v: 1\n      - v: 2\n"
    )
    (models / "marts" / "nightly_digest.sql").write_text(
        "{{ config(materialized='table', tags=['nightly'], meta={'sla': 'daily'}) }}\n"
        "select * from {{ ref('fct_orders') }}\n"
    )
    (project / "analyses").mkdir(exist_ok=True)
    (project / "analyses" / "order_review.sql").write_text(
        "select * from {{ ref('fct_orders') }}\n"
    )
    _edit(models / "staging" / "stg_orders.sql", "select", "-- reviewed\nselect")
    operations = models / "marts" / "operations"
    _edit(
        operations / "dim_shops.sql",
        "with shops",
        "{{ config(alias='shop_directory') }}\nwith shops",
    )
    _edit(operations / "_operations.yml", "One row per shop with", "One row per shop, with")
    _edit(project / "macros" / "to_money.sql", "-%}\n", "-%}\n    {#- rounded to cents -#}\n")


@pytest.fixture(scope="module")
def demo(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Parsed:
    root = tmp_path_factory.mktemp("parity-demo")
    project = root / "demo"
    shutil.copytree(built_demo, project, ignore=shutil.ignore_patterns("logs", "*.duckdb*"))
    baseline_dir = root / "baseline"
    baseline_dir.mkdir()
    for name in ("manifest.json", "run_results.json"):
        shutil.copy(project / "target" / name, baseline_dir / name)
    _extend_demo(project)
    manifest = _parse(project)
    workbench = Workbench(root, store_path=None)
    return Parsed(
        project=project,
        manifest=manifest,
        state=workbench.state("demo"),
        baseline=workbench.baseline_state("demo", "baseline"),
        state_dir=baseline_dir,
    )


DEMO_EXPRESSIONS: list[tuple[str, str | None]] = [
    # names, fqn parts and wildcards
    ("stg_orders", None),
    ("stg_orders stg_customers", "stg_customers"),
    ("copper_kettle.staging.stg_orders", None),
    ("staging", None),
    ("marts.finance", None),
    ("stg_*", "stg_web_events"),
    ("*customer*", None),
    ("marts.*", "tag:finance"),
    ("customers", None),
    ("shop_systems", None),
    ("no_such_model", None),
    # graph operators
    ("stg_orders+", None),
    ("+fct_orders", None),
    ("2+fct_orders", None),
    ("stg_orders+1", None),
    ("1+dim_customers+1", None),
    ("@stg_orders", None),
    ("@int_order_lines", "test_type:generic"),
    ("+fct_orders,+dim_customers", None),
    ("0+fct_orders+0", None),
    # paths and files
    ("models/staging", None),
    ("path:models/marts", "path:models/marts/operations"),
    ("path:models/marts/finance/fct_orders.sql", None),
    ("path:models/staging/_sources.yml", None),
    ("path:models/*/finance", None),
    ("path:models/**/*.sql", "tag:staging"),
    ("path:models/marts/**", None),
    ("path:tests", None),
    ("fct_orders.sql", None),
    ("file:_staging.yml", None),
    ("file:stg_o*", None),
    # attributes
    ("tag:finance", None),
    ("tag:pii,resource_type:model", None),
    ("tag:market*", None),
    ("package:copper_kettle", "resource_type:test"),
    ("package:this,resource_type:seed", None),
    ("fqn:*", "tag:staging tag:intermediate"),
    ("config.materialized:table", None),
    ("config.materialized:incremental+", None),
    ("config.meta.owner:finance-analytics", None),
    ("config.meta.sla:daily", None),
    ("config.tags:nightly", None),
    ("config.severity:warn", None),
    ("config.enabled:true,resource_type:snapshot", None),
    ("config.contract.enforced:false,tag:operations", None),
    ("resource_type:source", None),
    ("resource_type:exposure resource_type:unit_test", None),
    ("resource_type:analysis", None),
    ("source:shop_systems+", None),
    ("source:web_tracking.web_events", None),
    ("source:*.inventory_*", None),
    ("source:copper_kettle.shop_systems.*", None),
    ("exposure:shop_performance_dashboard", None),
    ("+exposure:campaign_review", "resource_type:seed"),
    ("exposure:copper_kettle.*", None),
    # tests
    ("test_type:singular", None),
    ("test_type:unit", None),
    ("test_type:generic,tag:finance", None),
    ("test_type:data", "test_name:not_null"),
    ("test_name:accepted_values", None),
    ("test_name:unique test_name:relationships", None),
    ("test_name:test_customer_orders*", None),
    ("unit_test:*", None),
    # governance and versions
    ("group:finance", None),
    ("group:grow*+", None),
    ("access:public", None),
    ("access:protected,tag:marketing", None),
    ("version:latest", None),
    ("version:prerelease", None),
    ("version:old", None),
    ("version:none,path:models/marts", None),
    ("revenue_summary", None),
    ("revenue_summary.v2", None),
    ("revenue_summary_v1+", None),
    # run results and state
    ("result:pass", None),
    ("result:warn", None),
    ("result:success", "resource_type:seed"),
    ("result:warn+", None),
    ("state:new", None),
    ("state:old,tag:finance", None),
    ("state:modified", None),
    ("state:modified+", "resource_type:test"),
    ("state:unmodified,resource_type:model", None),
    ("state:modified.body", None),
    ("state:modified.configs", None),
    ("state:modified.relation", None),
    ("state:modified.persisted_descriptions", None),
    ("state:modified.macros", None),
    ("state:modified.contract", None),
]


def _compare(parsed: Parsed, select_: str, exclude: str | None) -> None:
    expected = dbt_ls(parsed, select_, exclude)
    ours = set(select(parsed.state, select_, exclude, baseline=parsed.baseline))
    assert ours == expected, (
        f"--select {select_!r} --exclude {exclude!r}: only ours {sorted(ours - expected)}, "
        f"only dbt {sorted(expected - ours)}"
    )


def test_the_table_covers_every_method() -> None:
    used = " ".join(f"{select_} {exclude or ''}" for select_, exclude in DEMO_EXPRESSIONS)
    methods = (
        "tag: path: file: package: fqn: config. resource_type: source: exposure: test_type: "
        "test_name: result: state:modified state:new group: access: version: unit_test:"
    )
    assert len(DEMO_EXPRESSIONS) >= 40
    assert [method for method in methods.split() if method not in used] == []


@pytest.mark.parametrize(("select_", "exclude"), DEMO_EXPRESSIONS)
def test_demo_selection_matches_dbt_ls(demo: Parsed, select_: str, exclude: str | None) -> None:
    _compare(demo, select_, exclude)


def test_demo_selections_are_not_trivial(demo: Parsed) -> None:
    # Parity on empty sets would prove little: most of the table must select something.
    sizes = [len(select(demo.state, s, e, baseline=demo.baseline)) for s, e in DEMO_EXPRESSIONS]
    assert sum(1 for size in sizes if size) >= len(DEMO_EXPRESSIONS) - 8
    assert len(set(sizes)) > 20


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Parsed:
    from jupyterlab_dbt_workbench.demo.synthetic import write_project

    root = tmp_path_factory.mktemp("parity-synthetic")
    project = root / "synthetic"
    write_project(project, models=300, seed=0)
    manifest = _parse(project)
    workbench = Workbench(root, store_path=None)
    return Parsed(project, manifest, workbench.state("synthetic"), None, None)


def _synthetic_expressions(state: ProjectState) -> list[tuple[str, str | None]]:
    """Expressions over whatever names the generator chose (it may change its naming)."""
    models = sorted(
        (node for node in state.nodes.values() if node.resource_type == "model"),
        key=lambda node: node.unique_id,
    )
    hub = max(models, key=lambda node: (len(state.children.get(node.unique_id, ())), node.name))
    staging = next(node for node in models if node.folder.startswith("models/staging"))
    mart = next(node for node in models if node.folder.startswith("models/marts"))
    source = next(node for node in state.nodes.values() if node.resource_type == "source")
    source_name = source.raw["source_name"]
    exposure = next(node for node in state.nodes.values() if node.resource_type == "exposure")
    groups = sorted(
        {str(node.raw["config"]["group"]) for node in models if node.raw["config"].get("group")}
    )
    return [
        (f"{hub.name}+", None),
        (f"+{mart.name}", None),
        (f"2+{hub.name}+1", None),
        (f"@{staging.name}", None),
        (f"{staging.name}+,tag:marts", None),
        (staging.folder.replace("models/", "").replace("/", "."), None),
        (f"{staging.name[:5]}*", None),
        ("*_2", "resource_type:test"),
        ("tag:staging", None),
        ("tag:pii,tag:core", None),
        ("tag:h*", None),
        (staging.folder, None),
        ("path:models/marts/*", "tag:finance"),
        (f"source:{source_name}", None),
        (f"source:{source_name}.{source.name}+", None),
        (f"source:*.{source.name}", None),
        (f"exposure:{exposure.name}", None),
        ("+exposure:*", "resource_type:source"),
        *[(f"group:{group}", None) for group in groups[:2]],
        (f"group:{groups[0]}+" if groups else "group:none", None),
        ("access:private", None),
        ("access:public+", None),
        ("config.materialized:incremental", None),
        ("config.materialized:ephemeral+", None),
        ("config.meta.owner:growth-team", None),
        ("config.severity:warn", None),
        ("test_type:singular", None),
        ("test_name:relationships", None),
        ("test_name:accepted_values,tag:marts", None),
        ("resource_type:snapshot resource_type:seed+1", None),
        ("package:synthetic,resource_type:source", None),
        ("fqn:*", "tag:staging tag:intermediate"),
        ("version:none,tag:certified", None),
        (f"{hub.name}+", f"{hub.name}+2"),
    ]


def test_synthetic_selection_matches_dbt_ls(synthetic: Parsed) -> None:
    expressions = _synthetic_expressions(synthetic.state)
    assert len(expressions) >= 30
    mismatches = []
    for select_, exclude in expressions:
        expected = dbt_ls(synthetic, select_, exclude)
        ours = set(select(synthetic.state, select_, exclude))
        if ours != expected:
            mismatches.append(
                f"{select_!r} -x {exclude!r}: only ours {sorted(ours - expected)[:5]}, "
                f"only dbt {sorted(expected - ours)[:5]}"
            )
    assert mismatches == []
