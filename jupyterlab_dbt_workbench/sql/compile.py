"""Compile the SQL workspace's dbt-flavoured SQL: from the manifest when it can, else with dbt.

Most queries only use ``ref()``, ``source()``, ``var()``, ``env_var()``, ``this`` and
``target``: those are rendered here from the manifest with a sandboxed Jinja environment, in
milliseconds, and the relations are the ``relation_name`` dbt itself wrote in the manifest, so
the text is the one ``dbt compile`` would produce. Anything else (a project or dbt macro,
``config()``, ``execute``, ``adapter``, an unknown filter or tag) is handed to
``dbt compile --inline`` in a subprocess, which knows every macro; that takes seconds.

A ``ref()`` of an ephemeral model also goes through dbt, which inlines the model as the
``__dbt__cte__<name>`` CTE exactly as it does in the project's own models: an ephemeral model
has no relation in the warehouse, and re-implementing dbt's CTE injection would drift from it.
A ``ref()`` of a disabled model, and an unknown ``ref()``/``source()``, raise
``UnknownRelation`` (with the closest names) before dbt is ever started.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import (
    ExternalToolError,
    SqlCompileError,
    UnknownRelation,
)

from .payloads import SqlCompiled

CompileMethod = Literal["manifest", "dbt"]

REF_TYPES = ("model", "seed", "snapshot")
# dbt's name for the relation of an inline query (``this`` in ``dbt compile --inline``).
INLINE_NODE = "inline_query"
DBT_TIMEOUT = 180.0
_JINJA_MARKERS = ("{{", "{%", "{#")
_SECRET_ENV_PREFIX = "DBT_ENV_SECRET_"
_BACKTICK_ADAPTERS = frozenset({"bigquery", "spark", "databricks", "hive"})
# Jinja syntax errors that only mean "dbt has this and plain Jinja does not".
_DBT_ONLY_SYNTAX = ("unknown tag", "no filter named", "no test named")
_NO_DEFAULT = object()


@dataclass(frozen=True)
class ResolvedRelation:
    """A node the query reads: ``relation`` is the quoted name dbt writes for it.

    ``name`` is the node's name for models, seeds and snapshots and ``source.table`` for
    sources; an ephemeral model's relation is its CTE name ``__dbt__cte__<name>``.
    """

    unique_id: str
    name: str
    relation: str


@dataclass(frozen=True)
class CompiledSql:
    """Compiled SQL, how it was compiled, and the relations it reads."""

    sql: str
    method: CompileMethod
    relations: tuple[ResolvedRelation, ...]

    def payload(self) -> SqlCompiled:
        """The ``POST sql/compile`` answer."""
        return {
            "sql": self.sql,
            "method": self.method,
            "relations": [
                {"unique_id": r.unique_id, "name": r.name, "relation": r.relation}
                for r in self.relations
            ],
        }


@dataclass(frozen=True)
class _Entry:
    unique_id: str
    name: str
    package: str
    version: str | None
    latest_version: str | None
    ephemeral: bool
    relation: str
    database: str | None
    schema: str | None
    identifier: str


@dataclass(frozen=True)
class _Index:
    """What rendering needs from a state, built once per state (``state.derived``)."""

    root_package: str | None
    adapter: str | None
    refs: Mapping[str, tuple[_Entry, ...]]
    sources: Mapping[tuple[str, str], _Entry]
    disabled_refs: frozenset[str]
    disabled_sources: frozenset[tuple[str, str]]
    project_vars: Mapping[str, Any]
    quote: str


@dataclass
class _Render:
    """What one rendering found out."""

    relations: dict[str, ResolvedRelation] = field(default_factory=dict)
    # Why the text needs dbt (undefined names, ephemeral refs...), in order of discovery.
    needs_dbt: list[str] = field(default_factory=list)


class _Relation:
    """The object ``ref()``/``source()``/``this`` return: renders as the quoted relation and
    has the attributes templates commonly read (anything else is undefined, so dbt is used)."""

    def __init__(self, text: str, database: str | None, schema: str | None, identifier: str):
        self.text = text
        self.database = database
        self.schema = schema
        self.identifier = identifier
        self.name = identifier
        self.table = identifier

    def render(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


class _Target:
    """``target`` with the connection fields dbt exposes to templates (never secrets)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        return str(getattr(self, "name", ""))


