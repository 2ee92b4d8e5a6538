"""``state:`` selectors: compare each node with its entry in a baseline manifest, as dbt does.

dbt compares typed node objects; this module applies the same rules to the manifest JSON of
both sides, so any two manifests can be compared without dbt. The rules, per kind:

- models, seeds, snapshots, analyses, singular tests, functions: same body (a seed's file
  checksum), same configs (the unrendered config, without alias/schema/database/tags/group),
  same persisted descriptions (when ``persist_docs`` asks), same fqn, same database
  representation (unrendered database/schema/alias) and, for models, the same contract,
  latest version, access and deprecation date;
- generic tests: same test modifiers (severity, where, limit, ...) and fqn;
- sources, exposures, metrics, semantic models, saved queries: their own fields (a source
  that did not exist before is *not* ``state:modified`` in dbt, only ``state:new``);
- unit tests: the checksum of their definition;
- anything whose macros (or the macros they call) changed.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import NODE_SECTIONS, ProjectState

from .selector_parser import SelectorError

Raw = Mapping[str, Any]

STATE_VALUES = (
    "new",
    "old",
    "modified",
    "unmodified",
    "modified.body",
    "modified.configs",
    "modified.persisted_descriptions",
    "modified.relation",
    "modified.macros",
    "modified.contract",
)

# Config keys dbt leaves out of the config comparison (they belong to the relation, or are
# metadata).
_CONFIG_EXCLUDED = frozenset({"alias", "schema", "database", "tags", "group"})
_GROUP_ONLY = frozenset({"group"})
# A test's config compares only the keys that change its outcome.
_TEST_MODIFIERS = (
    "severity",
    "where",
    "limit",
    "fail_calc",
    "warn_if",
    "error_if",
    "store_failures",
    "store_failures_as",
)
_EMPTY: Raw = {}


def _map(value: Any) -> Raw:
    return value if isinstance(value, dict) else _EMPTY


def _unrendered(raw: Raw) -> Raw:
    return _map(raw.get("unrendered_config"))


def _same_keys(new: Raw, old: Raw, excluded: frozenset[str]) -> bool:
    if new == old:
        return True
    for key in new.keys() | old.keys():
        if key in excluded:
            continue
        if (key in new) != (key in old) or new.get(key) != old.get(key):
            return False
    return True


def _is_generic_test(raw: Raw) -> bool:
    return raw.get("resource_type") == "test" and isinstance(raw.get("test_metadata"), dict)


def same_config(new: Raw, old: Raw) -> bool:
    """dbt's ``same_config`` for parsed nodes and sources, exposures and metrics."""
    resource_type = new.get("resource_type")
    if resource_type == "test":
        new_config, old_config = _unrendered(new), _unrendered(old)
        if new_config == old_config:
            return True
        return all(
            (key in new_config) == (key in old_config)
            and new_config.get(key) == old_config.get(key)
            for key in _TEST_MODIFIERS
        )
    if resource_type in ("semantic_model", "saved_query"):
        return new.get("config") == old.get("config")
    excluded = _GROUP_ONLY if resource_type == "metric" else _CONFIG_EXCLUDED
    if resource_type in ("source", "exposure"):
        excluded = frozenset()
    return _same_keys(_unrendered(new), _unrendered(old), excluded)


def same_body(new: Raw, old: Raw) -> bool:
    """The same code (a seed: the same file checksum)."""
    if new.get("resource_type") == "seed":
        return new.get("checksum") == old.get("checksum")
    return new.get("raw_code") == old.get("raw_code")


def same_relation(new: Raw, old: Raw) -> bool:
    """The same configured database, schema and alias (identifier for sources)."""
    if new.get("resource_type") == "source":
        # dbt compares the rendered names of sources by default.
        return all(new.get(key) == old.get(key) for key in ("database", "schema", "identifier"))
    new_config, old_config = _unrendered(new), _unrendered(old)
    return all(
        new_config.get(key) == old_config.get(key) for key in ("database", "schema", "alias")
    )


def same_persisted_descriptions(new: Raw, old: Raw) -> bool:
    """The same descriptions where ``persist_docs`` writes them to the warehouse."""
    persist = _map(_map(new.get("config")).get("persist_docs"))
    if persist.get("relation") and new.get("description") != old.get("description"):
        return False
    if persist.get("columns"):

        def descriptions(raw: Raw) -> dict[str, Any]:
            return {
                name: _map(column).get("description")
                for name, column in _map(raw.get("columns")).items()
            }

        if descriptions(new) != descriptions(old):
            return False
    return True


def _enforced(raw: Raw) -> bool:
    return _map(raw.get("contract")).get("enforced") is True


def same_contract(new: Raw, old: Raw) -> bool:
    """dbt's contract comparison: any change to an enforced contract counts."""
    if new.get("resource_type") != "model":
        return True
    new_enforced, old_enforced = _enforced(new), _enforced(old)
    if not new_enforced and not old_enforced:
        return True
    return (
        new_enforced
        and old_enforced
        and _map(new.get("contract")).get("checksum") == _map(old.get("contract")).get("checksum")
    )


