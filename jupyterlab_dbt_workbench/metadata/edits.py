"""What a metadata edit asks for, checked once where it enters (REST body or Python call).

Every field left as None means "leave it as it is"; an empty description or owner removes it,
an empty tag list removes the tags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jupyterlab_dbt_workbench.errors import InvalidRequest

# Generic tests the workbench knows how to write, and the arguments each requires.
GENERIC_TESTS: Mapping[str, tuple[str, ...]] = {
    "not_null": (),
    "unique": (),
    "accepted_values": ("values",),
    "relationships": ("to", "field"),
}
MAX_TEXT = 20_000
MAX_TAGS = 100
_TAG = re.compile(r"^[\w.:/-]+$")
_EDIT_FIELDS = frozenset({"project", "node", "description", "tags", "owner", "columns"})
_COLUMN_FIELDS = frozenset({"name", "description", "tags", "add_tests"})


@dataclass(frozen=True)
class GenericTest:
    """A generic data test to add to a column: ``unique``, ``accepted_values``..."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnEdit:
    """Changes to one column; the column is added to the file when it is not there."""

    name: str
    description: str | None = None
    tags: tuple[str, ...] | None = None
    add_tests: tuple[GenericTest, ...] = ()


@dataclass(frozen=True)
class MetadataEdit:
    """Changes to one node's properties in its YAML file."""

    node: str
    description: str | None = None
    tags: tuple[str, ...] | None = None
    owner: str | None = None
    columns: tuple[ColumnEdit, ...] = ()

    @property
    def empty(self) -> bool:
        return (
            self.description is None
            and self.tags is None
            and self.owner is None
            and not self.columns
        )


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"{name!r} must be text, not {value!r}.")
    if len(value) > MAX_TEXT:
        raise InvalidRequest(f"{name!r} is longer than {MAX_TEXT} characters.")
    if "\x00" in value:
        raise InvalidRequest(f"{name!r} contains a NUL character.")
    return value


def _tags(value: Any, name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise InvalidRequest(f"{name!r} must be a list of tags (text), not {value!r}.")
    if len(value) > MAX_TAGS:
        raise InvalidRequest(f"{name!r} has more than {MAX_TAGS} tags.")
    tags: list[str] = []
    for raw in value:
        tag = raw.strip()
        if not _TAG.match(tag):
            raise InvalidRequest(
                f"Tag {raw!r} in {name!r} is not allowed: use letters, digits, '_', '-', '.', "
                "':' or '/', without spaces."
            )
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _test(value: Any, where: str) -> GenericTest:
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise InvalidRequest(
            f"Each test in {where} must be a name or {{'name': ..., 'arguments': {{...}}}}, "
            f"not {value!r}."
        )
    name = value["name"]
    required = GENERIC_TESTS.get(name)
    if required is None:
        raise InvalidRequest(
            f"Test {name!r} in {where} cannot be added from here; known tests: "
            f"{', '.join(GENERIC_TESTS)}."
        )
    arguments = value.get("arguments") or {}
    if not isinstance(arguments, dict):
        raise InvalidRequest(f"The arguments of {name!r} in {where} must be an object.")
    missing = [arg for arg in required if arg not in arguments]
    if missing:
        raise InvalidRequest(f"Test {name!r} in {where} needs {', '.join(missing)}.")
    if name == "accepted_values":
        values = arguments["values"]
        if not isinstance(values, list) or not values:
            raise InvalidRequest(f"accepted_values in {where} needs a non-empty list of values.")
        if not all(isinstance(v, (str, int, float, bool)) for v in values):
            raise InvalidRequest(f"accepted_values in {where} takes text, numbers or booleans.")
    if name == "relationships" and not all(
        isinstance(arguments[arg], str) and arguments[arg] for arg in ("to", "field")
    ):
        raise InvalidRequest(
            f"relationships in {where} needs 'to' (e.g. ref('dim_shops')) and 'field' as text."
        )
    return GenericTest(name=name, arguments=dict(arguments))


def _column(value: Any, index: int) -> ColumnEdit:
    if not isinstance(value, dict):
        raise InvalidRequest(f"columns[{index}] must be an object with a 'name'.")
    unknown = sorted(set(value) - _COLUMN_FIELDS)
    if unknown:
        raise InvalidRequest(
            f"Unknown field(s) {', '.join(map(repr, unknown))} in columns[{index}]; known "
            f"fields: {', '.join(sorted(_COLUMN_FIELDS))}."
        )
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequest(f"columns[{index}] needs a 'name'.")
    where = f"column {name!r}"
    tests = value.get("add_tests") or []
    if not isinstance(tests, list):
        raise InvalidRequest(f"'add_tests' of {where} must be a list.")
    return ColumnEdit(
        name=name.strip(),
        description=_text(value.get("description"), f"description of {where}"),
        tags=_tags(value.get("tags"), f"tags of {where}"),
        add_tests=tuple(_test(test, where) for test in tests),
    )


def edit_from_json(body: Any) -> tuple[str | None, MetadataEdit]:
    """The project and the edit of a JSON request body; ``InvalidRequest`` names what is wrong.

    The body is ``{"project", "node", "description"?, "tags"?, "owner"?, "columns"?}`` where
    each column is ``{"name", "description"?, "tags"?, "add_tests"?}``.
    """
    if not isinstance(body, dict):
        raise InvalidRequest(
            'The body must be a JSON object such as {"node": "model.shop.orders", '
            '"description": "..."}.'
        )
    unknown = sorted(set(body) - _EDIT_FIELDS)
    if unknown:
        raise InvalidRequest(
            f"Unknown field(s) {', '.join(map(repr, unknown))}; known fields: "
            f"{', '.join(sorted(_EDIT_FIELDS))}."
        )
    project = body.get("project")
    if project is not None and not isinstance(project, str):
        raise InvalidRequest(f"'project' must be text, not {project!r}.")
    node = body.get("node")
    if not isinstance(node, str) or not node:
        raise InvalidRequest("'node' is required: the unique id of the node to edit.")
    columns = body.get("columns") or []
    if not isinstance(columns, list):
        raise InvalidRequest("'columns' must be a list of column edits.")
    edit = MetadataEdit(
        node=node,
        description=_text(body.get("description"), "description"),
        tags=_tags(body.get("tags"), "tags"),
        owner=_owner(body.get("owner")),
        columns=tuple(_column(column, index) for index, column in enumerate(columns)),
    )
    names = [column.name for column in edit.columns]
    if len(set(names)) != len(names):
        raise InvalidRequest("Each column may appear once in 'columns'.")
    if edit.empty:
        raise InvalidRequest(
            "The edit changes nothing: give a description, tags, owner or columns."
        )
    return project or None, edit


def _owner(value: Any) -> str | None:
    owner = _text(value, "owner")
    if owner is not None and "\n" in owner:
        raise InvalidRequest("'owner' must be one line (a team or a person).")
    return owner.strip() if owner is not None else None
