"""Import a customer list: file → header → mapping → clean customers + listed problems.

Every data row ends up as a customer or as a problem with its Excel row number, the
field and a Chinese reason; title rows, blank rows, repeated headers, notes and
合计/总计 rows are recognised and counted, never silently lost.

This module stays light (no pandas at import time): ``import_file`` opens the file,
starts calamine parsing the sheets on a background thread (it releases the GIL), and
only then imports the pandas-based steps in ``core.importing.steps``, so the two overlap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.base.progress import Progress
from core.importing.readers import open_book

if TYPE_CHECKING:
    from core.importing.result import ImportResult


def import_file(
    path: str | Path,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    progress: Progress | None = None,
    remember: bool = True,
    require_spend: bool = True,
) -> ImportResult:
    """Read a customer list. Raises ImportFailed (Chinese message) for unusable files.

    ``overrides`` maps a field (key, Chinese label or synonym) to a source header
    (as written, or a column letter); an empty header un-maps the field. A mapping the
    user gave is remembered for files with the same headers when ``remember``.
    ``require_spend=False`` reads a list without a spend column (a 物管名单 of prospects:
    names, shops, phones); every customer then has no spend.
    """
    path = Path(path)
    progress = progress or Progress()
    progress.start(100, "正在打开文件…")
    book = open_book(path, progress)
    try:
        book.prefetch([sheet] if sheet is not None and sheet in book.sheet_names else None)
        from core.importing.steps import run_import  # pandas loads while the sheet parses

        result = run_import(book, sheet, overrides, progress, remember, require_spend)
    finally:
        book.close()
    progress.set(100)
    return result


def load_engines() -> None:
    """Import pandas and the reading and cleaning steps now. The window calls this on a
    worker thread once it shows, so opening the first list does not wait for them."""
    import core.importing.steps  # noqa: F401
