"""Real Git repositories holding a copy of the built demo project, for the dbt-impact tests.

``demo_repository(built_demo, root)`` makes ``<root>`` a repository whose ``demo/`` folder is
the built demo (artifacts included, but ignored by git like a real project's), committed on
``main``; tests then edit files, commit or branch with ``DemoRepository``'s helpers.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import git

PROJECT = "demo"
# Like a real project's .gitignore, but with the seed CSVs versioned (the demo generates them).
GITIGNORE = "target/\nlogs/\nraw_data/\n*.duckdb\n*.duckdb.wal\n.user.yml\n"
AUTHOR = git.Actor("Ada Tester", "ada@example.com")


@dataclass
class DemoRepository:
    root: Path
    repo: git.Repo

    @property
    def project(self) -> Path:
        return self.root / PROJECT

    def path(self, relative: str) -> Path:
        """A file of the demo project."""
        return self.project / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace ``old`` (which must be there) by ``new`` in a project file."""
        path = self.path(relative)
        text = path.read_text()
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1))

    def write(self, relative: str, text: str) -> None:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def commit(self, message: str) -> str:
        """Stage everything and commit; the new commit's sha."""
        self.repo.git.add(A=True)
        return self.repo.index.commit(message, author=AUTHOR, committer=AUTHOR).hexsha

    def branch(self, name: str) -> None:
        """Create branch ``name`` at HEAD and switch to it."""
        self.repo.create_head(name).checkout()


def demo_repository(built_demo: Path, root: Path) -> DemoRepository:
    """A repository at ``root`` holding a copy of the built demo in ``root/demo``, with one
    commit on ``main`` (and a README outside the project)."""
    shutil.copytree(built_demo, root / PROJECT)
    (root / PROJECT / ".gitignore").write_text(GITIGNORE)
    (root / "README.md").write_text("# Analytics\n")
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", AUTHOR.name)
        config.set_value("user", "email", AUTHOR.email)
    result = DemoRepository(root, repo)
    result.commit("The demo project")
    return result
