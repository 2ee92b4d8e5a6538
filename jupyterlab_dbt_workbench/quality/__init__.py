"""Data-quality helpers: profile a model in the warehouse and suggest the tests it passes.

No Jupyter here. A suggestion is added to the YAML through the metadata edit flow
(``metadata.preview`` / ``metadata.apply`` with a column's ``add_tests``).
"""

from .suggest import suggest_tests
from .warehouse import duckdb_path

__all__ = ["duckdb_path", "suggest_tests"]
