"""The audit log: every write made through the workbench (who, when, what), viewable and
exportable. Core module: no Jupyter imports.
"""

from .download import FORMATS, export
from .log import entries, record
from .payloads import AuditEntry, AuditPage

__all__ = ["FORMATS", "AuditEntry", "AuditPage", "entries", "export", "record"]
