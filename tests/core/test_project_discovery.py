"""Finding dbt projects under the root, and refusing paths that leave it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.errors import UnsafePath
from jupyterlab_dbt_workbench.project.discovery import discover_projects
from jupyterlab_dbt_workbench.project.paths import resolve_under


def project(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dbt_project.yml").write_text(text)


def test_discovery_finds_projects_and_skips_packages_builds_and_hidden_folders(
    tmp_path: Path,
) -> None:
    project(tmp_path / "analytics", "name: analytics\nprofile: wh\ntarget-path: build\n")
    project(tmp_path / "analytics" / "integration_tests", "name: analytics_tests\n")
    for skipped in (
        "analytics/dbt_packages/dbt_utils",
        "analytics/target/copy",
        "web/node_modules/pkg",
        "analytics/logs/old",
        "venv/lib/python3.11/site-packages/somepkg",
        ".hidden/project",
        "analytics/.venv/project",
    ):
        project(tmp_path / skipped, "name: should_not_be_found\n")

    found = discover_projects(tmp_path)

    assert [info.id for info in found] == ["analytics", "analytics/integration_tests"]
    analytics = found[0]
    assert analytics.name == "analytics"
    assert analytics.profile == "wh"
    assert analytics.target_path == "build"
    assert analytics.path == (tmp_path / "analytics").resolve()
    assert analytics.problem is None
    assert found[1].profile is None
    assert found[1].target_path == "target"


def test_the_root_itself_can_be_the_project(tmp_path: Path) -> None:
    project(tmp_path, "name: root_project\n")

    found = discover_projects(tmp_path)

    assert [(info.id, info.name) for info in found] == [(".", "root_project")]


def test_a_broken_dbt_project_yml_is_reported_without_hiding_the_others(tmp_path: Path) -> None:
    project(tmp_path / "broken", "name: [unclosed\n  profile: x: y\n")
    project(tmp_path / "nameless", "profile: x\n")
    project(tmp_path / "scalar", "just a string\n")
    project(tmp_path / "good", "name: good\n")

    found = {info.id: info for info in discover_projects(tmp_path)}

    assert sorted(found) == ["broken", "good", "nameless", "scalar"]
    assert found["good"].problem is None
    broken = found["broken"]
    assert broken.name == "broken"
    assert broken.problem is not None
    assert "dbt_project.yml" in broken.problem
    assert "cannot be read" in broken.problem
    assert found["nameless"].problem is not None
    assert "name" in found["nameless"].problem
    assert found["scalar"].problem is not None


def test_discovery_stops_at_max_depth(tmp_path: Path) -> None:
    project(tmp_path / "a" / "b" / "c", "name: deep\n")

    assert discover_projects(tmp_path, max_depth=2) == []
    assert [info.name for info in discover_projects(tmp_path, max_depth=3)] == ["deep"]


def test_resolve_under_accepts_paths_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "projects" / "shop").mkdir(parents=True)

    assert resolve_under(tmp_path, "projects/shop") == (tmp_path / "projects" / "shop").resolve()
    assert resolve_under(tmp_path, ".") == tmp_path.resolve()
    assert resolve_under(tmp_path, "") == tmp_path.resolve()


@pytest.mark.parametrize(
    "relative",
    [
        "..",
        "../outside",
        "projects/../../outside",
        "/etc/passwd",
        "%2e%2e/outside",
        "projects/%2E%2E/%2e%2e/outside",
        "%2fetc%2fpasswd",
        "..\\outside",
        "projects\\..\\..",
        "C:/Windows",
        "proj\x00ect",
        "~/secrets",
    ],
)
def test_resolve_under_refuses_paths_that_leave_the_root(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafePath) as caught:
        resolve_under(tmp_path, relative)

    assert caught.value.reason == "unsafe_path"
    assert repr(relative) in caught.value.message


def test_resolve_under_refuses_a_symlink_escaping_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    (root / "inner").symlink_to(root / "inner_target")
    (root / "inner_target").mkdir()

    with pytest.raises(UnsafePath, match="outside the server root"):
        resolve_under(root, "escape")
    with pytest.raises(UnsafePath):
        resolve_under(root, "escape/anything")
    assert resolve_under(root, "inner") == (root / "inner_target").resolve()
