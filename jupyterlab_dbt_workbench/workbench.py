"""The facade the server, the CLI and the magics use: projects, their state, nodes, snapshots.

Thread safety: each project's current state, version and problems live in one immutable
``_View`` that readers pick up in a single attribute read. A reload (from ``poll`` or
``reload``) builds a new ``ProjectState`` under that project's load lock, without blocking
readers, then swaps the view under the workbench lock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path

from .artifacts.loader import (
    ARTIFACT_FILES,
    ARTIFACT_KINDS,
    ArtifactBusy,
    FileSignature,
    LoadedArtifact,
    parse_artifact,
    read_artifact,
)
from .artifacts.state import ProjectState, build_state
from .artifacts.watcher import ArtifactWatcher, Signatures
from .catalog.detail import node_detail
from .catalog.listing import NodeFilter, list_nodes
from .collector import collector_paused
from .errors import (
    ArtifactError,
    ArtifactsNotLoaded,
    InvalidRequest,
    NoProjects,
    NotFound,
    ProjectNotFound,
    StoreError,
)
from .lineage import LineageCache, LineageSlot, ProjectColumnLineage
from .payloads import (
    ArtifactInfo,
    ArtifactProblem,
    ArtifactStatus,
    Health,
    NodeDetail,
    NodePage,
    ProjectSummary,
    SnapshotList,
    SnapshotVersion,
    StoreHealth,
)
from .project.discovery import PROJECT_FILE, ProjectInfo, discover_projects
from .project.paths import project_id_for, resolve_under
from .search import search
from .search.payloads import SearchResult
from .store.database import Database
from .store.snapshots import SnapshotFile, SnapshotStore

# The order in which problems are told when a project has several: the manifest decides
# whether anything is shown at all.
_PROBLEM_ORDER = (*ARTIFACT_KINDS, "store", PROJECT_FILE)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def _installed_dbt_version() -> str | None:
    try:
        return importlib_metadata.version("dbt-core")
    except importlib_metadata.PackageNotFoundError:
        return None


def _problem(artifact: str, message: str, reason: str) -> ArtifactProblem:
    return ArtifactProblem(artifact=artifact, message=message, reason=reason, at=_now())


@dataclass(frozen=True)
class _View:
    """What readers see of one project; replaced whole, never changed."""

    state: ProjectState | None = None
    version: int | None = None
    problems: tuple[ArtifactProblem, ...] = ()

    @property
    def error(self) -> ArtifactProblem | None:
        return self.problems[0] if self.problems else None


@dataclass
class _Project:
    info: ProjectInfo
    watcher: ArtifactWatcher
    view: _View = field(default_factory=_View)
    # The last artifacts that parsed, by kind: reused while their file is unchanged, so a
    # new run_results.json does not re-parse a 50 MB manifest.
    parsed: dict[str, LoadedArtifact] = field(default_factory=dict)
    load_lock: threading.Lock = field(default_factory=threading.Lock)
    # When to try again to record the snapshot a locked store refused (monotonic seconds).
    store_retry_at: float = 0.0


class Workbench:
    """Every dbt project under ``root``, loaded, watched and snapshotted.

    ``store_path`` None keeps snapshots in memory. Safe to call from several threads.
    """

    def __init__(self, root: Path, *, store_path: Path | None, snapshot_limit: int = 20) -> None:
        self.root = root.resolve()
        self._database = Database(store_path)
        self._snapshots = SnapshotStore(self._database, snapshot_limit)
        self._lock = threading.Lock()
        self._rescan_lock = threading.Lock()
        self._projects: dict[str, _Project] = {}
        # Baseline states for ``state:`` selectors, by (project path, manifest sha256).
        self._baselines: dict[tuple[str, str], ProjectState] = {}
        self._lineage_cache = LineageCache(self._database)
        self.rescan()

    @property
    def database(self) -> Database:
        """The store this workbench writes to, shared with the other services (runs)."""
        return self._database

    @property
    def snapshot_store(self) -> SnapshotStore:
        """The artifact snapshots this workbench records (read-only use elsewhere)."""
        return self._snapshots

    @property
    def snapshot_limit(self) -> int:
        """How many snapshot versions are kept per project."""
        return self._snapshots.limit

    # Projects -------------------------------------------------------------------------------

    def rescan(self) -> list[ProjectSummary]:
        """Look for projects again; keep the loaded ones that did not change, load new ones."""
        with self._rescan_lock:
            known = self._projects
            found: dict[str, _Project] = {}
            for info in discover_projects(self.root):
                existing = known.get(info.id)
                if existing is not None and existing.info == info:
                    found[info.id] = existing
                    continue
                project = _Project(info=info, watcher=ArtifactWatcher(info.target_dir))
                self._refresh(project, force=True)
                found[info.id] = project
            with self._lock:
                self._projects = found
        return self.projects()

    def projects(self) -> list[ProjectSummary]:
        """A summary of every known project, by id."""
        with self._lock:
            projects = list(self._projects.values())
        return [self._summary(project) for project in projects]

    def _summary(self, project: _Project) -> ProjectSummary:
        view, info = project.view, project.info
        metadata = view.state.metadata if view.state is not None else None
        return ProjectSummary(
            id=info.id,
            name=info.name,
            path=info.id,
            profile=info.profile,
            target_path=info.target_path,
            loaded=view.state is not None,
            version=view.version,
            dbt_version=metadata.dbt_version if metadata else None,
            adapter_type=metadata.adapter_type if metadata else None,
            generated_at=metadata.generated_at if metadata else None,
            counts=dict(view.state.counts) if view.state is not None else {},
            error=view.error,
        )

    def _project(self, project: str | None) -> _Project:
        with self._lock:
            projects = self._projects
        if not projects:
            raise NoProjects(
                f"No dbt project was found under {self.root}. Open a folder that contains a "
                "dbt_project.yml, or create the demo project with `jupyter dbt-workbench demo`."
            )
        if project is None or project == "":
            if len(projects) == 1:
                return next(iter(projects.values()))
            raise InvalidRequest(
                f"Several dbt projects live under {self.root} ({', '.join(sorted(projects))}); "
                "say which one with the `project` parameter."
            )
        project_id = project_id_for(self.root, resolve_under(self.root, project))
        found = projects.get(project_id)
        if found is None:
            raise ProjectNotFound(
                f"No dbt project {project!r} under {self.root}. Known projects: "
                f"{', '.join(sorted(projects))}. If you just created it, rescan the projects."
            )
        return found

    def state(self, project: str | None) -> ProjectState:
        """The current state of a project; raises ``ArtifactsNotLoaded`` without a manifest."""
        found = self._project(project)
        view = found.view
        if view.state is None:
            detail = ""
            if view.error is not None and view.error["artifact"] == "manifest":
                detail = f" The last attempt failed: {view.error['message']}"
            raise ArtifactsNotLoaded(
                f"Project {found.info.id!r} has no usable manifest yet: run `dbt parse` or "
                f"`dbt build` in {found.info.path}.{detail}"
            )
        return view.state

    # Nodes ----------------------------------------------------------------------------------

    def list_nodes(
        self, project: str | None, filters: NodeFilter, offset: int, limit: int
    ) -> NodePage:
        """One page of a project's nodes matching ``filters``."""
        return list_nodes(self.state(project), filters, offset, limit)

    def node(self, project: str | None, unique_id: str) -> NodeDetail:
        """Everything about one node; ``NodeNotFound`` names an unknown id."""
        return node_detail(self.state(project), unique_id)

    def search(
        self,
        project: str | None,
        query: str,
        *,
        filters: dict[str, list[str]] | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> SearchResult:
        """Search a project's nodes, macros and columns (docs/search.md has the syntax)."""
        return search(self.state(project), query, filters=filters, offset=offset, limit=limit)

    # Artifacts ------------------------------------------------------------------------------

    def artifact_status(self, project: str | None) -> ArtifactStatus:
        """The artifacts of a project: one entry per kind on disk or held by the served state
        (``present`` False when its file has gone since it was loaded)."""
        found = self._project(project)
        view = found.view
        loaded = view.state.artifacts if view.state is not None else {}
        signatures = found.watcher.current()
        artifacts: list[ArtifactInfo] = []
        for kind in ARTIFACT_KINDS:
            artifact = loaded.get(kind)
            on_disk = signatures[kind]
            # Kinds on disk, plus those the served state still holds after their file went.
            if artifact is None and on_disk is None:
                continue
            meta = artifact.metadata if artifact is not None else None
            size = artifact.size if artifact is not None else None
            artifacts.append(
                ArtifactInfo(
                    kind=kind,
                    path=f"{found.info.target_path}/{ARTIFACT_FILES[kind]}",
                    present=on_disk is not None,
                    schema_version=meta.schema_version if meta else None,
                    dbt_version=meta.dbt_version if meta else None,
                    generated_at=meta.generated_at if meta else None,
                    invocation_id=meta.invocation_id if meta else None,
                    size=size if size is not None else (on_disk.size if on_disk else None),
                    sha256=artifact.sha256 if artifact is not None else None,
                )
            )
        return ArtifactStatus(
            project=found.info.id,
            version=view.version,
            loaded_at=view.state.loaded_at if view.state is not None else None,
            artifacts=artifacts,
            error=view.error,
        )

    def reload(self, project: str | None) -> ArtifactStatus:
        """Read a project's artifacts again now, whether or not they look changed."""
        found = self._project(project)
        self._refresh(found, force=True)
        return self.artifact_status(found.info.id)

    def snapshots(self, project: str | None) -> list[SnapshotVersion]:
        """The kept snapshot versions of a project, newest first."""
        found = self._project(project)
        return self._snapshots.versions(str(found.info.path))

    def snapshot_list(self, project: str | None) -> SnapshotList:
        """The ``GET artifacts/snapshots`` payload: project id, limit and versions."""
        found = self._project(project)
        return SnapshotList(
            project=found.info.id,
            limit=self.snapshot_limit,
            snapshots=self._snapshots.versions(str(found.info.path)),
        )

    def baseline_state(self, project: str | None, version_or_path: str) -> ProjectState:
        """The state ``state:`` selectors compare with (dbt's ``--state``): a kept snapshot
        version of the project (``"3"``), or a folder under the server root holding the
        manifest.json to compare with (``"prod-artifacts"``)."""
        found = self._project(project)
        text = version_or_path.strip()
        if text.isdigit():
            hashes = self._snapshots.files(str(found.info.path), int(text))
            if "manifest" not in hashes:
                raise NotFound(
                    f"Project {found.info.id!r} has no kept snapshot version {text}; "
                    "GET artifacts/snapshots lists the versions."
                )
            label = f"snapshot {text} of {ARTIFACT_FILES['manifest']}"
            key = (str(found.info.path), hashes["manifest"])
            baseline = self._baselines.get(key)
            if baseline is None:
                raw = self._snapshots.blob(hashes["manifest"])
                data, metadata = parse_artifact("manifest", raw, label)
                manifest = LoadedArtifact(
                    kind="manifest",
                    path=found.info.target_dir / ARTIFACT_FILES["manifest"],
                    label=label,
                    data=data,
                    raw=raw,
                    sha256=hashes["manifest"],
                    signature=FileSignature(0, len(raw)),
                    metadata=metadata,
                )
                baseline = build_state(found.info, {"manifest": manifest}, _now())
                self._remember_baseline(key, baseline)
            return baseline
        path = resolve_under(self.root, text) / ARTIFACT_FILES["manifest"]
        if not path.is_file():
            raise NotFound(
                f"No {ARTIFACT_FILES['manifest']} in {text!r}: give a snapshot version or a "
                "folder under the server root that holds the manifest.json to compare with."
            )
        manifest = read_artifact("manifest", path, f"{text}/{ARTIFACT_FILES['manifest']}")
        key = (str(found.info.path), manifest.sha256)
        baseline = self._baselines.get(key)
        if baseline is None:
            baseline = build_state(found.info, {"manifest": manifest}, _now())
            self._remember_baseline(key, baseline)
        return baseline

    def _remember_baseline(self, key: tuple[str, str], state: ProjectState) -> None:
        # A few baselines at most: each holds a whole parsed manifest.
        with self._lock:
            while len(self._baselines) >= 4:
                self._baselines.pop(next(iter(self._baselines)))
            self._baselines[key] = state

    def column_lineage(self, project: str | None) -> ProjectColumnLineage:
        """The column lineage of a project's current state, computed once per state; models
        whose SQL and inputs did not change come from the lineage cache in the store."""
        state = self.state(project)
        slot = state.derived("column_lineage", lambda _: LineageSlot())
        return slot.get(state, self._lineage_cache)

    def poll(self) -> list[str]:
        """Reload every project whose artifacts changed on disk; return their ids."""
        with self._lock:
            projects = list(self._projects.values())
        return [project.info.id for project in projects if self._refresh(project, force=False)]

    # Loading --------------------------------------------------------------------------------

    @staticmethod
    def _config_problems(info: ProjectInfo) -> tuple[ArtifactProblem, ...]:
        if info.problem is None:
            return ()
        return (_problem(PROJECT_FILE, info.problem, "invalid_project"),)

    def _refresh(self, project: _Project, *, force: bool) -> bool:
        """Load the project's artifacts if they changed (or ``force``); True when the served
        view changed. Failures become problems on the view, never exceptions."""
        with project.load_lock:
            if not force and not project.watcher.changed():
                return self._record_pending_snapshot(project)
            signatures = project.watcher.current()
            # Parsing a big manifest allocates millions of objects, none of them garbage:
            # without the pause each full collection walks them all with the GIL held,
            # stalling every request (benchmarks/load.py, "reload + first search").
            with collector_paused():
                read = self._read(project, signatures, force=force)
            if read is None:
                # dbt is writing a file right now; the next poll reads the finished one.
                return False
            loaded, problems, seen = read
            previous = project.view
            manifest = loaded.get("manifest")
            if manifest is None:
                state = previous.state
                version = previous.version
                if signatures["manifest"] is None and state is not None:
                    problems["manifest"] = _problem(
                        "manifest",
                        f"{project.info.target_path}/manifest.json was removed; showing the "
                        f"state loaded at {state.loaded_at}.",
                        "artifact_missing",
                    )
                elif "manifest" in problems and state is not None:
                    problems["manifest"]["message"] += (
                        f" Showing the state loaded at {state.loaded_at}."
                    )
            else:
                state = build_state(project.info, loaded, _now(), previous.state)
                version = self._record_snapshot(project, state, problems)
                project.parsed = loaded

            ordered = tuple(problems[key] for key in _PROBLEM_ORDER if key in problems)
            view = _View(
                state=state,
                version=version,
                problems=ordered + self._config_problems(project.info),
            )
            project.watcher.mark_seen(seen)
            with self._lock:
                project.view = view
            return view.state is not previous.state or view.problems != previous.problems

    @staticmethod
    def _read(
        project: _Project, signatures: Signatures, *, force: bool
    ) -> tuple[dict[str, LoadedArtifact], dict[str, ArtifactProblem], Signatures] | None:
        """Read the artifacts on disk, reusing the parsed ones whose file did not change.

        Returns what loaded, the problems of what did not, and the signatures to mark as
        seen; None when a file is still being written (unless ``force``: then it is a
        problem like any other).
        """
        problems: dict[str, ArtifactProblem] = {}
        loaded: dict[str, LoadedArtifact] = {}
        seen = dict(signatures)
        for kind in ARTIFACT_KINDS:
            signature = signatures[kind]
            if signature is None:
                continue
            cached = project.parsed.get(kind)
            if not force and cached is not None and cached.signature == signature:
                loaded[kind] = cached
                continue
            label = f"{project.info.target_path}/{ARTIFACT_FILES[kind]}"
            try:
                loaded[kind] = read_artifact(kind, project.watcher.path(kind), label)
                seen[kind] = loaded[kind].signature
            except ArtifactBusy as exc:
                if not force:
                    return None
                problems[kind] = _problem(kind, exc.message, exc.reason)
            except ArtifactError as exc:
                problems[kind] = _problem(kind, exc.message, exc.reason)
        return loaded, problems, seen

    def _record_pending_snapshot(self, project: _Project) -> bool:
        """Record the snapshot of the served state that the store refused earlier (another
        process held its lock); True when the view changed. Caller holds the load lock."""
        view = project.view
        if view.state is None or not any(p["artifact"] == "store" for p in view.problems):
            return False
        if time.monotonic() < project.store_retry_at:
            return False
        # A locked store makes each attempt wait: a few seconds between attempts.
        project.store_retry_at = time.monotonic() + 5.0
        problems = {p["artifact"]: p for p in view.problems if p["artifact"] in ARTIFACT_KINDS}
        version = self._record_snapshot(project, view.state, problems)
        ordered = tuple(problems[key] for key in _PROBLEM_ORDER if key in problems)
        updated = _View(
            state=view.state,
            version=version,
            problems=ordered + self._config_problems(project.info),
        )
        with self._lock:
            project.view = updated
        return updated.problems != view.problems

    def _record_snapshot(
        self, project: _Project, state: ProjectState, problems: dict[str, ArtifactProblem]
    ) -> int | None:
        files = {
            kind: SnapshotFile(kind=kind, sha256=artifact.sha256, data=artifact.raw)
            for kind, artifact in state.artifacts.items()
        }
        try:
            return self._snapshots.record(
                str(project.info.path),
                files,
                dbt_version=state.metadata.dbt_version,
                generated_at=state.metadata.generated_at,
            )
        except StoreError as exc:
            problems["store"] = _problem("store", exc.message, exc.reason)
            return None

    # Health ---------------------------------------------------------------------------------

    def health(self) -> Health:
        """How the workbench is doing: projects, store, and every current problem."""
        from . import __version__

        with self._lock:
            projects = list(self._projects.values())
        problems = [
            f"{project.info.id}: {problem['message']}"
            for project in projects
            for problem in project.view.problems
        ]
        store_ok = self._database.check()
        if not store_ok:
            problems.append(f"The workbench database {self._database.location} does not answer.")
        return Health(
            status="degraded" if problems else "ok",
            version=__version__,
            dbt_version=_installed_dbt_version(),
            root=str(self.root),
            projects=len(projects),
            store=StoreHealth(
                path=self._database.location,
                schema_version=self._database.schema_version,
                ok=store_ok,
            ),
            problems=problems,
        )

    def close(self) -> None:
        """Release the database; the workbench is unusable afterwards."""
        self._database.close()
