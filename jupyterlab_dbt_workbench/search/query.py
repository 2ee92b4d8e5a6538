"""The search query language: words, "quoted phrases" and ``key:value`` filters.

    orders customer          every word must match (AND), in any field
    "order total"            these words next to each other, in this order
    type:model tag:finance   filters: type, package, schema, tag, owner, materialized
    stg_ord                  a word also matches as a prefix, and with a typo or two

Everything else is literal text: no wildcard, no regular expression, no operator. A
``key:value`` whose key is not a filter is searched as words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jupyterlab_dbt_workbench.errors import InvalidRequest

MAX_QUERY_LENGTH = 1000

# Query keys -> the facet they filter.
FILTER_KEYS: dict[str, str] = {
    "type": "resource_type",
    "resource_type": "resource_type",
    "package": "package",
    "schema": "schema",
    "tag": "tag",
    "owner": "owner",
    "materialized": "materialized",
}
FACETS: tuple[str, ...] = ("resource_type", "package", "schema", "tag", "owner", "materialized")

# Letters and digits of any script; everything else separates words, as in the index.
TOKEN = re.compile(r"[^\W_]+")
_PART = re.compile(r'"([^"]*)"?|(\S+)')
_FILTER = re.compile(r"^([A-Za-z_]+):(.+)$")


def tokens(text: str) -> list[str]:
    """The lower-case words of ``text``, as the index splits them (``stg_orders`` -> 2)."""
    return TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Query:
    """A parsed query. ``text`` is the free text without the filters, lower case, and
    ``joined`` its words joined by one space (both for name matches); ``raw_text`` is the
    whole query as typed (a pasted unique id)."""

    raw_text: str
    text: str
    joined: str
    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    filters: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to search for and nothing to filter on."""
        return not self.words and not self.phrases and not self.filters

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)


def parse_query(raw: str, filters: dict[str, list[str]] | None = None) -> Query:
    """Parse ``raw``; ``filters`` (facet -> values, e.g. from URL parameters) add to the
    query's own ``key:value`` filters. Values of one facet are alternatives (OR); facets
    combine with AND. Raises ``InvalidRequest`` for a query over ``MAX_QUERY_LENGTH``."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise InvalidRequest(
            f"The search query is too long ({len(raw):,} characters; at most "
            f"{MAX_QUERY_LENGTH:,}).",
            reason="query_too_long",
        )
    chosen: dict[str, set[str]] = {}
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            raise InvalidRequest(
                f"Unknown search filter {facet!r}; use one of {', '.join(FACETS)}."
            )
        cleaned = {value.strip().lower() for value in values if value.strip()}
        if cleaned:
            chosen.setdefault(facet, set()).update(cleaned)
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    text: list[str] = []
    for match in _PART.finditer(raw):
        quoted, bare = match.group(1), match.group(2) or ""
        if quoted is not None:
            phrase = tuple(tokens(quoted))
            if len(phrase) == 1:
                words.append(phrase[0])
            elif phrase:
                phrases.append(phrase)
            text.append(quoted)
            continue
        found = _FILTER.match(bare)
        named = FILTER_KEYS.get(found.group(1).lower()) if found else None
        if found and named:
            chosen.setdefault(named, set()).add(found.group(2).lower())
            continue
        words.extend(tokens(bare))
        text.append(bare)
    free_text = " ".join(text).strip().lower()
    return Query(
        raw_text=raw.strip(),
        text=free_text,
        joined=" ".join(tokens(free_text)),
        words=tuple(dict.fromkeys(words)),
        phrases=tuple(phrases),
        filters={facet: frozenset(values) for facet, values in chosen.items()},
    )
