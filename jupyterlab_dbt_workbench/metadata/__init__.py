"""Edit a node's description, tags, owner and column tests in its YAML properties file.

No Jupyter here: the server, the notebook API and scripts all use ``preview`` then ``apply``.
"""

from .edits import ColumnEdit, GenericTest, MetadataEdit, edit_from_json
from .service import MISSING, apply, editable, preview, sha256

__all__ = [
    "MISSING",
    "ColumnEdit",
    "GenericTest",
    "MetadataEdit",
    "apply",
    "edit_from_json",
    "editable",
    "preview",
    "sha256",
]
