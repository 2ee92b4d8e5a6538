"""Node selection with the same results as ``dbt ls --select ... --exclude ...``.

Each criterion names nodes through its method, grows them with its graph operators
(``n+``, ``+n``, ``@``), and then adds the tests of what it selected (dbt's "indirect
selection", eager by default: a test comes along when any node it tests is selected). The
criteria of a word are intersected (``a,b``), the words are united (``a b``), the exclusion is
evaluated the same way and subtracted, and finally only the resource types ``dbt ls`` lists
by default are kept (everything but analyses and hooks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

from .dag import ProjectGraph, project_graph
from .methods import SelectionContext, search
from .selector_parser import Criterion, Intersection, SelectorError, Union, parse_selection

IndirectSelection = Literal["eager", "cautious", "buildable", "empty"]
INDIRECT_SELECTION_MODES: tuple[str, ...] = ("eager", "cautious", "buildable", "empty")

# What ``dbt ls`` lists when no --resource-type is given.
LS_RESOURCE_TYPES = frozenset(
    {
        "model",
        "snapshot",
        "seed",
        "test",
        "source",
        "exposure",
        "metric",
        "saved_query",
        "semantic_model",
        "unit_test",
        "function",
    }
)
# What ``dbt ls`` selects when no --select is given.
DEFAULT_SELECT = ("fqn:*", "source:*", "exposure:*", "metric:*", "semantic_model:*")

Bundle = tuple[set[str], set[str]]  # (selected, tests still waiting for their other parents)
SelectionText = str | Sequence[str]


class _Evaluator:
    """Evaluates parsed selections on one graph, in one indirect-selection mode."""

    def __init__(
        self, context: SelectionContext, mode: IndirectSelection, max_depth: int | None
    ) -> None:
        self.context = context
        self.graph: ProjectGraph = context.graph
        self.mode = mode
        self.max_depth = max_depth

    def _depth(self, depth: int | None) -> int | None:
        if self.max_depth is None:
            return depth
        return self.max_depth if depth is None else min(depth, self.max_depth)

    def criterion(self, criterion: Criterion) -> Bundle:
        graph = self.graph
        collected = search(self.context, criterion)
        selected = set(collected)
        if criterion.childrens_parents:
            family = collected | graph.descendants(collected, self._depth(None)).keys()
            selected |= family | graph.ancestors(family, self._depth(None)).keys()
        if criterion.parents:
            selected |= graph.ancestors(collected, self._depth(criterion.parents_depth)).keys()
        if criterion.children:
            selected |= graph.descendants(collected, self._depth(criterion.children_depth)).keys()
        if self.mode == "empty":
            return selected, set()
        return self._with_tests(selected)

    def _test_parents(self, test: str) -> Iterable[str]:
        return self.graph.parents(test)

    def _with_tests(self, selected: set[str]) -> Bundle:
        tests_of = self.graph.tests_of
        if self.mode == "eager":
            direct = set(selected)
            for node in selected.intersection(tests_of):
                direct.update(tests_of[node])
            return direct, set()
        direct, waiting = set(selected), set()
        reachable: set[str] | None = None
        for node in selected:
            for test in tests_of.get(node, ()):
                if test in direct:
                    continue
                parents = self._test_parents(test)
                if all(parent in selected for parent in parents):
                    direct.add(test)
                    continue
                if self.mode == "buildable":
                    if reachable is None:
                        reachable = self._buildable_base(selected, with_sources=True)
                    if all(parent in reachable for parent in parents):
                        direct.add(test)
                        continue
                waiting.add(test)
        waiting -= direct
        return direct, waiting

    def _buildable_base(self, selected: set[str], *, with_sources: bool) -> set[str]:
        base = selected | self.graph.ancestors(selected).keys()
        if with_sources:
            base.update(self.graph.by_type.get("source", ()))
        return base

    def _combine(self, bundles: list[Bundle], combine: Callable[..., set[str]]) -> Bundle:
        if not bundles:
            return set(), set()
        if len(bundles) == 1:
            return bundles[0]
        direct = combine(*(selected for selected, _ in bundles))
        everything = combine(*(selected | waiting for selected, waiting in bundles))
        if direct == everything or self.mode not in ("cautious", "buildable"):
            return direct, everything
        # Tests waiting for other parents join once all of them are selected (data tests
        # only: dbt never adds unit tests at this step).
        members = self.graph.members
        base = (
            direct if self.mode == "cautious" else self._buildable_base(direct, with_sources=False)
        )
        joined = set(direct)
        for test in everything - direct:
            if members[test].resource_type == "test" and all(
                parent in base for parent in self._test_parents(test)
            ):
                joined.add(test)
        return joined, everything

    def intersection(self, intersection: Intersection) -> Bundle:
        return self._combine(
            [self.criterion(part) for part in intersection.parts], set.intersection
        )

    def union(self, union: Union) -> Bundle:
        return self._combine([self.intersection(part) for part in union.parts], set.union)

    def difference(self, include: Union, exclude: Union) -> set[str]:
        bundle = self._combine([self.union(include), self.union(exclude)], set.difference)
        return bundle[0]


def _parse(text: SelectionText | None, default: Sequence[str]) -> Union:
    if text is None:
        return parse_selection(list(default))
    return parse_selection(text if isinstance(text, str) else list(text))


def select_ids(
    state: ProjectState,
    select: SelectionText | None = None,
    exclude: SelectionText | None = None,
    *,
    baseline: ProjectState | None = None,
    indirect_selection: IndirectSelection = "eager",
    resource_types: Iterable[str] | None = None,
    max_depth: int | None = None,
    include: Union | None = None,
) -> set[str]:
    """The unique ids ``dbt ls`` would list, as a set (see ``select``).

    ``include`` replaces ``select`` by an already parsed selection.
    """
    if indirect_selection not in INDIRECT_SELECTION_MODES:
        raise SelectorError(
            f"Unknown indirect selection {indirect_selection!r}: use one of "
            f"{', '.join(INDIRECT_SELECTION_MODES)}."
        )
    included = include if include is not None else _parse(select, DEFAULT_SELECT)
    excluded = _parse(exclude, ())
    graph = project_graph(state)
    context = SelectionContext(graph=graph, state=state, baseline=baseline)
    evaluator = _Evaluator(context, indirect_selection, max_depth)
    selected = evaluator.difference(included, excluded)
    kinds = LS_RESOURCE_TYPES if resource_types is None else frozenset(resource_types)
    for resource_type, ids in graph.by_type.items():
        if resource_type not in kinds:
            selected.difference_update(ids)
    return selected


def select(
    state: ProjectState,
    select: SelectionText | None = None,
    exclude: SelectionText | None = None,
    *,
    baseline: ProjectState | None = None,
    indirect_selection: IndirectSelection = "eager",
    resource_types: Iterable[str] | None = None,
) -> list[str]:
    """The sorted unique ids ``dbt ls --select <select> --exclude <exclude>`` lists.

    ``select`` and ``exclude`` are dbt selection strings (or lists of them, like repeated
    flags); ``select=None`` selects everything. ``baseline`` is the state ``state:``
    selectors compare with (dbt's ``--state``); ``result:`` reads the run results of
    ``state``. ``resource_types`` replaces the kinds ``dbt ls`` lists by default (all but
    analyses). Raises ``SelectorError`` for a malformed selector or an unknown method; a
    selector that matches nothing gives an empty list.
    """
    selected = select_ids(
        state,
        select,
        exclude,
        baseline=baseline,
        indirect_selection=indirect_selection,
        resource_types=resource_types,
    )
    ordered = project_graph(state).sorted_ids
    if len(selected) * 8 > len(ordered):
        # A large share of the project: filtering the presorted ids beats sorting.
        return [unique_id for unique_id in ordered if unique_id in selected]
    return sorted(selected)
