"""Import a customer list: file → header → mapping → clean customers + listed problems.

Every data row ends up as a customer or as a problem with its Excel row number, the
field and a Chinese reason; title rows, blank rows, repeated headers, notes and
合计/总计 rows are recognised and counted, never silently lost.

This module stays light (no pandas at import time): ``import_file`` opens the file,
starts calamine parsing the sheets on a background thread (it releases the GIL), and
only then imports the pandas-based steps in ``core.import_steps``, so the two overlap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.fields import label
from core.problems import Problem
from core.progress import Progress
from core.readers import open_book

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class ImportResult:
    source: Path
    kind: str
    sheet: str
    sheets: list[str]
    header_row: int  # 1-based Excel row
    headers: list[str]
    mapping: dict[str, str]  # canonical field -> source header
    rows: int  # data rows seen (no title/header/blank/totals/note rows)
    customers: pd.DataFrame
    problems: list[Problem]
    skipped: dict[str, list[int]] = field(default_factory=dict)  # kind -> Excel rows
    notes: list[str] = field(default_factory=list)  # how values were interpreted
    extra_columns: list[str] = field(default_factory=list)

    @property
    def customer_count(self) -> int:
        """Customers with a usable spend (duplicates are not customers of their own)."""
        return int(self.customers["spend"].notna().sum())

    def problem_counts(self) -> dict[str, int]:
        return dict(Counter(p.code for p in self.problems))

    def problem_frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(
            [p.to_dict() for p in self.problems], columns=["row", "field", "code", "message"]
        )
        frame.insert(2, "field_label", frame["field"].map(label))
        return frame

    def summary(self) -> dict:
        """The JSON object printed by ``inspect --json``."""
        return {
            "file": str(self.source),
            "format": self.kind,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "unmapped_columns": self.extra_columns,
            "rows": self.rows,
            "customers": self.customer_count,
            "listed": len(self.customers),
            "problem_counts": self.problem_counts(),
            "problems": [p.to_dict() for p in self.problems],
            "skipped_rows": {k: len(v) for k, v in self.skipped.items() if v},
            "notes": self.notes,
        }


def import_file(
    path: str | Path,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    progress: Progress | None = None,
    remember: bool = True,
) -> ImportResult:
    """Read a customer list. Raises ImportFailed (Chinese message) for unusable files.

    ``overrides`` maps a field (key, Chinese label or synonym) to a source header
    (as written, or a column letter); an empty header un-maps the field. A mapping the
    user gave is remembered for files with the same headers when ``remember``.
    """
    path = Path(path)
    progress = progress or Progress()
    progress.start(100, "正在打开文件…")
    book = open_book(path, progress)
    try:
        book.prefetch([sheet] if sheet is not None and sheet in book.sheet_names else None)
        from core.import_steps import run_import  # pandas loads while the sheet parses

        result = run_import(book, sheet, overrides, progress, remember)
    finally:
        book.close()
    progress.set(100)
    return result
