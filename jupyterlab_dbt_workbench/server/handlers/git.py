"""Git over REST: status, diffs, stage, commit, branches, fetch/pull/push, history.

Named operations only: each route calls one core function with validated values; nothing a
client sends becomes a git command line. Every write is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tornado import web

from jupyterlab_dbt_workbench.repository import branches, commits, diff, history, remotes, staging
from jupyterlab_dbt_workbench.repository import payloads as git_payloads
from jupyterlab_dbt_workbench.repository.locate import ProjectRepository, opened, repo_path
from jupyterlab_dbt_workbench.repository.status import status
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter
from jupyterlab_dbt_workbench.server.handlers.audit import audited
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route

T = TypeVar("T")

RESOURCE = "dbt_workbench:git"
MAX_LOG = 500
# Status codes every repository route may answer: bad value, unknown project, not a repository.
COMMON_ERRORS = (400, 404, 409)


class GitBase(WorkbenchHandler):
    """Runs one operation on the project's repository off the event loop."""

    auth_resource = RESOURCE

    async def repository(self, project: str | None, fn: Callable[[ProjectRepository], T]) -> T:
        def run(workbench: Any) -> T:
            with opened(workbench, project) as found:
                return fn(found)

        return await self.core(run)

    def body(self, allowed: frozenset[str]) -> dict[str, Any]:
        """The JSON object body, with only ``allowed`` fields (400 naming any other)."""
        body = self.get_json_body()
        if not isinstance(body, dict):
            raise bad_parameter('The body must be a JSON object such as {"project": "demo"}.')
        unknown = sorted(set(body) - allowed - {"project"})
        if unknown:
            raise bad_parameter(
                f"Unknown field(s) {', '.join(map(repr, unknown))}; known fields: "
                f"{', '.join(sorted(allowed | {'project'}))}."
            )
        project = body.get("project")
        if project is not None and not isinstance(project, str):
            raise bad_parameter("'project' must be a string.")
        return body

    @staticmethod
    def string(body: dict[str, Any], name: str) -> str | None:
        value = body.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise bad_parameter(f"{name!r} must be a string, not {value!r}.")
        return value

    @staticmethod
    def paths(body: dict[str, Any], *, required: bool) -> list[str]:
        value = body.get("paths")
        if value is None and not required:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise bad_parameter("'paths' must be a list of repository-relative paths.")
        if required and not value:
            raise bad_parameter("'paths' must name at least one file.")
        return value


class StatusHandler(GitBase):
    """GET git/status: branch, upstream, remotes and the changed files."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(await self.repository(self.project, status))


class DiffHandler(GitBase):
    """GET git/diff: one file's diff, staged (index vs HEAD) or not (working tree vs index)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        path, staged = self.text_argument("path"), self.bool_argument("staged")
        if path is None:
            raise bad_parameter("The 'path' parameter is required: a repository-relative path.")

        def run(found: ProjectRepository) -> git_payloads.FileDiff:
            return diff.file_diff(found, repo_path(found.root, path), staged=staged)

        self.reply(await self.repository(self.project, run))


class StageHandler(GitBase):
    """POST git/stage: stage files as they are in the working tree."""

    action = "git.stage"

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body(frozenset({"paths"}))
        project, paths = body.get("project"), self.paths(body, required=True)
        operation = staging.stage if self.action == "git.stage" else staging.unstage
        async with audited(
            self, self.action, project=project, target=", ".join(paths)[:500]
        ) as note:
            note.details = {"paths": paths[:100], "count": len(paths)}
            self.reply(await self.repository(project, lambda found: operation(found, paths)))


class UnstageHandler(StageHandler):
    """POST git/unstage: take files out of the index (their changes stay in the tree)."""

    action = "git.unstage"


class CommitHandler(GitBase):
    """POST git/commit: commit what is staged (staging ``paths`` first)."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body(frozenset({"message", "paths"}))
        project, paths = body.get("project"), self.paths(body, required=False)
        message = body.get("message")
        async with audited(self, "git.commit", project=project) as note:
            if paths:
                note.details["paths"] = paths[:100]
            made = await self.repository(
                project, lambda found: commits.commit(found, message, paths or None)
            )
            note.target = made["sha"]
            note.details["summary"] = made["summary"]
        self.reply(made)


class BranchesHandler(GitBase):
    """GET git/branches: local and remote-tracking branches; POST: create one."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(await self.repository(self.project, branches.branch_list))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body(frozenset({"name", "start", "checkout"}))
        project, name, start = body.get("project"), body.get("name"), self.string(body, "start")
        checkout = body.get("checkout", False)
        if not isinstance(checkout, bool):
            raise bad_parameter("'checkout' must be true or false.")
        target = name if isinstance(name, str) else None
        async with audited(self, "git.branch.create", project=project, target=target) as note:
            note.details = {"start": start, "checkout": checkout}
            listed = await self.repository(
                project,
                lambda found: branches.create_branch(found, name, start=start, checkout=checkout),
            )
        self.set_status(201)
        self.reply(listed)


