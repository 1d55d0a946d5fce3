"""What an import gives: the customers, every problem row, and how the file was read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.base.fields import label
from core.importing.problems import Problem

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
        """One row per problem (row, field, field_label, code, message); built once."""
        cached = self.__dict__.get("_problem_frame")
        if cached is not None:
            return cached
        import pandas as pd

        problems = self.problems
        frame = pd.DataFrame(
            {
                "row": [p.row for p in problems],
                "field": [p.field for p in problems],
                "code": [p.code for p in problems],
                "message": [p.message for p in problems],
            },
            columns=["row", "field", "code", "message"],
        )
        frame.insert(2, "field_label", frame["field"].map(label))
        frame = frame.sort_values("row", kind="stable", ignore_index=True)  # Excel order
        self.__dict__["_problem_frame"] = frame
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
