"""The search index of one project state: every node, macro and column, built in one pass.

An inverted index from words to documents (a node or a macro), each posting holding the
weight of the best field the word occurs in, so a query never reads the documents
themselves except for the page of results it shows. Prefixes are found by bisecting the
sorted vocabulary; typos by a deletion neighbourhood over the vocabulary's words (a word and
the word a typo made of it share a string with one or two letters deleted).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any, NamedTuple

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.collector import collector_paused

from .query import TOKEN

# Field weights: a word's posting keeps the heaviest field it occurs in.
NAME = 100
ALIAS = 60  # alias, identifier, source name, label
TEST_NAME = 30  # a test's name repeats its model's and column's: not a name to rank first
TAG = 40
COLUMN = 35
OWNER = 30
DESCRIPTION = 20
COLUMN_DESCRIPTION = 15
META = 12
SQL = 5

# Marks a whole column name in the vocabulary (a word never contains it).
WHOLE = "="
# Words of at least this many letters tolerate one typo, and two from the second length.
FUZZY_MIN = (4, 8)

TESTS = frozenset({"test", "unit_test"})
# Listing order of the kinds, for ties: what users look for first.
_KIND_ORDER: Mapping[str, int] = {
    "model": 0,
    "source": 1,
    "seed": 2,
    "snapshot": 3,
    "exposure": 4,
    "metric": 5,
    "semantic_model": 6,
    "saved_query": 7,
    "macro": 8,
    "analysis": 9,
    "test": 11,
    "unit_test": 12,
}
# Macro packages of dbt itself and of its adapters: hundreds of internals nobody searches.
_ADAPTERS = frozenset(
    {
        "athena",
        "bigquery",
        "clickhouse",
        "databricks",
        "duckdb",
        "fabric",
        "postgres",
        "redshift",
        "snowflake",
        "spark",
        "sqlserver",
        "synapse",
        "trino",
    }
)


class Entry(NamedTuple):
    """One searchable document: a node of the state or a macro of the manifest."""

    unique_id: str
    name: str
    resource_type: str
    package: str
    schema: str | None
    materialized: str | None
    tags: tuple[str, ...]
    owner: str | None
    description: str
    # The name's words joined by one space: "stg_orders" and "stg orders" name the same.
    name_words: str
    meta: Mapping[str, Any]
    raw: Mapping[str, Any]
    catalog: Mapping[str, Any] | None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _meta(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    return {**_mapping(_mapping(raw.get("config")).get("meta")), **_mapping(raw.get("meta"))}


def owner_of(raw: Mapping[str, Any], meta: Mapping[str, Any]) -> str | None:
    """The owner the entity pages show: ``meta.owner``, else an exposure's owner."""
    owner = meta.get("owner")
    if isinstance(owner, str):
        return owner
    exposure_owner = _mapping(raw.get("owner"))
    return _text(exposure_owner.get("name")) or _text(exposure_owner.get("email"))


def _values(value: Any) -> Iterator[str]:
    """Every string and number inside a meta value, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)


def meta_text(meta: Mapping[str, Any]) -> str:
    """A meta mapping as searchable text: its keys and every value."""
    return " ".join((*meta.keys(), *_values(meta))) if meta else ""


class ColumnText(NamedTuple):
    name: str
    description: str
    # Tags and meta of the column, as text.
    extra: str


def columns_of(entry: Entry) -> list[ColumnText]:
    """The declared columns (with their YAML spelling), then the catalog's other ones."""
    declared = _mapping(entry.raw.get("columns"))
    found: list[ColumnText] = []
    seen: set[str] = set()
    for name, spec in declared.items():
        spec = _mapping(spec)
        config = _mapping(spec.get("config"))
        tags = spec.get("tags") or config.get("tags") or ()
        meta = _mapping(spec.get("meta")) or _mapping(config.get("meta"))
        extra = " ".join((*(t for t in tags if isinstance(t, str)), meta_text(meta)))
        found.append(ColumnText(name, _text(spec.get("description")) or "", extra.strip()))
        seen.add(name.lower())
    if entry.catalog:
        for name in _mapping(entry.catalog.get("columns")):
            if name.lower() not in seen:
                found.append(ColumnText(name, "", ""))
    return found


def sql_of(entry: Entry) -> str:
    """The code searched: raw SQL (or Python), a macro's body; not a generic test's stub."""
    raw = entry.raw
    if raw.get("test_metadata") is not None:
        return ""
    return _text(raw.get("raw_code")) or _text(raw.get("macro_sql")) or ""


def alias_text(raw: Mapping[str, Any], resource_type: str) -> str:
    """Other names of an entity: alias, identifier, source name, label. Not a test's alias:
    dbt makes it of a hash."""
    if resource_type in TESTS:
        return ""
    names = (raw.get("alias"), raw.get("identifier"), raw.get("source_name"), raw.get("label"))
    return " ".join(name for name in names if isinstance(name, str))


