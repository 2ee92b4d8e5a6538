"""Running a query against a search index: matching, ranking, facets and snippets.

Ranking, best first:
1. the name (or unique id) is the query;
2. the name starts with the query;
3. every word matched a name (or alias, source name, identifier, label);
4. every word matched at least a column, tag, owner, description or meta value;
5. the rest (some word matched only the SQL).
Within a tier, the sum of the words' field weights (an exact word beats a prefix, which
beats a typo), then the kind (models first), the name and the unique id: the same query
always lists the same results in the same order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest

from . import index as ix
from .index import Entry, Facet, SearchIndex, search_index
from .payloads import FacetValue, SearchField, SearchHit, SearchMatch, SearchResult
from .query import FACETS, TOKEN, Query, parse_query

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
FACET_VALUES = 50
# A short prefix ("or") would otherwise expand to most of the vocabulary.
MAX_PREFIX_TERMS = 300
# Match qualities, added to four times the field weight: the field counts first.
EXACT, PREFIX, TYPO = 3, 2, 1
_SNIPPET = 100


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (a typo of two swapped letters is one)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            cost = 0 if char == other else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def expand(
    index: SearchIndex, word: str, *, loose: bool = True, shortest_prefix: int = 2
) -> dict[str, int]:
    """The vocabulary words ``word`` stands for, with their match quality."""
    found: dict[str, int] = {}
    if loose and len(word) >= shortest_prefix:
        vocabulary = index.vocabulary
        start = bisect_left(vocabulary, word)
        prefixed: list[str] = []
        for term in vocabulary[start : start + 5000]:
            if not term.startswith(word):
                break
            prefixed.append(term)
        if len(prefixed) > MAX_PREFIX_TERMS:
            prefixed = sorted(prefixed, key=lambda term: (len(term), term))[:MAX_PREFIX_TERMS]
        found.update(dict.fromkeys(prefixed, PREFIX))
    short, long = ix.FUZZY_MIN
    if loose and len(word) >= short and word.isalpha():
        limit = 2 if len(word) >= long else 1
        keys = {word} | ix._deletions(word, 1)
        if limit == 2:
            keys |= ix._deletions(word, 2)
        neighbours, postings = index.neighbours, index.postings
        candidates = {key for key in keys if key in postings}
        for key in keys:
            candidates.update(neighbours.get(key, ()))
        for term in candidates:
            if term not in found and _osa_distance(word, term, limit) <= limit:
                found[term] = TYPO
    if word in index.postings:
        found[word] = EXACT
    return found


def _word_vector(index: SearchIndex, terms: dict[str, int]) -> Any:
    """Per entry, the best score of one query word over the words it expands to (0: none)."""
    import numpy as np

    scores = np.zeros(len(index.entries), np.int64)
    for term, quality in terms.items():
        numbers, weights = index.postings[term]
        scores[numbers] = np.maximum(scores[numbers], weights * 4 + quality)
    return scores


# A letter no text has: joined between fields, it keeps a phrase from spanning two of them.
_BOUNDARY = " \u01c2 "


def _phrase_text(index: SearchIndex, number: int) -> str:
    """The words of an entry's names, descriptions and columns, each field apart. Not the
    SQL: phrases are for prose, and the SQL would make the first look at an entry slow."""
    cache = index.phrase_texts
    text = cache.get(number)
    if text is None:
        entry = index.entries[number]
        parts = [entry.name, entry.description, ix.alias_text(entry.raw, entry.resource_type)]
        for column in ix.columns_of(entry):
            parts += (column.name, column.description)
        text = " " + " ".join(TOKEN.findall(_BOUNDARY.join(parts).lower())) + " "
        cache[number] = text
    return text


def _name_hits(names: tuple[tuple[str, int], ...], text: str) -> tuple[list[int], list[int]]:
    """Entries whose name is ``text``, and those whose name starts with it."""
    exact: list[int] = []
    prefixed: list[int] = []
    if not text:
        return exact, prefixed
    start = bisect_left(names, (text, -1))
    for name, number in names[start : start + 20000]:
        if not name.startswith(text):
            break
        (exact if name == text else prefixed).append(number)
    return exact, prefixed


# Tiers, best last: SQL only, other fields, a whole column name, every word in the name,
# the name's start, the whole name, the unique id.
_SQL, _FIELDS, _COLUMN, _NAME_WORDS, _NAME_PREFIX, _NAME, _UNIQUE_ID = range(7)


class _Matcher:
    """The entries matching a query's text, with their ranking keys."""

    def __init__(self, index: SearchIndex, query: Query) -> None:
        self.index = index
        self.query = query
        # Next to other words, one letter is enough of a prefix ("stg_ads__a").
        shortest = 1 if len(query.words) > 1 else 2
        words = [expand(index, word, shortest_prefix=shortest) for word in query.words]
        words += [expand(index, word, loose=False) for phrase in query.phrases for word in phrase]
        self.terms: set[str] = set()
        for terms in words:
            self.terms.update(terms)
        self.words = words

    def run(self) -> tuple[Any, Any]:
        """(entry numbers, ranking keys: higher is better), as numpy arrays."""
        import numpy as np

        index, query = self.index, self.query
        size = len(index.entries)
        if self.words and all(self.words):
            total = np.zeros(size, np.int64)
            low = np.full(size, 1 << 20, np.int64)
            for terms in self.words:
                scores = _word_vector(index, terms)
                total += scores
                np.minimum(low, scores, out=low)
            numbers = np.flatnonzero(low > 0)
        else:
            total = low = np.zeros(size, np.int64)
            numbers = np.zeros(0, np.int64)
        if query.phrases and len(numbers):
            phrases = [" " + " ".join(phrase) + " " for phrase in query.phrases]
            numbers = np.array(
                [n for n in numbers.tolist() if all(p in _phrase_text(index, n) for p in phrases)],
                np.int64,
            )
        weight = low // 4
        tier = np.where(weight >= ix.ALIAS, _NAME_WORDS, np.where(weight >= ix.META, _FIELDS, _SQL))
        whole = index.postings.get(ix.WHOLE + query.text) if " " not in query.text else None
        if whole is not None:
            tier[whole.numbers] = np.maximum(tier[whole.numbers], _COLUMN)
        for names, text in ((index.names, query.text), (index.name_words, query.joined)):
            exact, prefixed = _name_hits(names, text)
            tier[prefixed] = np.maximum(tier[prefixed], _NAME_PREFIX)
            tier[exact] = _NAME
        number = index.by_unique_id.get(query.raw_text)
        if number is not None:
            tier[number] = _UNIQUE_ID
            if number not in numbers:
                numbers = np.append(numbers, number)
        keys = (
            (tier[numbers].astype(np.int64) << 52)
            | (total[numbers] << 24)
            | (0xFFFFFF - index.rank[numbers])
        )
        return numbers, keys


