"""What a change of the repository does to the dbt project: changed files → dbt nodes, the
nodes downstream of them, and the columns that changed.

Two views: the working tree (staged, unstaged and untracked files) against HEAD, and the
working tree against the merge-base of HEAD and a base ref (the current branch's whole
change). Files map to nodes through the manifests: the current one, and the baseline
manifest of the base commit when one was parsed (``baseline.py``), which knows the nodes of
deleted files. Only the root project's nodes count: a package's files are not in the
repository's project folder.

- A model, snapshot, analysis or singular test file, or a seed's CSV: the nodes defined in it.
- A YAML property file: the nodes whose entries changed (compared entry by entry, so that
  editing one model's description does not mark its neighbours in the file).
- A macro file: every node calling one of its macros, directly or through other macros.
- ``dbt_project.yml``: every node of the project.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jupyterlab_dbt_workbench.artifacts.state import TEST_RESOURCE_TYPES, ProjectState
from jupyterlab_dbt_workbench.errors import Conflict, WorkbenchError
from jupyterlab_dbt_workbench.graph.dag import project_graph

from . import columns as column_changes
from .impact_payloads import (
    ChangedFileNodes,
    ChangeReport,
    DownstreamNode,
    ExposureRef,
    FileChangeKind,
    ModelColumns,
    ModifiedNode,
)
from .locate import ProjectRepository, revision

if TYPE_CHECKING:
    import git
    from jupyterlab_dbt_workbench.lineage import ProjectColumnLineage
    from jupyterlab_dbt_workbench.workbench import Workbench

# git's id of the empty tree: what everything is compared with before the first commit.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
PROJECT_FILE = "dbt_project.yml"
NOT_PARSED = "not in the manifest yet: run dbt parse"
# Column comparisons render and parse two versions of each model: past this many changed
# models the rest are listed as not compared.
MAX_COLUMN_MODELS = 50
# Folders of a project that dbt writes (never sources of nodes).
_OUTPUT_FOLDERS = ("logs", "dbt_packages", "dbt_modules")
_DBT_SUFFIXES = (".sql", ".py", ".csv", ".yml", ".yaml", ".md")
_YAML_SUFFIXES = (".yml", ".yaml")
# YAML property sections and the resource type of their entries (sources are nested).
_YAML_SECTIONS: Mapping[str, str] = {
    "models": "model",
    "seeds": "seed",
    "snapshots": "snapshot",
    "analyses": "analysis",
    "exposures": "exposure",
    "metrics": "metric",
    "semantic_models": "semantic_model",
    "saved_queries": "saved_query",
    "unit_tests": "unit_test",
    "data_tests": "test",
    "functions": "function",
}
_STATUS_LETTERS: Mapping[str, FileChangeKind] = {
    "A": "added",
    "C": "added",
    "D": "deleted",
    "R": "renamed",
}

LineageSource = Callable[[], "ProjectColumnLineage | None"]


@dataclass(frozen=True)
class ChangedPath:
    """One changed file of the repository (repository-relative, posix)."""

    path: str
    change: FileChangeKind
    old_path: str | None = None


def resolve_base(repository: ProjectRepository, base: str | None) -> tuple[str | None, str | None]:
    """(the commit compared with, HEAD's commit): HEAD itself when ``base`` is None, else the
    merge-base of HEAD and ``base``. None for HEAD before the first commit."""
    repo = repository.repo
    head = repo.head.commit.hexsha if repo.head.is_valid() else None
    if base is None:
        return head, head
    target = revision(repo, base, "base")
    if head is None:
        raise Conflict(
            "The repository has no commit yet, so there is no branch to compare with "
            f"{base!r}: commit first.",
            reason="no_commits",
        )
    merges = repo.merge_base(head, target)
    if not merges or merges[0] is None:
        raise Conflict(
            f"HEAD and {base!r} have no commit in common, so there is no branch change to show.",
            reason="no_merge_base",
        )
    return merges[0].hexsha, head


def changed_paths(repo: git.Repo, base_sha: str | None) -> list[ChangedPath]:
    """Every file of the working tree that differs from ``base_sha`` (None: the empty tree),
    staged or not, and every untracked file that is not ignored."""
    import git

    from .failures import classify

    try:
        output = repo.git.diff(
            "--name-status", "-z", "-M", "--no-color", "--no-ext-diff", base_sha or EMPTY_TREE, "--"
        )
        untracked = repo.untracked_files
    except git.GitCommandError as error:
        raise classify(error, "diff") from None
    found: list[ChangedPath] = []
    fields = [item for item in output.split("\0") if item]
    position = 0
    while position < len(fields):
        letter = fields[position][:1]
        if letter in ("R", "C") and position + 2 < len(fields):
            old, new = fields[position + 1], fields[position + 2]
            position += 3
            if letter == "R":
                found.append(ChangedPath(new, "renamed", old))
            else:
                found.append(ChangedPath(new, "added"))
            continue
        if position + 1 >= len(fields):
            break
        found.append(ChangedPath(fields[position + 1], _STATUS_LETTERS.get(letter, "modified")))
        position += 2
    known = {item.path for item in found}
    found += [ChangedPath(path, "added") for path in untracked if path not in known]
    return sorted(found, key=lambda item: item.path)


def file_at(repo: git.Repo, sha: str | None, path: str) -> str | None:
    """The text of ``path`` (repository-relative) at commit ``sha``; None if absent there."""
    if sha is None:
        return None
    try:
        blob = repo.commit(sha).tree / path
    except (KeyError, ValueError):
        return None
    data = blob.data_stream.read()
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else None


@dataclass
class _Index:
    """Where the root project's nodes and macros come from, in one manifest."""

    by_file: dict[str, list[str]] = field(default_factory=dict)
    by_patch: dict[str, list[str]] = field(default_factory=dict)
    macros_by_file: dict[str, list[str]] = field(default_factory=dict)
    macro_names: dict[str, str] = field(default_factory=dict)
    macro_files: dict[str, str] = field(default_factory=dict)
    # macro -> the macros calling it; node -> the macros it calls.
    macro_callers: dict[str, list[str]] = field(default_factory=dict)
    macro_calls: dict[str, list[str]] = field(default_factory=dict)
    node_macros: dict[str, list[str]] = field(default_factory=dict)


def _index(state: ProjectState) -> _Index:
    index = _Index()
    package = state.metadata.project_name
    for unique_id, node in state.nodes.items():
        if package is not None and node.package_name != package:
            continue
        if node.original_file_path:
            index.by_file.setdefault(node.original_file_path, []).append(unique_id)
        patch = node.raw.get("patch_path")
        if isinstance(patch, str) and "://" in patch:
            index.by_patch.setdefault(patch.split("://", 1)[1], []).append(unique_id)
        calls = _depends_on(node.raw, "macros")
        if calls:
            index.node_macros[unique_id] = calls
    manifest = state.artifacts["manifest"].data if "manifest" in state.artifacts else {}
    macros = manifest.get("macros")
    for unique_id, raw in macros.items() if isinstance(macros, dict) else ():
        if not isinstance(raw, dict):
            continue
        calls = _depends_on(raw, "macros")
        index.macro_calls[unique_id] = calls
        for called in calls:
            index.macro_callers.setdefault(called, []).append(unique_id)
        path = raw.get("original_file_path")
        if raw.get("package_name") == package and isinstance(path, str):
            index.macros_by_file.setdefault(path, []).append(unique_id)
            index.macro_files[unique_id] = path
            index.macro_names[unique_id] = str(raw.get("name", unique_id))
    return index


def _depends_on(raw: Mapping[str, Any], kind: str) -> list[str]:
    depends = raw.get("depends_on")
    found = depends.get(kind) if isinstance(depends, dict) else None
    return [item for item in found if isinstance(item, str)] if isinstance(found, list) else []


def _index_of(state: ProjectState) -> _Index:
    return state.derived("repository.change_index", _index)


def _yaml_entries(text: str | None) -> dict[tuple[str, str], Any] | None:
    """The node entries of a YAML property file by (resource type, name); None when the
    text is not readable YAML (then every node of the file counts as changed)."""
    if text is None:
        return {}
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return None
    if not isinstance(data, dict):
        return {} if data is None else None
    entries: dict[tuple[str, str], Any] = {}
    for section, resource_type in _YAML_SECTIONS.items():
        for entry in _list(data.get(section)):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entries[(resource_type, entry["name"])] = entry
    for source in _list(data.get("sources")):
        if not isinstance(source, dict) or not isinstance(source.get("name"), str):
            continue
        shared = {key: value for key, value in source.items() if key != "tables"}
        for table in _list(source.get("tables")):
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                key = ("source", f"{source['name']}.{table['name']}")
                entries[key] = {"source": shared, "table": table}
    return entries


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _entry_key(node: Any) -> tuple[str, str]:
    if node.resource_type == "source":
        return ("source", f"{node.raw.get('source_name')}.{node.name}")
    return (node.resource_type, node.name)


class _Mapper:
    """Maps changed files to nodes, with the reason for each node and file."""

    def __init__(
        self,
        repository: ProjectRepository,
        state: ProjectState,
        baseline: ProjectState | None,
        base_sha: str | None,
    ) -> None:
        self.repository = repository
        self.state = state
        self.baseline = baseline
        self.base_sha = base_sha
        self.indexes = [_index_of(state)] + ([_index_of(baseline)] if baseline else [])
        self.reasons: dict[str, list[str]] = {}
        # Models whose SQL may have changed (own file or macros): their columns are compared.
        self.sql_changed: dict[str, ChangedPath] = {}
        target = state.project.target_path.strip("/")
        self.output_folders = (target, *_OUTPUT_FOLDERS) if target else _OUTPUT_FOLDERS

    def node(self, unique_id: str) -> Any:
        found = self.state.nodes.get(unique_id)
        if found is None and self.baseline is not None:
            found = self.baseline.nodes.get(unique_id)
        return found

    def relative(self, path: str | None) -> str | None:
        """A repository path relative to the project folder; None when outside it."""
        if path is None or not self.repository.in_project(path):
            return None
        prefix = self.repository.project_path
        return path[len(prefix) + 1 :] if prefix else path

    def add(self, unique_id: str, reason: str) -> None:
        reasons = self.reasons.setdefault(unique_id, [])
        if reason not in reasons:
            reasons.append(reason)

    def map(self, item: ChangedPath) -> ChangedFileNodes | None:
        relative = self.relative(item.path)
        old_relative = self.relative(item.old_path)
        if relative is None and old_relative is None:
            return self.entry(item, [], "outside the dbt project folder")
        name = relative if relative is not None else old_relative
        assert name is not None
        if name.split("/", 1)[0] in self.output_folders:
            return None
        if name == PROJECT_FILE:
            ids = [
                unique_id
                for unique_id, node in self.state.nodes.items()
                if node.resource_type not in TEST_RESOURCE_TYPES
                and node.package_name == self.state.metadata.project_name
            ]
            for unique_id in ids:
                self.add(unique_id, f"{PROJECT_FILE} changed")
            return self.entry(item, ids, f"{PROJECT_FILE} changed: every node of the project")
        files = [path for path in (relative, old_relative) if path is not None]
        if name.endswith(_YAML_SUFFIXES):
            return self.yaml_file(item, files)
        macros = self.lookup("macros_by_file", files)
        if macros:
            return self.macro_file(item, name, macros)
        ids = self.lookup("by_file", files)
        verb = {"added": "added", "deleted": "deleted", "renamed": "renamed"}.get(item.change)
        for unique_id in ids:
            self.add(unique_id, f"{name} {verb or 'modified'}")
            if item.change != "deleted":
                self.sql_changed.setdefault(unique_id, item)
        return self.entry(item, ids, None if ids else self.why_nothing(item, name))

    def lookup(self, attribute: str, files: Iterable[str]) -> list[str]:
        found: dict[str, None] = {}
        for index in self.indexes:
            table: dict[str, list[str]] = getattr(index, attribute)
            for path in files:
                found.update(dict.fromkeys(table.get(path, ())))
        return list(found)

    def why_nothing(self, item: ChangedPath, name: str) -> str:
        if item.change != "deleted" and name.endswith(_DBT_SUFFIXES) and not name.endswith(".md"):
            return NOT_PARSED
        return "no dbt node is defined in this file"

    def yaml_file(self, item: ChangedPath, files: list[str]) -> ChangedFileNodes:
        name = files[0]
        repo = self.repository.repo
        old_path = item.old_path or item.path
        before = None if item.change == "added" else file_at(repo, self.base_sha, old_path)
        after = None if item.change == "deleted" else self.working_text(item.path)
        old_entries, new_entries = _yaml_entries(before), _yaml_entries(after)
        candidates = self.lookup("by_file", files) + self.lookup("by_patch", files)
        changed: set[tuple[str, str]] | None = None
        if old_entries is not None and new_entries is not None:
            changed = {
                key
                for key in old_entries.keys() | new_entries.keys()
                if old_entries.get(key) != new_entries.get(key)
            }
        ids: list[str] = []
        matched: set[tuple[str, str]] = set()
        for unique_id in dict.fromkeys(candidates):
            node = self.node(unique_id)
            key = _entry_key(node)
            if changed is None:
                if node.resource_type in TEST_RESOURCE_TYPES:
                    continue
            elif key not in changed:
                continue
            matched.add(key)
            ids.append(unique_id)
            self.add(unique_id, f"properties changed in {name}")
        reason = None
        unmatched = sorted(f"{kind} {entry}" for kind, entry in (changed or set()) - matched)
        if unmatched and item.change != "deleted":
            reason = f"{', '.join(unmatched)}: {NOT_PARSED}"
        elif not ids:
            reason = (
                "the file could not be read as YAML and defines no node of the manifest"
                if changed is None
                else "no node's properties changed (comments or formatting only)"
            )
        return self.entry(item, ids, reason)

    def macro_file(self, item: ChangedPath, name: str, macros: list[str]) -> ChangedFileNodes:
        affected = set(macros)
        frontier = list(macros)
        while frontier:
            macro = frontier.pop()
            for index in self.indexes:
                for caller in index.macro_callers.get(macro, ()):
                    if caller not in affected:
                        affected.add(caller)
                        frontier.append(caller)
        names = sorted(
            {
                index.macro_names[m]
                for index in self.indexes
                for m in macros
                if m in index.macro_names
            }
        )
        reason = f"calls macro {', '.join(names)} ({name} {item.change})"
        ids: list[str] = []
        for index in self.indexes:
            for unique_id, calls in index.node_macros.items():
                if unique_id not in ids and affected.intersection(calls):
                    ids.append(unique_id)
        for unique_id in ids:
            self.add(unique_id, reason)
            self.sql_changed.setdefault(unique_id, ChangedPath("", "modified"))
        return self.entry(item, ids, None if ids else "no node uses the macros of this file")

    def working_text(self, path: str) -> str | None:
        try:
            return (self.repository.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    @staticmethod
    def entry(item: ChangedPath, ids: list[str], reason: str | None) -> ChangedFileNodes:
        return ChangedFileNodes(
            path=item.path,
            old_path=item.old_path,
            change=item.change,
            nodes=sorted(ids),
            reason=reason,
        )


def changes(
    state: ProjectState,
    repository: ProjectRepository,
    base: str | None,
    *,
    baseline: ProjectState | None = None,
    lineage: LineageSource | None = None,
) -> ChangeReport:
    """What the working tree changes in the project, against HEAD (``base`` None) or
    against the merge-base of HEAD and ``base``.

    ``baseline`` is the manifest of the compared commit when one was parsed: it knows the
    nodes of deleted files and renders the base side of changed models. ``lineage`` gives
    the column lineage on demand (for the downstream columns of changed columns).
    """
    from .status import default_branch

    base_sha, head_sha = resolve_base(repository, base)
    mapper = _Mapper(repository, state, baseline, base_sha)
    files = [
        entry
        for item in changed_paths(repository.repo, base_sha)
        if (entry := mapper.map(item)) is not None
    ]
    modified = []
    for unique_id in sorted(mapper.reasons):
        node = mapper.node(unique_id)
        modified.append(
            ModifiedNode(
                unique_id=unique_id,
                name=node.name,
                resource_type=node.resource_type,
                file=node.original_file_path or None,
                reasons=mapper.reasons[unique_id],
            )
        )
    downstream, exposures = _downstream(state, mapper.reasons)
    return ChangeReport(
        base=base,
        base_sha=base_sha,
        head_sha=head_sha,
        default_base=default_branch(repository.repo),
        files=files,
        modified=modified,
        downstream=downstream,
        exposures=exposures,
        columns=_columns(mapper, lineage),
    )


def _downstream(
    state: ProjectState, modified: Mapping[str, Any]
) -> tuple[list[DownstreamNode], list[ExposureRef]]:
    starts = [unique_id for unique_id in modified if unique_id in state.nodes]
    distances = project_graph(state).descendants(starts) if starts else {}
    nodes: list[DownstreamNode] = []
    exposures: list[ExposureRef] = []
    for unique_id, distance in sorted(distances.items(), key=lambda pair: (pair[1], pair[0])):
        node = state.nodes[unique_id]
        if unique_id in modified or node.resource_type in TEST_RESOURCE_TYPES:
            continue
        if node.resource_type == "exposure":
            exposures.append(ExposureRef(unique_id=unique_id, name=node.name))
            continue
        nodes.append(
            DownstreamNode(
                unique_id=unique_id,
                name=node.name,
                resource_type=node.resource_type,
                distance=distance,
            )
        )
    return nodes, exposures


def _macro_texts(
    mapper: _Mapper, index: _Index, calls: Iterable[str], read: Callable[[str], str | None]
) -> tuple[str, ...]:
    """The texts of the project macro files defining ``calls`` and what they call."""
    seen: set[str] = set()
    frontier = list(calls)
    files: dict[str, None] = {}
    while frontier:
        macro = frontier.pop()
        if macro in seen:
            continue
        seen.add(macro)
        frontier += index.macro_calls.get(macro, ())
        if macro in index.macro_files:
            files[index.macro_files[macro]] = None
    prefix = mapper.repository.project_path
    texts = [read(f"{prefix}/{path}" if prefix else path) for path in sorted(files)]
    return tuple(text for text in texts if text is not None)


def _columns(mapper: _Mapper, lineage: LineageSource | None) -> list[ModelColumns]:
    state, baseline = mapper.state, mapper.baseline
    chosen = [
        (unique_id, item)
        for unique_id, item in mapper.sql_changed.items()
        if unique_id in state.nodes
        and state.nodes[unique_id].resource_type in ("model", "snapshot")
    ]
    if not chosen:
        return []
    found_lineage = lineage() if lineage is not None else None
    known = column_changes.RelationColumns(state, found_lineage)
    repo, base_sha = mapper.repository.repo, mapper.base_sha
    prefix = mapper.repository.project_path
    results: list[ModelColumns] = []
    for count, (unique_id, item) in enumerate(sorted(chosen)):
        node = state.nodes[unique_id]
        path = node.original_file_path
        if count >= MAX_COLUMN_MODELS:
            results.append(
                column_changes.unavailable(
                    unique_id, node.name, f"Not compared: more than {MAX_COLUMN_MODELS} changed."
                )
            )
            continue
        if node.raw.get("language", "sql") != "sql" or not path.endswith(".sql"):
            results.append(
                column_changes.unavailable(
                    unique_id, node.name, "Only the SQL of models and snapshots can be read."
                )
            )
            continue
        repo_path = f"{prefix}/{path}" if prefix else path
        after_text = mapper.working_text(repo_path)
        if after_text is None:
            continue
        old_path = item.old_path or repo_path
        before_text = None if item.change == "added" else file_at(repo, base_sha, old_path)
        after = column_changes.ModelSide(
            raw=after_text,
            state=state,
            macros=_macro_texts(
                mapper, mapper.indexes[0], _depends_on(node.raw, "macros"), mapper.working_text
            ),
            compiled=_compiled(node.raw, after_text),
        )
        before = None
        if before_text is not None:
            before_state = baseline or state
            before_node = before_state.nodes.get(unique_id) or node
            before = column_changes.ModelSide(
                raw=before_text,
                state=before_state,
                macros=_macro_texts(
                    mapper,
                    _index_of(before_state),
                    _depends_on(before_node.raw, "macros"),
                    lambda path: file_at(repo, base_sha, path),
                ),
                compiled=_compiled(before_node.raw, before_text),
            )
        results.append(
            column_changes.compare(unique_id, node.name, before, after, known, found_lineage)
        )
    return results


def _compiled(raw: Mapping[str, Any], text: str) -> str | None:
    """The manifest's compiled SQL, when the manifest was parsed from exactly ``text``."""
    compiled = raw.get("compiled_code")
    return compiled if isinstance(compiled, str) and raw.get("raw_code") == text else None


def project_changes(workbench: Workbench, project: str | None, base: str | None) -> ChangeReport:
    """``changes`` for a project of the workbench, with the baseline manifest of the compared
    commit when one was already parsed (``POST git/baseline`` makes one)."""
    from .baseline import existing_baseline
    from .locate import for_project

    repository = for_project(workbench, project)
    try:
        state = workbench.state(project)
        base_sha, _ = resolve_base(repository, base)
        baseline_state = None
        folder = existing_baseline(state.project, base_sha) if base_sha else None
        if folder is not None:
            relative = folder.relative_to(workbench.root).as_posix()
            baseline_state = workbench.baseline_state(project, relative)

        def lineage() -> ProjectColumnLineage | None:
            try:
                return workbench.column_lineage(project)
            except WorkbenchError:
                return None

        return changes(state, repository, base, baseline=baseline_state, lineage=lineage)
    finally:
        # GitPython keeps `git cat-file` processes per Repo object until it is closed.
        repository.repo.close()