def _macros(state: ProjectState) -> Iterator[Entry]:
    manifest = state.artifacts["manifest"].data
    adapter = state.metadata.adapter_type
    for unique_id, raw in _mapping(manifest.get("macros")).items():
        if not isinstance(raw, dict):
            continue
        package = _text(raw.get("package_name")) or ""
        if package == "dbt" or (
            package.startswith("dbt_") and (package[4:] in _ADAPTERS or package[4:] == adapter)
        ):
            continue
        name = _text(raw.get("name")) or unique_id
        meta = _meta(raw)
        yield Entry(
            unique_id,
            name,
            "macro",
            package,
            None,
            None,
            (),
            owner_of(raw, meta),
            _text(raw.get("description")) or "",
            " ".join(TOKEN.findall(name.lower())),
            meta,
            raw,
            None,
        )


def _entries(state: ProjectState) -> Iterator[Entry]:
    for unique_id in state.order:
        node = state.nodes[unique_id]
        meta = _meta(node.raw)
        yield Entry(
            unique_id,
            node.name,
            node.resource_type,
            node.package_name,
            node.schema,
            node.materialized,
            node.tags,
            owner_of(node.raw, meta),
            node.description,
            " ".join(TOKEN.findall(node.name.lower())),
            meta,
            node.raw,
            node.catalog,
        )
    yield from _macros(state)


def _column_words(entry: Entry) -> tuple[str, str, str]:
    """The column names, descriptions and tags/meta of an entry, each as one text.

    ``columns_of`` for the index: the same words without building a column object each, as
    the build meets 100,000 of them.
    """
    declared = entry.raw.get("columns")
    descriptions: list[str] = []
    extras: list[str] = []
    names = ""
    if type(declared) is dict and declared:
        names = " ".join(declared)
        for spec in declared.values():
            get = spec.get
            description = get("description")
            if description:
                descriptions.append(description)
            tags, meta, config = get("tags"), get("meta"), get("config")
            if config and not (tags or meta):
                tags, meta = config.get("tags"), config.get("meta")
            if tags:
                extras.extend(tag for tag in tags if isinstance(tag, str))
            if meta:
                extras.append(meta_text(_mapping(meta)))
    if entry.catalog:
        found = entry.catalog.get("columns")
        if type(found) is dict and found:
            # Names the YAML declared come again here: repeated words cost nothing.
            names = f"{names} {' '.join(found)}"
    return names, " ".join(descriptions), " ".join(extras)