def compile_sql(
    state: ProjectState, sql: str, *, target: str | None = None, dbt: str | None = None
) -> CompiledSql:
    """Compile ``sql`` (dbt Jinja) against the project of ``state``.

    Plain Jinja is rendered from the manifest (``method="manifest"``); SQL that needs macros,
    an ephemeral model, or a ``target`` other than the profile's default goes through
    ``dbt compile --inline`` (``method="dbt"``), run with the executable ``dbt`` (default:
    the dbt of this environment). Raises ``UnknownRelation`` for an unknown or disabled
    ``ref()``/``source()``, ``SqlCompileError`` for anything else that cannot compile
    (dbt's own message when dbt compiled it).
    """
    plain = not any(marker in sql for marker in _JINJA_MARKERS)
    if plain and (target is None or target == _default_target_name(state)):
        return CompiledSql(sql=sql, method="manifest", relations=())
    index = state.derived("sql.compile_index", _build_index)
    # The profile is read only when the text may use it: most queries never do.
    uses_target = target is not None or "target" in sql or "this" in sql
    profile_target = _profile_target(state) if uses_target else None
    render = _Render()
    other_target = target is not None and (
        profile_target is None or target != profile_target.get("name")
    )
    text = _render(index, sql, None if other_target else profile_target, render)
    if other_target:
        render.needs_dbt.append(f"target {target!r}")
    relations = tuple(render.relations.values())
    if not render.needs_dbt:
        return CompiledSql(sql=text, method="manifest", relations=relations)
    compiled = _compile_with_dbt(state, sql, target=target, dbt=dbt)
    return CompiledSql(sql=compiled, method="dbt", relations=relations)


def render_with_manifest(state: ProjectState, sql: str) -> tuple[str, tuple[str, ...]]:
    """``sql`` rendered from the manifest only, with the profile's default target, never
    starting dbt: (the text, why it would need dbt — empty when the text is complete).

    For callers that must answer at once (a GET request comparing two versions of a model)
    and can say "unavailable" instead of waiting seconds for ``dbt compile``. Raises
    ``UnknownRelation`` for an unknown ``ref()``/``source()``.
    """
    index = state.derived("sql.compile_index", _build_index)
    render = _Render()
    text = _render(index, sql, _profile_target(state), render)
    return text, tuple(render.needs_dbt)


# Index ------------------------------------------------------------------------------------------


def _quote(adapter: str | None) -> str:
    return "`" if adapter in _BACKTICK_ADAPTERS else '"'


def _quoted(parts: list[str | None], quote: str) -> str:
    return ".".join(f"{quote}{part}{quote}" for part in parts if part)


def _version(value: Any) -> str | None:
    return None if value is None else str(value)


def _entry(raw: Mapping[str, Any], quote: str, *, source: bool = False) -> _Entry:
    config = raw.get("config")
    materialized = config.get("materialized") if isinstance(config, dict) else None
    ephemeral = not source and materialized == "ephemeral"
    name = str(raw.get("name", ""))
    identifier = str(raw.get("identifier" if source else "alias") or name)
    database, schema = raw.get("database"), raw.get("schema")
    relation = raw.get("relation_name")
    if ephemeral:
        relation = f"__dbt__cte__{name}"
    elif not isinstance(relation, str) or not relation:
        relation = _quoted([database, schema, identifier], quote)
    return _Entry(
        unique_id=str(raw.get("unique_id", "")),
        name=name,
        package=str(raw.get("package_name", "")),
        version=_version(raw.get("version")),
        latest_version=_version(raw.get("latest_version")),
        ephemeral=ephemeral,
        relation=relation,
        database=database if isinstance(database, str) else None,
        schema=schema if isinstance(schema, str) else None,
        identifier=identifier,
    )


