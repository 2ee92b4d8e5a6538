"""One YAML file, parsed in round-trip mode and written back with the least change.

ruamel.yaml keeps comments, key order, quoting, anchors and flow styles. What it cannot know
(the file's indentation) is read from the text, and the output is merged onto the original
text so that lines the edit did not touch stay byte for byte as they were, whatever the
round trip would have normalised.
"""

from __future__ import annotations

import difflib
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from jupyterlab_dbt_workbench.errors import InvalidYaml

_KEY_ONLY = re.compile(r"^( *)[^\s#-][^#]*:\s*(#.*)?$")
_DASH = re.compile(r"^( *)- ")
_CONTENT = re.compile(r"^( *)[^\s#]")


def _yaml(mapping: int = 2, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Never re-wrap long lines: descriptions are often written on one long line.
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def _indentation(lines: list[str]) -> tuple[int, int]:
    """(mapping indent, offset of '-' under its key) as the file uses them; (2, 2) if unsure."""
    mapping: int | None = None
    offset: int | None = None
    for index, line in enumerate(lines):
        key = _KEY_ONLY.match(line)
        if key is None:
            continue
        following = next(
            (nxt for nxt in lines[index + 1 :] if nxt.strip() and not nxt.lstrip().startswith("#")),
            None,
        )
        if following is None:
            break
        dash, content = _DASH.match(following), _CONTENT.match(following)
        if dash is not None and offset is None:
            offset = len(dash.group(1)) - len(key.group(1))
        elif dash is None and content is not None and mapping is None:
            step = len(content.group(1)) - len(key.group(1))
            if step > 0:
                mapping = step
        if mapping is not None and offset is not None:
            break
    return (mapping or 2, offset if offset is not None and offset >= 0 else 2)


def syntax_error(error: YAMLError, label: str) -> InvalidYaml:
    """The user-facing error for a file ruamel cannot parse, saying where."""
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        line, column = mark.line + 1, mark.column + 1
        problem = error.problem or "syntax error"
        return InvalidYaml(
            f"{label} is not valid YAML ({problem} at line {line}, column {column}), so it "
            "was not changed. Fix the file, then try again.",
            path=label,
            line=line,
            column=column,
        )
    detail = " ".join(str(error).split())
    return InvalidYaml(
        f"{label} is not valid YAML ({detail}), so it was not changed. Fix the file, then "
        "try again.",
        path=label,
    )


class YamlDocument:
    """The parsed content of one properties file (``data``) and how to write it back."""

    def __init__(self, text: str, label: str) -> None:
        self.label = label
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.original = text.replace("\r\n", "\n")
        mapping, offset = _indentation(self.original.splitlines())
        self._yaml = _yaml(mapping, offset)
        try:
            self.data: Any = self._yaml.load(self.original) if self.original.strip() else None
        except YAMLError as error:
            raise syntax_error(error, label) from error
        # What the round trip writes for the unchanged data: the reference the merge
        # compares the edited output with.
        self._unchanged = self._dump(self.data) if self.data is not None else ""

    def _dump(self, data: Any) -> str:
        buffer = io.StringIO()
        self._yaml.dump(data, buffer)
        return buffer.getvalue()

    def render(self) -> str:
        """The file's new text: the original with only the edited lines replaced."""
        edited = self._dump(self.data)
        merged = _merge(self.original, self._unchanged, edited)
        if merged != edited and not _same_data(merged, edited):
            merged = edited
        return merged.replace("\n", self.newline) if self.newline != "\n" else merged


def check_valid(text: str, label: str) -> None:
    """Refuse (``InvalidYaml``) text that does not parse: nothing broken is ever written."""
    try:
        _yaml().load(text)
    except YAMLError as error:
        raise syntax_error(error, label) from error


def _same_data(first: str, second: str) -> bool:
    safe = YAML(typ="safe", pure=True)
    try:
        return bool(safe.load(first) == safe.load(second))
    except YAMLError:
        return False


def _merge(original: str, unchanged: str, edited: str) -> str:
    """Apply the changes between ``unchanged`` and ``edited`` to ``original``.

    ``unchanged`` is the round trip of ``original``; where both agree line for line the
    change lands on the original text. Any change touching a line the round trip rewrote
    falls back to ``edited`` whole (correct, if less tidy).
    """
    if original == unchanged or not original:
        return edited
    base, source, target = (
        text.splitlines(keepends=True) for text in (unchanged, original, edited)
    )
    to_source: dict[int, int] = {}
    aligned = difflib.SequenceMatcher(None, base, source, autojunk=False)
    for tag, i1, i2, j1, _ in aligned.get_opcodes():
        if tag == "equal":
            to_source.update({i1 + k: j1 + k for k in range(i2 - i1)})
    out: list[str] = []
    position = 0
    changes = difflib.SequenceMatcher(None, base, target, autojunk=False)
    for tag, i1, i2, j1, j2 in changes.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:
            if i1 - 1 in to_source:
                start = end = to_source[i1 - 1] + 1
            elif i1 in to_source:
                start = end = to_source[i1]
            elif i1 == 0:
                start = end = 0
            else:
                return edited
        else:
            if any(index not in to_source for index in range(i1, i2)):
                return edited
            start, end = to_source[i1], to_source[i2 - 1] + 1
            if end - start != i2 - i1:
                return edited
        if start < position:
            return edited
        out += source[position:start]
        out += target[j1:j2]
        position = end
    out += source[position:]
    return "".join(out)