def _weights(entry: Entry) -> dict[str, int]:
    """Each word of the entry with the weight of the heaviest field it occurs in.

    Fields are added lightest first so a heavier field overwrites: the updates run in C,
    which matters for 100,000 columns.
    """
    raw = entry.raw
    best: dict[str, int] = {}
    update, keys, find = best.update, dict.fromkeys, TOKEN.findall
    sql = sql_of(entry)
    if sql:
        update(keys(find(sql.lower()), SQL))
    names, described, extras = _column_words(entry)
    meta = meta_text(entry.meta)
    if meta or extras:
        update(keys(find(f"{meta} {extras}".lower()), META))
    if described:
        update(keys(find(described.lower()), COLUMN_DESCRIPTION))
    if entry.description:
        update(keys(find(entry.description.lower()), DESCRIPTION))
    if entry.owner:
        update(keys(find(entry.owner.lower()), OWNER))
    if names:
        lowered = names.lower()
        update(keys(find(lowered), COLUMN))
        # Whole column names too, marked so they never meet a word: "account_id" the
        # column outranks "account" and "id" found apart.
        update(keys([WHOLE + name for name in lowered.split()], COLUMN))
    if entry.tags:
        update(keys(find(" ".join(entry.tags).lower()), TAG))
    is_test = entry.resource_type in TESTS
    aliases = alias_text(raw, entry.resource_type)
    if aliases:
        update(keys(find(aliases.lower()), ALIAS))
    update(keys(entry.name_words.split(), TEST_NAME if is_test else NAME))
    return best


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` with ``depth`` letters deleted, every way."""
    size = len(word)
    return {
        "".join(word[i] for i in range(size) if i not in gone)
        for gone in combinations(range(size), depth)
    }


class Postings(NamedTuple):
    """The entries a word occurs in (ascending) and its best field weight in each."""

    numbers: Any  # numpy int32 array
    weights: Any  # numpy int32 array


class Facet(NamedTuple):
    """A facet's values and, per entry, the code of its value (-1: none).

    Tags are many per entry: ``owners`` then says which entry each code belongs to.
    """

    values: tuple[str, ...]
    codes: Any  # numpy int32 array
    owners: Any | None  # numpy int32 array, tags only


@dataclass(frozen=True)
class SearchIndex:
    """The index of one state. Read-only once built, so safe to share between threads
    (the phrase cache only ever gains entries that are the same for every reader)."""

    entries: tuple[Entry, ...]
    postings: Mapping[str, Postings]
    vocabulary: tuple[str, ...]  # sorted, for prefix lookups
    # A word with one letter deleted (two for long words) -> the words it comes from.
    neighbours: Mapping[str, tuple[str, ...]]
    by_unique_id: Mapping[str, int]
    # Position of each entry in the tie-break order (kind, name, unique id), as an array.
    rank: Any
    # Sorted (lower-case name, entry) and (name words, entry): exact and prefix name hits.
    names: tuple[tuple[str, int], ...]
    name_words: tuple[tuple[str, int], ...]
    facets: Mapping[str, Facet]
    phrase_texts: dict[int, str]


def _facet(values: list[Any]) -> Facet:
    import numpy as np

    known = sorted({value for value in values if isinstance(value, str) and value})
    code = {value: number for number, value in enumerate(known)}
    codes = np.fromiter((code.get(value, -1) for value in values), np.int32, len(values))
    return Facet(tuple(known), codes, None)


def _tag_facet(tags: list[tuple[str, ...]]) -> Facet:
    import numpy as np

    known = sorted({tag for entry_tags in tags for tag in entry_tags})
    code = {value: number for number, value in enumerate(known)}
    flat = [(number, code[tag]) for number, entry_tags in enumerate(tags) for tag in entry_tags]
    owners = np.array([number for number, _ in flat], np.int32)
    codes = np.array([tag for _, tag in flat], np.int32)
    return Facet(tuple(known), codes, owners)


def build_index(state: ProjectState) -> SearchIndex:
    """Index every node of ``state`` and every project macro of its manifest."""
    with collector_paused():
        return _build(state)


def _build(state: ProjectState) -> SearchIndex:
    import numpy as np

    entries = tuple(_entries(state))
    # Every (word, entry, weight) goes into flat lists, a few C-level calls per entry; numpy
    # then groups them by word. A dict of postings filled pair by pair costs twice as much.
    words: list[str] = []
    weights: list[int] = []
    sizes: list[int] = []
    for entry in entries:
        best = _weights(entry)
        words.extend(best)
        weights.extend(best.values())
        sizes.append(len(best))
    vocabulary = {word: number for number, word in enumerate(dict.fromkeys(words))}
    word_ids = np.fromiter(map(vocabulary.__getitem__, words), np.int32, len(words))
    order = np.argsort(word_ids, kind="stable")
    numbers = np.repeat(np.arange(len(entries), dtype=np.int32), sizes)[order]
    grouped_weights = np.array(weights, np.int32)[order]
    bounds = np.searchsorted(word_ids[order], np.arange(len(vocabulary) + 1)).tolist()
    postings = {
        word: Postings(
            numbers[bounds[number] : bounds[number + 1]],
            grouped_weights[bounds[number] : bounds[number + 1]],
        )
        for word, number in vocabulary.items()
    }
    neighbours: dict[str, list[str]] = {}
    short, long = FUZZY_MIN
    for word in vocabulary:
        if len(word) < short or not word.isalpha():
            continue
        keys = _deletions(word, 1)
        if len(word) >= long:
            keys |= _deletions(word, 2)
        for key in keys:
            near = neighbours.get(key)
            if near is None:
                neighbours[key] = [word]
            else:
                near.append(word)
    ranked = sorted(
        range(len(entries)),
        key=lambda n: (
            _KIND_ORDER.get(entries[n].resource_type, 10),
            entries[n].name.lower(),
            entries[n].unique_id,
        ),
    )
    rank = np.zeros(len(entries), np.int64)
    rank[np.array(ranked, np.int64)] = np.arange(len(entries), dtype=np.int64)
    return SearchIndex(
        entries=entries,
        postings=postings,
        vocabulary=tuple(sorted(word for word in vocabulary if not word.startswith(WHOLE))),
        neighbours={key: tuple(words) for key, words in neighbours.items()},
        by_unique_id={entry.unique_id: number for number, entry in enumerate(entries)},
        rank=rank,
        names=tuple(sorted((entry.name.lower(), n) for n, entry in enumerate(entries))),
        name_words=tuple(sorted((entry.name_words, n) for n, entry in enumerate(entries))),
        facets={
            "resource_type": _facet([entry.resource_type for entry in entries]),
            "package": _facet([entry.package for entry in entries]),
            "schema": _facet([entry.schema for entry in entries]),
            "tag": _tag_facet([entry.tags for entry in entries]),
            "owner": _facet([entry.owner for entry in entries]),
            "materialized": _facet([entry.materialized for entry in entries]),
        },
        phrase_texts={},
    )


def search_index(state: ProjectState) -> SearchIndex:
    """The index of ``state``, built on first use and shared by every later search."""
    return state.derived("search-index", build_index)
