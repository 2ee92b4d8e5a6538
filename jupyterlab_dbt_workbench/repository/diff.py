"""Diffs of one file (staged or not) and of a commit, with both sides' text for a viewer.

The patch is git's own (``--no-ext-diff --no-textconv``: the user's external diff tools never
run). The texts of both sides come from git's object store (or the working tree), capped at
``TEXT_LIMIT`` bytes; a side that does not exist (an added file's "before") is ``""``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import NotFound

from .locate import known_path
from .payloads import FileChange, FileDiff
from .status import read_porcelain

if TYPE_CHECKING:
    import git

    from .locate import ProjectRepository

TEXT_LIMIT = 1024 * 1024
# A commit's detail stops carrying file texts after this many bytes in all (patches remain).
COMMIT_TEXT_BUDGET = 16 * TEXT_LIMIT
# git's own test for binary content looks for a NUL in the first 8000 bytes.
BINARY_PROBE = 8000
DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv")

# A side's content: bytes, ABSENT when the file does not exist there, None when it is too large.
ABSENT = b""
Content = bytes | None


def blob(repo: git.Repo, name: str) -> Content:
    """A blob's bytes by object name (``HEAD:path``, ``:path``, ``<sha>:path``)."""
    if "\n" in name:
        # The batch protocol is line-based: such a name cannot be asked for.
        return None
    try:
        _sha, kind, size = repo.git.get_object_header(name)
    except ValueError:
        return ABSENT
    if kind != b"blob":
        return ABSENT
    if size > TEXT_LIMIT:
        return None
    return bytes(repo.git.get_object_data(name)[3])


def worktree_file(root: Path, path: str) -> Content:
    """A working-tree file as git sees it: a symlink is its target's name, never followed."""
    full = root / path
    if full.is_symlink():
        return os.fsencode(full.readlink())
    if not full.is_file():
        return ABSENT
    if full.stat().st_size > TEXT_LIMIT:
        return None
    return full.read_bytes()


def counts(patch: str) -> tuple[int, int]:
    """Added and removed lines of a unified patch (header lines excluded)."""
    additions = deletions = 0
    in_hunk = False
    for line in patch.splitlines():
        if line.startswith("@@"):
            in_hunk = True
        elif line.startswith("diff --git "):
            in_hunk = False
        elif in_hunk and line.startswith("+"):
            additions += 1
        elif in_hunk and line.startswith("-"):
            deletions += 1
    return additions, deletions


def is_binary(patch: str, *sides: Content) -> bool:
    header = patch.split("\n@@", 1)[0]
    if "\nBinary files " in header or header.startswith("Binary files "):
        return True
    return any(side is not None and b"\x00" in side[:BINARY_PROBE] for side in sides)


def _text(content: Content, binary: bool) -> str | None:
    if content is None or binary:
        return None
    return content.decode("utf-8", errors="replace")


def make_diff(
    path: str, old_path: str | None, change: FileChange, old: Content, new: Content, patch: str
) -> FileDiff:
    """The payload of one file's diff from its two sides and git's patch."""
    binary = is_binary(patch, old, new)
    additions, deletions = counts(patch)
    return FileDiff(
        path=path,
        old_path=old_path,
        change=change,
        binary=binary,
        old_text=_text(old, binary),
        new_text=_text(new, binary),
        patch=patch,
        additions=additions,
        deletions=deletions,
    )


def _change(letter: str) -> FileChange:
    if letter in ("A", "C", "?"):
        return "added"
    if letter == "D":
        return "deleted"
    if letter == "R":
        return "renamed"
    return "modified"


def file_diff(project: ProjectRepository, path: str, *, staged: bool) -> FileDiff:
    """One file's diff: ``staged`` is the index against HEAD, else the working tree against the
    index (an untracked file is all added). ``path`` is checked by ``locate.repo_path``.

    A file without changes on that side gives an empty patch; one that exists nowhere is 404.
    """
    repo = project.repo
    entry = next((item for item in read_porcelain(repo).files if path in (item[0], item[1])), None)
    if entry is not None and entry[1] == path:
        path = entry[0]  # asked by the old name of a rename: show the rename
    current, old_path, xy, conflicted = entry if entry is not None else (path, None, "  ", False)
    untracked = xy == "??"
    if staged:
        before = old_path if xy[0] == "R" else path
        old = blob(repo, f"HEAD:{before}")
        new = blob(repo, f":{current}")
        pathspec = [before, current] if before != current else [current]
        patch = repo.git.diff(
            "--cached", "-M", *DIFF_OPTIONS, "--", *pathspec, strip_newline_in_stdout=False
        )
        change = _change(xy[0])
        shown_old = before if xy[0] == "R" else None
    else:
        old = ABSENT if untracked else blob(repo, f":2:{current}" if conflicted else f":{current}")
        new = worktree_file(project.root, current)
        if untracked:
            # Exit status 1 means "differences found": not a failure here.
            patch = repo.git.diff(
                "--no-index",
                *DIFF_OPTIONS,
                "--",
                os.devnull,
                current,
                with_exceptions=False,
                strip_newline_in_stdout=False,
            )
        else:
            patch = repo.git.diff(*DIFF_OPTIONS, "--", current, strip_newline_in_stdout=False)
        change = _change("?" if untracked else xy[1])
        shown_old = None
    if entry is None and not known_path(project, current):
        raise NotFound(f"No file {path!r} in the repository.", reason="file_not_found")
    return make_diff(current, shown_old, change, old, new, str(patch))


def _split_patch(patch: str) -> list[str]:
    """A multi-file patch cut into per-file patches (each starts with ``diff --git``)."""
    pieces: list[str] = []
    for line in patch.splitlines(keepends=True):
        if line.startswith("diff --git ") or not pieces:
            pieces.append(line)
        else:
            pieces[-1] += line
    return pieces


def commit_files(repo: git.Repo, sha: str, parent: str | None) -> list[FileDiff]:
    """Every file a commit changed, against ``parent`` (its first parent; None for a root)."""
    trees = [parent, sha] if parent is not None else ["--root", sha]
    listing = repo.git.diff_tree(
        "-r", "-z", "-M", "--no-commit-id", "--name-status", *trees, strip_newline_in_stdout=False
    )
    patch = repo.git.diff_tree(
        "-r", "-p", "-M", "--no-commit-id", *DIFF_OPTIONS, *trees, strip_newline_in_stdout=False
    )
    fields = iter(str(listing).split("\x00"))
    entries: list[tuple[str, str | None, str]] = []
    for letters in fields:
        if not letters:
            continue
        first = next(fields, "")
        if letters[0] in "RC":
            entries.append((next(fields, ""), first if letters[0] == "R" else None, letters[0]))
        else:
            entries.append((first, None, letters[0]))
    patches = _split_patch(str(patch))
    budget = COMMIT_TEXT_BUDGET
    files = []
    for position, (path, old_path, letter) in enumerate(entries):
        before = old_path or path
        old: Content = ABSENT
        new: Content = ABSENT
        if budget > 0:
            old = blob(repo, f"{parent}:{before}") if parent is not None else ABSENT
            new = blob(repo, f"{sha}:{path}")
            budget -= len(old or b"") + len(new or b"")
        else:
            old = new = None
        piece = patches[position] if len(patches) == len(entries) else ""
        files.append(make_diff(path, old_path, _change(letter), old, new, piece))
    return files