def _project_vars(state: ProjectState, root_package: str | None) -> dict[str, Any]:
    """The vars of ``dbt_project.yml`` that the root project sees: global ones and its own."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = (state.project.path / "dbt_project.yml").read_text(encoding="utf-8")
        data = YAML(typ="safe", pure=True).load(text)
    except (OSError, YAMLError):
        return {}
    declared = data.get("vars") if isinstance(data, dict) else None
    if not isinstance(declared, dict):
        return {}
    found = {key: value for key, value in declared.items() if key != root_package}
    scoped = declared.get(root_package) if root_package else None
    if isinstance(scoped, dict):
        found.update(scoped)
    return found


def _build_index(state: ProjectState) -> _Index:
    manifest = state.artifacts["manifest"].data if "manifest" in state.artifacts else {}
    adapter = state.metadata.adapter_type
    quote = _quote(adapter)
    refs: dict[str, list[_Entry]] = {}
    sources: dict[tuple[str, str], _Entry] = {}
    for node in state.nodes.values():
        if node.resource_type in REF_TYPES:
            refs.setdefault(node.name, []).append(_entry(node.raw, quote))
        elif node.resource_type == "source":
            source_name = str(node.raw.get("source_name", ""))
            sources[(source_name, node.name)] = _entry(node.raw, quote, source=True)
    disabled_refs: set[str] = set()
    disabled_sources: set[tuple[str, str]] = set()
    disabled = manifest.get("disabled")
    for versions in disabled.values() if isinstance(disabled, dict) else ():
        for raw in versions if isinstance(versions, list) else ():
            if not isinstance(raw, dict):
                continue
            if raw.get("resource_type") in REF_TYPES:
                disabled_refs.add(str(raw.get("name")))
            elif raw.get("resource_type") == "source":
                disabled_sources.add((str(raw.get("source_name")), str(raw.get("name"))))
    root = state.metadata.project_name
    return _Index(
        root_package=root,
        adapter=adapter,
        refs={name: tuple(entries) for name, entries in refs.items()},
        sources=sources,
        disabled_refs=frozenset(disabled_refs - set(refs)),
        disabled_sources=frozenset(disabled_sources - set(sources)),
        project_vars=_project_vars(state, root),
        quote=quote,
    )


# Target ---------------------------------------------------------------------------------------


def _read_profile_output(state: ProjectState) -> tuple[str, Mapping[str, Any]] | None:
    """(default target name, its output) from the profile dbt would use, or None."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from jupyterlab_dbt_workbench.quality.warehouse import profiles_file

    profile_name = state.project.profile
    try:
        text = profiles_file(state.project.path).read_text(encoding="utf-8")
        profiles = YAML(typ="safe", pure=True).load(text)
    except (OSError, YAMLError):
        return None
    profile = profiles.get(profile_name) if isinstance(profiles, dict) and profile_name else None
    if not isinstance(profile, dict):
        return None
    name = _render_profile_value(os.environ.get("DBT_TARGET") or profile.get("target", "default"))
    outputs = profile.get("outputs")
    output = outputs.get(name) if isinstance(outputs, dict) and isinstance(name, str) else None
    if not isinstance(output, dict) or not isinstance(name, str):
        return None
    return name, output


def _default_target_name(state: ProjectState) -> str | None:
    found = _read_profile_output(state)
    return found[0] if found else None


