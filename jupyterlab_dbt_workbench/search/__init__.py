"""Search over a project: every node, macro and column, by name, text, tag, owner and SQL.

Plain Python over a ``ProjectState``; the index is built once per state and shared.
"""

from .engine import DEFAULT_LIMIT, MAX_LIMIT, run_search, search
from .index import SearchIndex, build_index, search_index
from .query import FACETS, MAX_QUERY_LENGTH, Query, parse_query

__all__ = [
    "DEFAULT_LIMIT",
    "FACETS",
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "Query",
    "SearchIndex",
    "build_index",
    "parse_query",
    "run_search",
    "search",
    "search_index",
]
