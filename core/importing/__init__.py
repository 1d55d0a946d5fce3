"""Step 1, the customer list: sniff the file's real format, read its sheets, find the header
row and map columns to canonical fields, tell data rows from titles/totals/notes, clean
every value, and return the customers plus every problem row with its Excel row number.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from typing import TYPE_CHECKING

from core.base.lazy import lazy_exports

if TYPE_CHECKING:  # the package's face for editors and type checkers; loaded lazily below
    from core.importing.importer import import_file, load_engines
    from core.importing.problems import EXCLUDING_CODES, PROBLEM_NAMES, SPEND_CODES, Problem
    from core.importing.result import ImportResult

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "import_file": "importer",
        "ImportResult": "result",
        "Problem": "problems",
        "PROBLEM_NAMES": "problems",
        "SPEND_CODES": "problems",
        "EXCLUDING_CODES": "problems",
        "load_engines": "importer",
    },
)
