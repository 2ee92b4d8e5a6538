"""git's failures, read from what it wrote, turned into the workbench's errors."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import (
    GitAuthFailed,
    GitCommandFailed,
    LocalChangesWouldBeLost,
    PushRejected,
    WorkbenchError,
)

if TYPE_CHECKING:
    import git

AUTH_MARKERS = (
    "authentication failed",
    "could not read username",
    "could not read password",
    "permission denied (publickey",
    "terminal prompts disabled",
    "invalid username or password",
    "host key verification failed",
    "http basic: access denied",
    "the requested url returned error: 403",
    "the requested url returned error: 401",
)
REJECTED_MARKERS = ("[rejected]", "non-fast-forward", "fetch first", "(stale info)")
_OVERWRITE = re.compile(r"would be overwritten by (checkout|merge|switch)", re.IGNORECASE)
_CREDENTIALS = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")
MESSAGE_LINES = 8


def without_credentials(text: str) -> str:
    """``https://user:token@host/x`` becomes ``https://host/x`` wherever it appears."""
    return _CREDENTIALS.sub(r"\1", text)


def output_of(error: git.GitCommandError) -> str:
    """What git wrote (stderr, then stdout), credentials removed, GitPython's framing stripped."""
    parts = []
    for stream in (error.stderr, error.stdout):
        text = stream.decode(errors="replace") if isinstance(stream, bytes) else str(stream or "")
        # GitPython frames the streams as "\n  stderr: '...'".
        text = re.sub(r"^\s*(stderr|stdout): '", "", text.strip())
        text = text[:-1] if text.endswith("'") else text
        if text.strip():
            parts.append(text.strip())
    return without_credentials("\n".join(parts))


def first_lines(text: str, count: int = MESSAGE_LINES) -> str:
    """The first non-blank lines of git's output, without its "hint:" advice for the CLI."""
    lines = [
        line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith("hint:")
    ]
    shown = "\n".join(lines[:count])
    return shown + ("\n…" if len(lines) > count else "")


def overwritten_files(text: str) -> list[str]:
    """The files git lists (tab-indented) under "... would be overwritten by ..." headers."""
    files: list[str] = []
    listing = False
    for line in text.splitlines():
        if _OVERWRITE.search(line):
            listing = True
        elif listing and line.startswith(("\t", "        ")):
            files.append(line.strip())
        else:
            listing = False
    return files


def classify(
    error: git.GitCommandError, doing: str, *, timeout: float | None = None
) -> WorkbenchError:
    """The workbench error for a failed git command; ``doing`` names it for the user
    ("push to origin")."""
    text = output_of(error)
    lowered = text.lower()
    if timeout is not None and "did not complete in" in lowered:
        return GitCommandFailed(
            f"git {doing} did not finish within {timeout:g} seconds and was stopped. Check "
            "the network and the remote, then try again."
        )
    if any(marker in lowered for marker in AUTH_MARKERS):
        return GitAuthFailed(
            f"git {doing} failed: the remote refused the credentials (or none were found). "
            "The workbench uses your own git setup (credential helper, SSH agent) and cannot "
            "ask for a password: configure one, e.g. `git config credential.helper store` or "
            f"`ssh-add`, then try again.\n\n{first_lines(text)}"
        )
    if any(marker in lowered for marker in REJECTED_MARKERS):
        return PushRejected(
            f"git {doing} was rejected: the remote has commits this branch does not have. "
            f"Fetch and pull first, then push again.\n\n{first_lines(text)}"
        )
    files = overwritten_files(text)
    if files:
        return LocalChangesWouldBeLost(
            f"git {doing} would overwrite local changes to {len(files)} file(s): "
            f"{', '.join(files[:20])}. Commit them (or discard them) first.",
            files=files,
        )
    return GitCommandFailed(f"git {doing} failed:\n{first_lines(text) or str(error)}")