class CheckoutHandler(GitBase):
    """POST git/checkout: switch branches, refused when local changes would be lost."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body(frozenset({"branch"}))
        project, branch = body.get("project"), body.get("branch")
        target = branch if isinstance(branch, str) else None
        async with audited(self, "git.checkout", project=project, target=target):
            self.reply(await self.repository(project, lambda found: branches.switch(found, branch)))


SYNC_OPERATIONS: dict[str, Callable[[ProjectRepository, object], git_payloads.SyncResult]] = {
    "fetch": remotes.fetch,
    "pull": remotes.pull,
    "push": remotes.push,
}


class SyncHandler(GitBase):
    """POST git/fetch, git/pull, git/push: talk to a remote with the user's credentials."""

    operation = "fetch"

    @web.authenticated
    @authorized
    async def post(self) -> None:
        run = SYNC_OPERATIONS[self.operation]
        body = self.body(frozenset({"remote"}))
        project, remote = body.get("project"), self.string(body, "remote")
        async with audited(self, f"git.{self.operation}", project=project, target=remote) as note:
            result = await self.repository(project, lambda found: run(found, remote))
            info = result["status"]["repository"]
            note.details = {"branch": info["branch"], "head": info["head"]}
        self.reply(result)


class PullHandler(SyncHandler):
    operation = "pull"


class PushHandler(SyncHandler):
    operation = "push"


class LogHandler(GitBase):
    """GET git/log: the commits of HEAD, newest first (optionally those touching a path)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        limit = self.int_argument("limit", 50, 1, MAX_LOG)
        offset = self.int_argument("offset", 0, 0, 10**9)
        path = self.text_argument("path")
        self.reply(
            await self.repository(
                self.project,
                lambda found: history.log(found, limit=limit, offset=offset, path=path),
            )
        )


class CommitDetailHandler(GitBase):
    """GET git/commits/<sha>: one commit and the diff of every file it changed."""

    @web.authenticated
    @authorized
    async def get(self, sha: str) -> None:
        self.reply(
            await self.repository(self.project, lambda found: history.commit_detail(found, sha))
        )


def _body_operation(
    summary: str, response: Any, errors: tuple[int, ...], status: int = 200
) -> Operation:
    return Operation("post", summary, response, (), errors, status=status)


SYNC_ERRORS = (*COMMON_ERRORS, 502)

GIT_ROUTES: tuple[Route, ...] = (
    Route(
        "/git/status",
        StatusHandler,
        (
            Operation(
                "get",
                "The repository holding the project: branch, upstream, remotes, changed files",
                git_payloads.GitStatus,
                (PROJECT,),
                COMMON_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/diff",
        DiffHandler,
        (
            Operation(
                "get",
                "One file's diff with both sides' text (null when binary or over 1 MB)",
                git_payloads.FileDiff,
                (
                    PROJECT,
                    Parameter("path", "repository-relative path of the file", required=True),
                    Parameter(
                        "staged",
                        "true: index against HEAD; false (default): working tree against index",
                        schema={"type": "boolean"},
                    ),
                ),
                COMMON_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/stage",
        StageHandler,
        (
            _body_operation(
                "Stage files (body: project, paths)", git_payloads.GitStatus, COMMON_ERRORS
            ),
        ),
    ),
    Route(
        "/git/unstage",
        UnstageHandler,
        (
            _body_operation(
                "Unstage files (body: project, paths)", git_payloads.GitStatus, COMMON_ERRORS
            ),
        ),
    ),
    Route(
        "/git/commit",
        CommitHandler,
        (
            _body_operation(
                "Commit what is staged (body: project, message, paths to stage first)",
                git_payloads.CommitInfo,
                SYNC_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/branches",
        BranchesHandler,
        (
            Operation(
                "get",
                "Local and remote-tracking branches",
                git_payloads.BranchList,
                (PROJECT,),
                COMMON_ERRORS,
            ),
            _body_operation(
                "Create a branch (body: project, name, start, checkout)",
                git_payloads.BranchList,
                SYNC_ERRORS,
                status=201,
            ),
        ),
    ),
    Route(
        "/git/checkout",
        CheckoutHandler,
        (
            _body_operation(
                "Switch to a branch; 409 when local changes would be lost (body: project, branch)",
                git_payloads.GitStatus,
                SYNC_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/fetch",
        SyncHandler,
        (
            _body_operation(
                "Fetch a remote (body: project, remote)", git_payloads.SyncResult, SYNC_ERRORS
            ),
        ),
    ),
    Route(
        "/git/pull",
        PullHandler,
        (
            _body_operation(
                "Merge the upstream branch (body: project, remote); 409 on conflicts",
                git_payloads.SyncResult,
                SYNC_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/push",
        PushHandler,
        (
            _body_operation(
                "Push the current branch (body: project, remote); 409 when rejected",
                git_payloads.SyncResult,
                SYNC_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/log",
        LogHandler,
        (
            Operation(
                "get",
                "Commits of HEAD, newest first",
                git_payloads.CommitLog,
                (
                    PROJECT,
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_LOG},
                    ),
                    Parameter("offset", "first item", schema={"type": "integer", "minimum": 0}),
                    Parameter("path", "only commits touching this repository-relative path"),
                ),
                COMMON_ERRORS,
            ),
        ),
    ),
    Route(
        "/git/commits/{sha}",
        CommitDetailHandler,
        (
            Operation(
                "get",
                "One commit and the diff of each file it changed (against its first parent)",
                git_payloads.CommitDetail,
                (
                    PROJECT,
                    Parameter("sha", "commit sha (4+ hex digits)", where="path", required=True),
                ),
                COMMON_ERRORS,
            ),
        ),
    ),
)