def _profile_target(state: ProjectState) -> dict[str, Any] | None:
    """The fields of ``target`` for the profile's default target; None when unreadable.

    Read at each compile that uses it (a few milliseconds), not once per state: the profile
    and the environment variables it reads may change while the manifest stays the same.
    """
    found = _read_profile_output(state)
    if found is None:
        return None
    name, output = found
    kind = _render_profile_value(output.get("type"))
    values: dict[str, Any] = {"name": name, "profile_name": state.project.profile, "type": kind}
    threads = _render_profile_value(output.get("threads", 1))
    values["threads"] = int(threads) if str(threads).isdigit() else threads
    if kind == "duckdb":
        path = _render_profile_value(output.get("path", ":memory:"))
        values["path"] = path
        stem = Path(str(path)).stem if path not in (None, ":memory:") else "memory"
        values["database"] = _render_profile_value(output.get("database")) or stem
        values["schema"] = _render_profile_value(output.get("schema")) or "main"
    else:
        for key, options in (
            ("database", ("database", "dbname", "project", "catalog")),
            ("schema", ("schema", "dataset")),
        ):
            for option in options:
                value = _render_profile_value(output.get(option))
                if value is not None:
                    values[key] = value
                    break
    return {key: value for key, value in values.items() if value is not None}


def _render_profile_value(value: Any) -> Any:
    """A profile value with its ``env_var()`` Jinja rendered; None when it cannot be."""
    if not isinstance(value, str) or not any(m in value for m in _JINJA_MARKERS):
        return value
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(undefined=StrictUndefined)
    try:
        return environment.from_string(value).render(env_var=_env_var)
    except (TemplateError, SqlCompileError):
        return None


def _env_var(name: str, default: Any = None) -> Any:
    if str(name).startswith(_SECRET_ENV_PREFIX):
        raise SqlCompileError(
            f"env_var('{name}'): secret environment variables ({_SECRET_ENV_PREFIX}...) can "
            "only be used in profiles.yml and packages.yml, as dbt says."
        )
    value = os.environ.get(str(name))
    if value is not None:
        return value
    if default is not None:
        return default
    raise SqlCompileError(
        f"Env var required but not provided: '{name}'. Set it for the Jupyter server, or give "
        f"env_var() a default: env_var('{name}', 'value')."
    )


# Rendering ------------------------------------------------------------------------------------


def _suggest(name: str, candidates: list[str]) -> list[str]:
    """Close names first (difflib), then names containing the text; five at most."""
    close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.6)
    lowered = name.lower()
    containing = sorted(c for c in candidates if lowered and lowered in c.lower())
    found: list[str] = []
    for candidate in [*close, *containing]:
        if candidate not in found:
            found.append(candidate)
    return found[:5]


def _unknown(kind: str, label: str, call: str, suggestions: list[str]) -> NoReturn:
    if suggestions:
        hint = f"did you mean {', '.join(suggestions)}?"
    else:
        hint = f"no {kind} of the project has a similar name."
    raise UnknownRelation(f"Unknown {kind} '{label}' in {call}; {hint}", suggestions=suggestions)