def _same_parsed(new: Raw, old: Raw) -> bool:
    if _is_generic_test(new):
        return same_config(new, old) and new.get("fqn") == old.get("fqn")
    same = (
        same_body(new, old)
        and same_config(new, old)
        and same_persisted_descriptions(new, old)
        and new.get("fqn") == old.get("fqn")
        and same_relation(new, old)
        and same_contract(new, old)
    )
    resource_type = new.get("resource_type")
    if same and resource_type == "model":
        same = all(
            new.get(key) == old.get(key) for key in ("latest_version", "access", "deprecation_date")
        )
    if same and resource_type == "function":
        same = all(new.get(key) == old.get(key) for key in ("arguments", "returns"))
    return same


def _same_source(new: Raw, old: Raw) -> bool:
    return (
        same_relation(new, old)
        and new.get("fqn") == old.get("fqn")
        and same_config(new, old)
        and all(
            new.get(key) == old.get(key)
            for key in ("quoting", "freshness", "loaded_at_field", "external")
        )
    )


def _same_exposure(new: Raw, old: Raw) -> bool:
    return (
        all(
            new.get(key) == old.get(key)
            for key in ("fqn", "type", "owner", "maturity", "url", "description", "label")
        )
        and set(_map(new.get("depends_on")).get("nodes") or ())
        == set(_map(old.get("depends_on")).get("nodes") or ())
        and same_config(new, old)
    )


def _same_metric(new: Raw, old: Raw) -> bool:
    return all(new.get(key) == old.get(key) for key in ("type", "description", "label")) and (
        same_config(new, old)
    )


def _same_semantic_model(new: Raw, old: Raw) -> bool:
    keys = (
        "model",
        "description",
        "defaults",
        "entities",
        "dimensions",
        "measures",
        "config",
        "primary_entity",
        "group",
    )
    return all(new.get(key) == old.get(key) for key in keys)


def _same_exports(new: Any, old: Any) -> bool:
    new_exports = new if isinstance(new, list) else []
    old_exports = old if isinstance(old, list) else []
    if len(new_exports) != len(old_exports):
        return False
    for new_export, old_export in zip(new_exports, old_exports, strict=True):
        new_map, old_map = _map(new_export), _map(old_export)
        if new_map.get("name") != old_map.get("name"):
            return False
        new_config, old_config = _unrendered(new_map), _unrendered(old_map)
        if any(
            new_config.get(key) != old_config.get(key) for key in ("export_as", "schema", "alias")
        ):
            return False
    return True


def _same_saved_query(new: Raw, old: Raw) -> bool:
    new_params, old_params = _map(new.get("query_params")), _map(old.get("query_params"))
    return (
        all(new_params.get(key) == old_params.get(key) for key in ("metrics", "group_by", "where"))
        and all(new.get(key) == old.get(key) for key in ("description", "label", "config", "group"))
        and _same_exports(new.get("exports"), old.get("exports"))
        and new.get("tags") == old.get("tags")
    )


_SAME_CONTENTS: Mapping[str, Callable[[Raw, Raw], bool]] = {
    "source": _same_source,
    "exposure": _same_exposure,
    "metric": _same_metric,
    "semantic_model": _same_semantic_model,
    "saved_query": _same_saved_query,
    "unit_test": lambda new, old: new.get("checksum") == old.get("checksum"),
}
# Kinds that count as unchanged when the baseline did not have them (dbt's quirk).
_NEW_IS_SAME = frozenset({"source", "exposure", "metric", "semantic_model", "saved_query"})
# Kinds that have dbt's ``same_config`` / ``same_database_representation``.
_HAS_CONFIG = frozenset({"source", "exposure", "metric", "semantic_model", "saved_query"})