def _codes_passing(facet: Facet, wanted: frozenset[str], size: int) -> Any:
    """Per entry, whether its value of ``facet`` is one of ``wanted`` (lower case)."""
    import numpy as np

    chosen = [code for code, value in enumerate(facet.values) if value.lower() in wanted]
    hits = np.isin(facet.codes, np.array(chosen, np.int32))
    if facet.owners is None:
        return hits
    passing = np.zeros(size, bool)
    passing[facet.owners[hits]] = True
    return passing


def _facet_counts(facet: Facet, mask: Any, wanted: frozenset[str]) -> list[FacetValue]:
    import numpy as np

    if facet.owners is None:
        codes = facet.codes[mask]
        codes = codes[codes >= 0]
    else:
        codes = facet.codes[mask[facet.owners]]
    counts = np.bincount(codes, minlength=len(facet.values)).tolist()
    ordered = sorted(
        ((facet.values[code], count) for code, count in enumerate(counts) if count),
        key=lambda item: (-item[1], item[0]),
    )
    shown = ordered[:FACET_VALUES]
    # A value the user filters on stays visible, however rare.
    shown += [item for item in ordered[FACET_VALUES:] if item[0].lower() in wanted]
    return [FacetValue(value=value, count=count) for value, count in shown]


def _filter(
    index: SearchIndex, numbers: Any, filters: dict[str, frozenset[str]]
) -> tuple[Any, dict[str, list[FacetValue]]]:
    """Which of ``numbers`` pass every filter (a boolean array over them), and the facet
    counts: each facet's own filter is left out of its counts, so the other values of a
    filtered facet can still be offered."""
    import numpy as np

    size = len(index.entries)
    matched = np.zeros(size, bool)
    matched[numbers] = True
    passing = {
        facet: _codes_passing(index.facets[facet], wanted, size)
        for facet, wanted in filters.items()
    }
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        mask = matched.copy()
        for key, found in passing.items():
            if key != facet:
                mask &= found
        facets[facet] = _facet_counts(index.facets[facet], mask, filters.get(facet, frozenset()))
    kept = matched
    for found in passing.values():
        kept = kept & found
    return kept[numbers], facets


