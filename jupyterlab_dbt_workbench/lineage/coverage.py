"""The coverage report: how much of a project column lineage traces, and why not the rest."""

from __future__ import annotations

from .payloads import CoverageColumns, CoverageComputation, CoverageEntry, CoverageReport
from .project import ProjectColumnLineage
from .records import STATUSES, ModelLineage
from .schema import catalog_columns, declared_columns


def _column_counts(lineage: ProjectColumnLineage, model: ModelLineage) -> tuple[int, int]:
    """(columns, traced columns) of one model.

    A star that could not be expanded counts as one untraced column; a model that was not
    analysed counts every column the catalog or YAML knows of it as untraced.
    """
    if model.status in ("ok", "partial"):
        untraced = set(model.unresolved_columns)
        stars = sum(1 for name in untraced if name not in model.columns)
        total = len(model.columns) + stars
        return total, total - len(untraced)
    node = lineage.state.nodes[model.unique_id]
    known = catalog_columns(node.catalog) or declared_columns(node.raw) or ()
    return len(known), 0


def coverage_report(lineage: ProjectColumnLineage) -> CoverageReport:
    """Counts per status, every model under its status with the reason, column coverage."""
    by_status: dict[str, list[CoverageEntry]] = {status: [] for status in STATUSES}
    total = traced = 0
    for unique_id, model in lineage.models.items():
        node = lineage.state.nodes[unique_id]
        columns, traced_columns = _column_counts(lineage, model)
        total += columns
        traced += traced_columns
        by_status[model.status].append(
            CoverageEntry(
                unique_id=unique_id,
                name=node.name,
                resource_type=node.resource_type,
                reason=model.reason,
                columns=columns,
                traced_columns=traced_columns,
            )
        )
    stats = lineage.stats
    return CoverageReport(
        project=lineage.project,
        dialect=lineage.dialect,
        engine_version=lineage.engine_version,
        models=len(lineage.models),
        counts={status: len(entries) for status, entries in by_status.items()},
        columns=CoverageColumns(
            total=total,
            traced=traced,
            percent=round(100.0 * traced / total, 1) if total else None,
        ),
        by_status=by_status,
        computation=CoverageComputation(
            analysed=stats.analysed,
            cached=stats.cached,
            processes=stats.processes,
            seconds=stats.seconds,
        ),
    )