class StateComparison:
    """Compares the nodes of ``current`` with those of ``baseline`` for one ``state:`` value."""

    def __init__(self, current: ProjectState, baseline: ProjectState) -> None:
        self.current = current
        self.baseline = baseline
        self._modified_macros: frozenset[str] | None = None
        self._macro_verdicts: dict[str, bool] = {}
        # The manifest entries as the plain dicts they are (node.raw wraps them read-only,
        # and every lookup through the wrapper costs).
        self._current_raw = _entries(current)
        self._baseline_raw = _entries(baseline)
        self._selected: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def selected(self, value: str, members: Iterable[str]) -> frozenset[str]:
        """The members whose comparison for ``state:<value>`` holds, computed once.

        Both states are immutable, so a verdict never changes: the UI asking for
        ``state:modified+`` again, or several selectors sharing it, cost a set lookup.
        """
        check = self.check(value)
        with self._lock:
            found = self._selected.get(value)
            if found is None:
                current, baseline = self._current_raw, self._baseline_raw
                found = frozenset(uid for uid in members if check(current[uid], baseline.get(uid)))
                self._selected[value] = found
        return found

    # Macros ---------------------------------------------------------------------------------

    def _macros(self, state: ProjectState) -> Raw:
        return _map(state.artifacts["manifest"].data.get("macros"))

    def modified_macros(self) -> frozenset[str]:
        """Macros added, removed or whose SQL changed."""
        if self._modified_macros is None:
            new, old = self._macros(self.current), self._macros(self.baseline)
            changed = {
                uid
                for uid, macro in new.items()
                if uid not in old or _map(macro).get("macro_sql") != _map(old[uid]).get("macro_sql")
            }
            changed.update(uid for uid in old if uid not in new)
            self._modified_macros = frozenset(changed)
        return self._modified_macros

    def _macro_changed(self, macro_id: str, visiting: set[str]) -> bool:
        verdict = self._macro_verdicts.get(macro_id)
        if verdict is not None:
            return verdict
        if macro_id in visiting:
            return False
        visiting.add(macro_id)
        changed = macro_id in self.modified_macros()
        if not changed:
            macro = _map(self._macros(self.current).get(macro_id))
            calls = _map(macro.get("depends_on")).get("macros") or ()
            changed = any(self._macro_changed(called, visiting) for called in calls)
        self._macro_verdicts[macro_id] = changed
        return changed

    def macros_changed(self, raw: Raw) -> bool:
        """Whether a macro the node calls, directly or through other macros, changed."""
        if not (
            self._modified_macros if self._modified_macros is not None else self.modified_macros()
        ):
            return False
        calls = _map(raw.get("depends_on")).get("macros") or ()
        return any(self._macro_changed(macro_id, set()) for macro_id in calls)

    # Nodes ----------------------------------------------------------------------------------

    def _is_parsed(self, raw: Raw) -> bool:
        return raw.get("resource_type") not in _SAME_CONTENTS

    def modified(self, new: Raw, old: Raw | None) -> bool:
        """dbt's ``state:modified``."""
        resource_type = new.get("resource_type")
        if new is old:
            different = False
        elif old is None:
            different = resource_type not in _NEW_IS_SAME
        elif self._is_parsed(new):
            different = not _same_parsed(new, old)
        else:
            different = not _SAME_CONTENTS[str(resource_type)](new, old)
        if different:
            return True
        if self.macros_changed(new):
            return True
        return (
            old is not None and old.get("resource_type") == "model" and not same_contract(new, old)
        )

    def check(self, value: str) -> Callable[[Raw, Raw | None], bool]:
        """The test for one ``state:`` value; ``SelectorError`` for an unknown one."""
        parsed = self._is_parsed

        def with_method(same: Callable[[Raw, Raw], bool], applies: Callable[[Raw], bool]) -> Any:
            return lambda new, old: applies(new) and (old is None or not same(new, old))

        checks: dict[str, Callable[[Raw, Raw | None], bool]] = {
            "new": lambda new, old: old is None,
            "old": lambda new, old: old is not None,
            "modified": self.modified,
            "unmodified": lambda new, old: not self.modified(new, old),
            "modified.body": with_method(same_body, parsed),
            "modified.configs": with_method(
                same_config, lambda raw: parsed(raw) or raw.get("resource_type") in _HAS_CONFIG
            ),
            "modified.persisted_descriptions": with_method(same_persisted_descriptions, parsed),
            "modified.relation": with_method(
                same_relation, lambda raw: parsed(raw) or raw.get("resource_type") == "source"
            ),
            "modified.macros": lambda new, old: self.macros_changed(new),
            "modified.contract": with_method(same_contract, parsed),
        }
        try:
            return checks[value]
        except KeyError:
            raise SelectorError(
                f"Unknown state selector 'state:{value}'. Use one of: "
                f"{', '.join(f'state:{name}' for name in STATE_VALUES)}."
            ) from None


def _entries(state: ProjectState) -> dict[str, Raw]:
    manifest = state.artifacts["manifest"].data
    entries: dict[str, Raw] = {}
    for section in NODE_SECTIONS:
        entries.update(_map(manifest.get(section)))
    return entries


_SHARED_LOCK = threading.Lock()


def shared_comparison(current: ProjectState, baseline: ProjectState) -> StateComparison:
    """The one comparison of ``current`` with ``baseline``, kept with ``current``.

    Keyed by the baseline object (the workbench keeps recent baselines), checked through a
    weak reference so that a new baseline never inherits a dead one's verdicts.
    """
    cache: dict[int, tuple[weakref.ref[ProjectState], StateComparison]] = current.derived(
        "state_comparisons", lambda _: {}
    )
    with _SHARED_LOCK:
        entry = cache.get(id(baseline))
        if entry is not None and entry[0]() is baseline:
            return entry[1]
        comparison = StateComparison(current, baseline)
        cache[id(baseline)] = (weakref.ref(baseline), comparison)
        return comparison
