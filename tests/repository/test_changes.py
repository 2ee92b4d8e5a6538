"""Changed files → dbt nodes, downstream nodes and exposures, on a real repository holding the
built demo project (working tree vs HEAD, and a branch vs the merge-base with main)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from impact_repos import DemoRepository, demo_repository

from jupyterlab_dbt_workbench.errors import NotFound
from jupyterlab_dbt_workbench.repository.changes import NOT_PARSED, project_changes
from jupyterlab_dbt_workbench.repository.impact_payloads import ChangeReport
from jupyterlab_dbt_workbench.workbench import Workbench

pytestmark = pytest.mark.slow  # the built demo

STG_ORDERS = "model.copper_kettle.stg_orders"


@pytest.fixture
def demo(built_demo: Path, tmp_path: Path) -> DemoRepository:
    return demo_repository(built_demo, tmp_path / "repo")


@pytest.fixture
def workbench(demo: DemoRepository) -> Iterator[Workbench]:
    found = Workbench(demo.root, store_path=None)
    yield found
    found.close()


def files_of(report: ChangeReport) -> dict[str, dict[str, object]]:
    return {entry["path"]: dict(entry) for entry in report["files"]}


def modified_of(report: ChangeReport) -> dict[str, list[str]]:
    return {node["unique_id"]: node["reasons"] for node in report["modified"]}


def test_a_clean_working_tree_changes_nothing(demo: DemoRepository, workbench: Workbench) -> None:
    report = project_changes(workbench, "demo", None)
    assert report["files"] == [] and report["modified"] == [] and report["downstream"] == []
    assert report["base_sha"] == report["head_sha"] == demo.repo.head.commit.hexsha
    assert report["default_base"] == "main"


def test_an_edited_model_lists_its_downstream_nodes_and_exposures(
    demo: DemoRepository, workbench: Workbench
) -> None:
    demo.edit(
        "models/staging/stg_orders.sql", "        status\n", "        status,\n        1 as x\n"
    )
    (demo.root / "README.md").write_text("# Analytics, edited\n")

    report = project_changes(workbench, "demo", None)

    files = files_of(report)
    assert files["demo/models/staging/stg_orders.sql"]["nodes"] == [STG_ORDERS]
    assert files["demo/models/staging/stg_orders.sql"]["change"] == "modified"
    assert files["README.md"]["nodes"] == []
    assert files["README.md"]["reason"] == "outside the dbt project folder"
    assert modified_of(report) == {STG_ORDERS: ["models/staging/stg_orders.sql modified"]}
    downstream = {node["name"]: node["distance"] for node in report["downstream"]}
    assert downstream["fct_orders"] == 1
    assert downstream["dim_customers"] == 2
    assert all(node["resource_type"] not in ("test", "exposure") for node in report["downstream"])
    assert "stg_orders" not in downstream
    distances = [node["distance"] for node in report["downstream"]]
    assert distances == sorted(distances), "nearest first"
    assert {e["name"] for e in report["exposures"]} >= {"shop_performance_dashboard"}


def test_macros_yaml_seeds_and_the_project_file_map_to_their_nodes(
    demo: DemoRepository, workbench: Workbench
) -> None:
    demo.edit("macros/to_money.sql", "decimal(12, 2)", "decimal(14, 2)")
    report = project_changes(workbench, "demo", None)
    macro_users = modified_of(report)
    assert "model.copper_kettle.int_order_lines" in macro_users
    assert "model.copper_kettle.stg_orders" not in macro_users, "stg_orders does not use it"
    assert macro_users["model.copper_kettle.int_order_lines"] == [
        "calls macro to_money (macros/to_money.sql modified)"
    ]
    demo.repo.git.checkout("--", "demo/macros/to_money.sql")

    # One model's description changes: only that model, not its neighbours in the file.
    yaml_file = "models/staging/_staging.yml"
    demo.edit(
        yaml_file,
        "description: One row per order, from the tills and the online shop.",
        "description: One row per order.  # edited",
    )
    seed = next(p for p in sorted((demo.project / "seeds").glob("*.csv")))
    seed.write_text(seed.read_text() + seed.read_text().splitlines()[-1] + "\n")
    report = project_changes(workbench, "demo", None)
    files = files_of(report)
    assert files[f"demo/{yaml_file}"]["nodes"] == [STG_ORDERS]
    assert modified_of(report)[STG_ORDERS] == [f"properties changed in {yaml_file}"]
    seed_id = f"seed.copper_kettle.{seed.stem}"
    assert files[f"demo/seeds/{seed.name}"]["nodes"] == [seed_id]

    demo.edit("dbt_project.yml", 'version: "1.0.0"', 'version: "1.0.1"')
    report = project_changes(workbench, "demo", None)
    modified = modified_of(report)
    assert len(modified) >= 20 + 7 + 1 + 2
    assert "dbt_project.yml changed" in modified["model.copper_kettle.fct_orders"]
    assert not any(uid.startswith(("test.", "unit_test.")) for uid in modified)
    assert report["downstream"] == []


def test_deleted_renamed_and_new_files(demo: DemoRepository, workbench: Workbench) -> None:
    demo.path("models/staging/stg_shops.sql").unlink()
    demo.path("models/staging/stg_web_events.sql").rename(
        demo.path("models/staging/stg_web_events_v2.sql")
    )
    demo.write("models/staging/stg_refunds.sql", "select 1 as refund_id\n")
    demo.write("notes.txt", "not dbt\n")
    demo.repo.git.add(A=True)

    report = project_changes(workbench, "demo", None)

    files = files_of(report)
    deleted = files["demo/models/staging/stg_shops.sql"]
    assert deleted["change"] == "deleted"
    assert deleted["nodes"] == ["model.copper_kettle.stg_shops"]
    renamed = files["demo/models/staging/stg_web_events_v2.sql"]
    assert renamed["change"] == "renamed"
    assert renamed["old_path"] == "demo/models/staging/stg_web_events.sql"
    assert renamed["nodes"] == ["model.copper_kettle.stg_web_events"]
    new = files["demo/models/staging/stg_refunds.sql"]
    assert new["nodes"] == [] and new["reason"] == NOT_PARSED
    assert files["demo/notes.txt"]["reason"] == "no dbt node is defined in this file"
    assert modified_of(report)["model.copper_kettle.stg_shops"] == [
        "models/staging/stg_shops.sql deleted"
    ]
    assert "model.copper_kettle.dim_shops" in {n["unique_id"] for n in report["downstream"]}


def test_untracked_files_count_and_ignored_ones_do_not(
    demo: DemoRepository, workbench: Workbench
) -> None:
    demo.write("models/staging/stg_new.sql", "select 1 as id\n")
    (demo.project / "target" / "scratch.json").write_text("{}")
    report = project_changes(workbench, "demo", None)
    assert [entry["path"] for entry in report["files"]] == ["demo/models/staging/stg_new.sql"]


def test_a_branch_is_compared_with_its_merge_base(
    demo: DemoRepository, workbench: Workbench
) -> None:
    base = demo.repo.head.commit.hexsha
    demo.branch("feature")
    demo.edit("models/staging/stg_orders.sql", "channel,", "lower(channel) as channel,")
    demo.commit("Lower-case channels")
    demo.repo.heads.main.checkout()
    demo.edit("models/staging/stg_customers.sql", "with source", "-- on main\nwith source")
    demo.write("models/staging/on_main.sql", "select 1 as a\n")
    demo.commit("Something else on main")
    demo.repo.heads.feature.checkout()
    demo.edit("models/staging/stg_payments.sql", "select *", "select distinct *")

    branch = project_changes(workbench, "demo", "main")
    assert branch["base"] == "main" and branch["base_sha"] == base
    assert branch["head_sha"] == demo.repo.head.commit.hexsha
    assert set(modified_of(branch)) == {STG_ORDERS, "model.copper_kettle.stg_payments"}

    working = project_changes(workbench, "demo", None)
    assert set(modified_of(working)) == {"model.copper_kettle.stg_payments"}

    with pytest.raises(NotFound) as error:
        project_changes(workbench, "demo", "no-such-branch")
    assert error.value.reason == "revision_not_found"
