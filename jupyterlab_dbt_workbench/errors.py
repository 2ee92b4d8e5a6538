"""The error tree of the workbench core.

Core code raises these; the server maps them to HTTP statuses in one place
(``server/errors.py``), the CLI and the magics print their message. Each error carries a
``message`` written for the user (what happened and what to do) and a stable ``reason`` code
that clients may branch on.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose."""

    reason: str = "workbench_error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason

    def __str__(self) -> str:
        return self.message


class InvalidRequest(WorkbenchError):
    """The caller asked for something malformed (maps to 400)."""

    reason = "bad_parameter"


class UnsafePath(InvalidRequest):
    """A parameter names a path outside the server root (``..`` or absolute)."""

    reason = "unsafe_path"


class NotFound(WorkbenchError):
    """The named thing does not exist (maps to 404)."""

    reason = "not_found"


class NoProjects(NotFound):
    """No dbt project lives under the server root."""

    reason = "no_projects"


class ProjectNotFound(NotFound):
    reason = "project_not_found"


class NodeNotFound(NotFound):
    reason = "node_not_found"


class Conflict(WorkbenchError):
    """The request cannot be served in the current state (maps to 409)."""

    reason = "conflict"


class ArtifactsNotLoaded(Conflict):
    """The project has no usable manifest yet."""

    reason = "artifacts_not_loaded"


class ArtifactError(WorkbenchError):
    """An artifact file cannot be used (maps to 422)."""

    reason = "artifact_error"

    def __init__(self, message: str, *, artifact: str, reason: str | None = None) -> None:
        super().__init__(message, reason=reason)
        self.artifact = artifact


class UnsupportedSchemaVersion(ArtifactError):
    reason = "unsupported_schema_version"


class MalformedArtifact(ArtifactError):
    reason = "malformed_artifact"


class StoreError(WorkbenchError):
    """The embedded database could not be read or written (maps to 500)."""

    reason = "store_error"


class StoreBusy(StoreError):
    """Another process holds the embedded database's write lock (maps to 503): try again."""

    reason = "store_busy"


class ExternalToolError(WorkbenchError):
    """dbt, git or the warehouse failed (maps to 502)."""

    reason = "external_tool_error"


class InvalidRunRequest(InvalidRequest):
    """A dbt run was asked with an unknown command or an option dbt would refuse."""

    reason = "invalid_run_request"


class RunNotFound(NotFound):
    reason = "run_not_found"


class RunConflict(Conflict):
    """The run is not in a state that allows this (e.g. retrying a run still running)."""

    reason = "run_conflict"


class Forbidden(WorkbenchError):
    """The server's settings do not allow this action (maps to 403)."""

    reason = "forbidden"


class MetadataEditsDisabled(Forbidden):
    """Metadata edits are switched off (``DbtWorkbench.allow_metadata_edits``)."""

    reason = "metadata_edits_disabled"


class InvalidYaml(WorkbenchError):
    """A YAML file of the project has a syntax error, so it cannot be edited (maps to 422).

    ``line`` and ``column`` are 1-based and say where the parser gave up.
    """

    reason = "invalid_yaml"

    def __init__(
        self, message: str, *, path: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column


class FileChanged(Conflict):
    """A file changed since its edit was previewed; nothing was written."""

    reason = "file_changed"


class WarehouseBusy(Conflict):
    """The warehouse cannot be opened now (a dbt run holds the DuckDB file)."""

    reason = "warehouse_busy"


class UnsupportedAdapter(InvalidRequest):
    """The project's adapter cannot do what was asked (yet)."""

    reason = "unsupported_adapter"


class InvalidSql(WorkbenchError):
    """SQL of the SQL workspace cannot be compiled or parsed (maps to 422).

    ``details`` holds the extra JSON fields the server adds to the error body.
    """

    reason = "invalid_sql"

    @property
    def details(self) -> dict[str, object]:
        return {}


class SqlSyntaxError(InvalidSql):
    """The SQL does not parse; ``line`` and ``column`` (1-based) say where, when known."""

    reason = "sql_syntax_error"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    @property
    def details(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column}


class UnknownRelation(InvalidSql):
    """A ``ref()`` or ``source()`` names nothing in the project; ``suggestions`` are close names."""

    reason = "unknown_relation"

    def __init__(self, message: str, *, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions

    @property
    def details(self) -> dict[str, object]:
        return {"suggestions": list(self.suggestions)}


class SqlCompileError(InvalidSql):
    """dbt (or the manifest renderer) could not compile the SQL; the message is dbt's."""

    reason = "sql_compile_error"


class WriteRefused(Forbidden):
    """A statement would write to the warehouse and ``DbtWorkbench.allow_sql_writes`` is off.

    ``statement`` is the 1-based index of the first writing statement.
    """

    reason = "write_refused"

    def __init__(self, message: str, *, statement: int) -> None:
        super().__init__(message)
        self.statement = statement

    @property
    def details(self) -> dict[str, object]:
        return {"statement": self.statement}


class InvalidSchedule(InvalidRequest):
    """A schedule cannot be saved as given: a bad cron, timezone, step or policy."""

    reason = "invalid_schedule"


class ScheduleNotFound(NotFound):
    reason = "schedule_not_found"


class QueryNotFound(NotFound):
    """No SQL workspace query has this id."""

    reason = "query_not_found"


class Gone(WorkbenchError):
    """The thing existed but is no longer kept (maps to 410), e.g. a pruned query result."""

    reason = "gone"


class NotARepository(Conflict):
    """The project folder is not inside a Git repository."""

    reason = "not_a_repository"


class _FilesError:
    """Mixin of git errors that name files: they travel as ``files`` in the error body."""

    files: list[str]

    @property
    def details(self) -> dict[str, object]:
        return {"files": list(self.files)}


class MergeConflict(_FilesError, Conflict):
    """A pull stopped with conflicts; the repository is left merging, ``files`` conflict."""

    reason = "merge_conflict"

    def __init__(self, message: str, *, files: list[str]) -> None:
        super().__init__(message)
        self.files = files


class LocalChangesWouldBeLost(_FilesError, Conflict):
    """git refused a checkout or merge that would overwrite the uncommitted ``files``."""

    reason = "local_changes_would_be_lost"

    def __init__(self, message: str, *, files: list[str]) -> None:
        super().__init__(message)
        self.files = files


class PushRejected(Conflict):
    """The remote refused the push: it has commits the local branch lacks."""

    reason = "push_rejected"


class NothingToCommit(InvalidRequest):
    """A commit was asked with nothing staged."""

    reason = "nothing_to_commit"


class EmptyCommitMessage(InvalidRequest):
    reason = "empty_commit_message"


class GitAuthFailed(ExternalToolError):
    """The remote refused the credentials git found (helpers, SSH agent), or found none."""

    reason = "git_auth_failed"


class GitCommandFailed(ExternalToolError):
    """git failed for another reason; the message carries git's own words."""

    reason = "git_command_failed"
