"""Views of a project state: filtered node listings and node details."""

from __future__ import annotations

from .detail import node_detail, node_ref, test_summary
from .listing import DEFAULT_LIMIT, MAX_LIMIT, NodeFilter, list_nodes, node_summary

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "NodeFilter",
    "list_nodes",
    "node_detail",
    "node_ref",
    "node_summary",
    "test_summary",
]