def _call_text(function: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{function}({', '.join(parts)})"


def _pick_ref(index: _Index, args: tuple[str, ...], version: str | None, call: str) -> _Entry:
    name = args[-1]
    package = args[0] if len(args) == 2 else None
    entries = [e for e in index.refs.get(name, ()) if package is None or e.package == package]
    if not entries:
        if name in index.disabled_refs:
            raise UnknownRelation(
                f"'{name}' in {call} is disabled (enabled: false in its config), so it has no "
                "relation to query; enable it and build it first.",
                suggestions=[],
            )
        label = f"{package}.{name}" if package else name
        _unknown("model", label, call, _suggest(name, sorted(index.refs)))
    if version is not None:
        pinned = [e for e in entries if e.version == version]
        if not pinned:
            versions = sorted({e.version for e in entries if e.version is not None})
            known = f"its versions are {', '.join(versions)}" if versions else "it is unversioned"
            raise UnknownRelation(
                f"Model '{name}' has no version {version} ({call}); {known}.",
                suggestions=[f"{name} v{v}" for v in versions],
            )
        entries = pinned
    elif any(e.version is not None for e in entries):
        # An unpinned ref of a versioned model means its latest version, as in dbt.
        entries = [e for e in entries if e.version is None or e.version == e.latest_version]
    entries.sort(key=lambda e: (e.package != index.root_package, e.package))
    return entries[0]


def _render(index: _Index, sql: str, target: Mapping[str, Any] | None, found: _Render) -> str:
    """Render ``sql`` with ref/source/var/env_var/this/target; records what needs dbt."""
    from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError, Undefined
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class Missing(ChainableUndefined):
        """Any name the manifest cannot provide: noted, and harmless while rendering goes on
        (so that every ref() of the text is still checked before dbt is started)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if issubclass(self._undefined_exception, SecurityError):
                # The sandbox hides an unsafe attribute (``__class__``...): refuse, as dbt would.
                raise SqlCompileError(f"The query's Jinja is not allowed: {self._undefined_hint}")
            found.needs_dbt.append(self._undefined_name or "an undefined value")

        def __call__(self, *args: Any, **kwargs: Any) -> Missing:  # type: ignore[override]
            return self

    def plain(args: tuple[Any, ...], kwargs: Mapping[str, Any], call: str) -> bool:
        if any(isinstance(a, Undefined) or not isinstance(a, str) for a in args) or kwargs:
            found.needs_dbt.append(call)
            return False
        return True

    def note(entry: _Entry, label: str) -> _Relation:
        found.relations.setdefault(
            entry.unique_id, ResolvedRelation(entry.unique_id, label, entry.relation)
        )
        return _Relation(entry.relation, entry.database, entry.schema, entry.identifier)

    def ref(*args: Any, **kwargs: Any) -> Any:
        options = dict(kwargs)
        version = options.pop("v", options.pop("version", None))
        call = _call_text("ref", args, kwargs)
        if not 1 <= len(args) <= 2 or not plain(args, options, call):
            return ""
        entry = _pick_ref(index, args, _version(version), call)
        if entry.ephemeral:
            found.needs_dbt.append(f"ephemeral model {entry.name}")
        return note(entry, entry.name)

    def source(*args: Any, **kwargs: Any) -> Any:
        call = _call_text("source", args, kwargs)
        if len(args) != 2 or not plain(args, kwargs, call):
            return ""
        entry = index.sources.get((args[0], args[1]))
        label = f"{args[0]}.{args[1]}"
        if entry is None:
            if (args[0], args[1]) in index.disabled_sources:
                raise UnknownRelation(
                    f"Source '{label}' in {call} is disabled (enabled: false in its config).",
                    suggestions=[],
                )
            names = sorted(f"{s}.{t}" for s, t in index.sources)
            _unknown("source", label, call, _suggest(label, names))
        return note(entry, label)

    def var(name: Any, default: Any = _NO_DEFAULT) -> Any:
        if name in index.project_vars:
            return index.project_vars[name]
        if default is not _NO_DEFAULT:
            return default
        raise SqlCompileError(
            f"Required var '{name}' is not set: declare it under vars: in dbt_project.yml, or "
            f"give var() a default: var('{name}', 'value')."
        )

    context: dict[str, Any] = {"ref": ref, "source": source, "var": var, "env_var": _env_var}
    if target is not None:
        context["target"] = _Target(target)
        if "schema" in target:
            this = _quoted([target.get("database"), target["schema"], INLINE_NODE], index.quote)
            context["this"] = _Relation(this, target.get("database"), target["schema"], INLINE_NODE)
    environment = SandboxedEnvironment(
        undefined=Missing, extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"]
    )
    try:
        return environment.from_string(sql).render(context)
    except TemplateSyntaxError as error:
        if any(words in error.message.lower() for words in _DBT_ONLY_SYNTAX if error.message):
            found.needs_dbt.append(error.message or "dbt syntax")
            return ""
        raise SqlCompileError(
            f"Jinja syntax error at line {error.lineno}: {error.message}"
        ) from error
    except (UnknownRelation, SqlCompileError):
        raise
    except TemplateError as error:
        raise SqlCompileError(f"The query's Jinja cannot be rendered: {error}") from error
    except (TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as error:
        # A mistake inside a plain expression ({{ 1 / 0 }}, a wrong argument): dbt would
        # fail the same way, with a less direct message.
        raise SqlCompileError(f"The query's Jinja failed: {error}") from error


# dbt fallback ---------------------------------------------------------------------------------


def dbt_compile_argv(
    state: ProjectState, sql: str, folder: Path, *, target: str | None, dbt: str
) -> list[str]:
    """The argument list of ``dbt compile --inline``, writing only inside ``folder``."""
    argv = [
        dbt,
        "compile",
        # The = form keeps SQL that starts with "--" (a comment) from reading as an option.
        f"--inline={sql}",
        "--output",
        "json",
        "--log-format",
        "json",
        "--target-path",
        str(folder / "target"),
        "--log-path",
        str(folder / "logs"),
        "--no-write-json",
        "--no-populate-cache",
    ]
    if (state.project.path / "profiles.yml").is_file():
        argv += ["--profiles-dir", str(state.project.path)]
    if target is not None:
        argv += ["--target", target]
    return argv


def parse_dbt_output(output: str) -> tuple[str | None, list[str]]:
    """(compiled SQL, error messages) from ``dbt compile --output json --log-format json``."""
    compiled: str | None = None
    errors: list[str] = []
    for line in output.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        info = event.get("info") if isinstance(event, dict) else None
        if not isinstance(info, dict):
            continue
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        if info.get("name") == "CompiledNode" and isinstance(data.get("compiled"), str):
            compiled = data["compiled"]
        elif info.get("level") == "error" and isinstance(info.get("msg"), str):
            message = info["msg"].strip()
            # "Encountered an error:" only introduces the message that follows.
            if message and message.rstrip(":") != "Encountered an error":
                errors.append(message.removeprefix("Encountered an error:").strip())
    return compiled, errors


def _compile_with_dbt(state: ProjectState, sql: str, *, target: str | None, dbt: str | None) -> str:
    from jupyterlab_dbt_workbench.runs.command import dbt_environment, dbt_executable

    executable = dbt or dbt_executable()
    with tempfile.TemporaryDirectory(prefix="dbt-workbench-compile-") as temporary:
        folder = Path(temporary)
        (folder / "target").mkdir()
        # dbt's partial-parse file spares a full parse of the project (seconds).
        saved = state.project.target_dir / "partial_parse.msgpack"
        if saved.is_file():
            shutil.copyfile(saved, folder / "target" / saved.name)
        argv = dbt_compile_argv(state, sql, folder, target=target, dbt=executable)
        try:
            done = subprocess.run(
                argv,
                cwd=state.project.path,
                env=dbt_environment(),
                capture_output=True,
                text=True,
                timeout=DBT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise SqlCompileError(
                f"dbt compile took longer than {DBT_TIMEOUT:.0f} s and was stopped."
            ) from error
        except OSError as error:
            raise ExternalToolError(f"dbt could not be started ({executable}): {error}") from error
    compiled, errors = parse_dbt_output(done.stdout)
    if done.returncode == 0 and compiled is not None:
        return compiled
    if errors:
        raise SqlCompileError("\n".join(errors))
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
    raise SqlCompileError(f"dbt compile failed (exit code {done.returncode}): {tail}")


def relations_by_id(state: ProjectState) -> Mapping[str, str]:
    """The quoted relation of every model, seed, snapshot and source, by unique id.

    An ephemeral model's is its CTE name (``__dbt__cte__<name>``): it has no table to read.
    """
    return state.derived("sql.relations", _relations_by_id)


def _relations_by_id(state: ProjectState) -> dict[str, str]:
    index = state.derived("sql.compile_index", _build_index)
    found = {e.unique_id: e.relation for entries in index.refs.values() for e in entries}
    found.update({e.unique_id: e.relation for e in index.sources.values()})
    return found
