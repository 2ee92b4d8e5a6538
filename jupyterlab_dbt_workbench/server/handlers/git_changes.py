"""What a Git change does to the dbt project: modified and downstream nodes, changed columns,
the base commit's baseline manifest and "Build modified+". Thin handlers over
``repository/changes.py`` and ``repository/baseline.py``."""

from __future__ import annotations

from typing import Any

from tornado import web

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.repository import impact_payloads
from jupyterlab_dbt_workbench.repository.baseline import baseline, build_modified
from jupyterlab_dbt_workbench.repository.changes import project_changes
from jupyterlab_dbt_workbench.runs.payloads import RunSummary
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter, http_error
from jupyterlab_dbt_workbench.server.handlers.runs import user_name
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route

RESOURCE = "dbt_workbench:git"
_BODY_FIELDS = frozenset({"project", "base"})


class GitChangesBase(WorkbenchHandler):
    auth_resource = RESOURCE

    def body(self) -> tuple[str | None, str | None]:
        """(project, base) of a ``{project, base?}`` body; 400 naming anything else."""
        try:
            body: Any = self.get_json_body() or {}
        except web.HTTPError:
            raise bad_parameter("The body must be JSON.") from None
        if not isinstance(body, dict):
            raise bad_parameter('The body must be a JSON object: {"project": ..., "base": ...}.')
        unknown = sorted(set(body) - _BODY_FIELDS)
        if unknown:
            raise bad_parameter(f"Unknown field(s) {', '.join(map(repr, unknown))}.")
        values = []
        for name in ("project", "base"):
            value = body.get(name)
            if value is not None and not isinstance(value, str):
                raise bad_parameter(f"'{name}' must be a string, not {value!r}.")
            values.append(value or None)
        return values[0], values[1]

    @property
    def dbt(self) -> str | None:
        return self.service.config.dbt_executable or None


class GitChangesHandler(GitChangesBase):
    """GET git/changes: changed files → dbt nodes, downstream, exposures, changed columns."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project, base = self.project, self.text_argument("base")
        self.reply(await self.core(lambda w: project_changes(w, project, base)))


class GitBaselineHandler(GitChangesBase):
    """POST git/baseline: parse the compared commit in a temporary worktree (or reuse it)."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        project, base = self.body()
        dbt, user = self.dbt, user_name(self.current_user)
        self.reply(await self.core(lambda w: baseline(w, project, base, dbt=dbt, user=user)))


class GitBuildModifiedHandler(GitChangesBase):
    """POST git/build-modified: the baseline, then dbt build -s state:modified+ --defer."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        project, base = self.body()
        dbt, user = self.dbt, user_name(self.current_user)
        try:
            manager = await self.service.run_manager()
            summary = await self.service.call(
                lambda: build_modified(manager, project, base, dbt=dbt, user=user)
            )
        except WorkbenchError as error:
            raise http_error(error) from error
        self.set_status(202)
        self.reply(summary)


GIT_CHANGES_ROUTES: tuple[Route, ...] = (
    Route(
        "/git/changes",
        GitChangesHandler,
        (
            Operation(
                "get",
                "What the working tree changes in the dbt project: against HEAD, or against "
                "the merge-base of HEAD and a base ref",
                impact_payloads.ChangeReport,
                (
                    PROJECT,
                    Parameter(
                        "base",
                        "a branch, tag or commit (e.g. main); absent: the working tree vs HEAD",
                    ),
                ),
                (400, 404, 409, 502),
            ),
        ),
    ),
    Route(
        "/git/baseline",
        GitBaselineHandler,
        (
            Operation(
                "post",
                "Parse the compared commit's manifest in a temporary worktree (reused when it "
                "exists). Body: {project, base?}",
                impact_payloads.BaselineInfo,
                (),
                (400, 404, 409, 502),
            ),
        ),
    ),
    Route(
        "/git/build-modified",
        GitBuildModifiedHandler,
        (
            Operation(
                "post",
                "dbt build --select state:modified+ --defer against the compared commit's "
                "baseline manifest. Body: {project, base?}",
                RunSummary,
                (),
                (400, 404, 409, 502),
                status=202,
            ),
        ),
    ),
)