def _fields(entry: Entry) -> Iterator[tuple[SearchField, str | None, str]]:
    """The texts of an entry, heaviest field first, as the snippet looks for the match."""
    is_test = entry.resource_type in ("test", "unit_test")
    if not is_test:
        yield "name", None, entry.name
    yield "alias", None, ix.alias_text(entry.raw, entry.resource_type)
    yield "tag", None, " ".join(entry.tags)
    columns = ix.columns_of(entry)
    for column in columns:
        yield "column", column.name, column.name
    if is_test:
        yield "name", None, entry.name
    yield "owner", None, entry.owner or ""
    yield "description", None, entry.description
    for column in columns:
        yield "column_description", column.name, column.description
    yield "meta", None, ix.meta_text(entry.meta)
    for column in columns:
        yield "meta", column.name, column.extra
    yield "sql", None, ix.sql_of(entry)


def _snippet(text: str, terms: set[str]) -> tuple[str, list[list[int]]] | None:
    hits = [m for m in TOKEN.finditer(text) if m.group().lower() in terms]
    if not hits:
        return None
    start = max(0, hits[0].start() - 30)
    end = min(len(text), start + _SNIPPET)
    window = " ".join(text[start:end].split())
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + window + suffix
    highlights = [
        [m.start(), m.end()] for m in TOKEN.finditer(snippet) if m.group().lower() in terms
    ]
    return snippet, highlights


def _match(entry: Entry, terms: set[str]) -> tuple[SearchMatch | None, list[str]]:
    match: SearchMatch | None = None
    columns: list[str] = []
    for field, column, text in _fields(entry):
        if not text:
            continue
        found = _snippet(text, terms)
        if found is None:
            continue
        if match is None:
            match = SearchMatch(field=field, column=column, snippet=found[0], highlights=found[1])
        elif column and field == "column" and column != match["column"] and len(columns) < 5:
            columns.append(column)
        if match is not None and (field != "column" or len(columns) >= 5):
            break
    return match, columns


def _hit(entry: Entry, score: int, terms: set[str] | None) -> SearchHit:
    match, columns = _match(entry, terms) if terms else (None, [])
    return SearchHit(
        unique_id=entry.unique_id,
        name=entry.name,
        resource_type=entry.resource_type,
        package_name=entry.package,
        schema=entry.schema,
        materialized=entry.materialized,
        tags=list(entry.tags),
        owner=entry.owner,
        description=entry.description[:300],
        score=score,
        match=match,
        columns=columns,
    )


def run_search(index: SearchIndex, query: Query, offset: int, limit: int) -> SearchResult:
    """A page of the entries matching ``query``, with facet counts over all of them."""
    import numpy as np

    if offset < 0:
        raise InvalidRequest(f"offset must be 0 or more, not {offset}.")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}, not {limit}.")
    terms: set[str] | None = None
    if query.has_text or query.raw_text in index.by_unique_id:
        matcher = _Matcher(index, query)
        numbers, keys = matcher.run()
        terms = matcher.terms | {query.raw_text.lower()}
    else:
        numbers = np.arange(len(index.entries), dtype=np.int64)
        keys = 0xFFFFFF - index.rank
    kept, facets = _filter(index, numbers, query.filters)
    numbers, keys = numbers[kept], keys[kept]
    if query.empty:
        # Nothing asked: no results, but the facets say what the project holds.
        numbers, keys = numbers[:0], keys[:0]
    wanted = offset + limit
    if len(keys) > wanted:
        top = np.argpartition(-keys, wanted - 1)[:wanted]
    else:
        top = np.arange(len(keys))
    page = top[np.argsort(-keys[top], kind="stable")][offset:]
    entries = index.entries
    return SearchResult(
        project="",
        query={
            "text": query.raw_text,
            "words": list(query.words),
            "phrases": [" ".join(phrase) for phrase in query.phrases],
            "filters": {facet: sorted(values) for facet, values in query.filters.items()},
        },
        total=len(numbers),
        offset=offset,
        limit=limit,
        items=[
            _hit(entries[numbers[i]], (int(keys[i]) >> 24) & 0xFFFFFFF, terms)
            for i in page.tolist()
        ],
        facets=facets,
    )


def search(
    state: ProjectState,
    text: str,
    *,
    filters: dict[str, list[str]] | None = None,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """Search a project state (the index is built once per state). See ``query`` for the
    syntax; ``filters`` maps facets (``resource_type``, ``tag``...) to accepted values."""
    result = run_search(search_index(state), parse_query(text, filters), offset, limit)
    result["project"] = state.project.id
    return result
