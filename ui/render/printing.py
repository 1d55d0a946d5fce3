"""Printing letters: the system printer or a PDF printer, one job, one letter per page.

``print_letters_job`` paints on a worker thread (painting on a QPrinter off the GUI
thread is supported, as for QPdfWriter), so printing a thousand letters never freezes
the window; cancel aborts the job at the printer. The page range chosen in the print
dialog picks letters by their position (page n = the n-th customer of the selection,
in the list's order).

打印预览 shows the first ``PREVIEW_LIMIT`` letters. QPrintPreviewDialog asks for its pages
on the GUI thread; the part that needs Python and pandas (the letters, the HTML) is done
before it opens by ``preview_job`` on a worker thread, and ``paint_preview`` only lays
the pages out and draws them (about 4 ms a page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtPrintSupport import QPrinter

from core.base import Progress

if TYPE_CHECKING:
    from core.documents import Letter

PREVIEW_LIMIT = 30  # letters shown in 打印预览 (they are drawn on the GUI thread)


def chosen_range(printer: QPrinter, count: int) -> range:
    """The letters (by position) the printer's page range asks for; all when none."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return range(count)
    return range(max(0, first - 1), min(count, last))


def print_letters_job(printer: QPrinter, letters: Sequence[Letter], progress: Progress) -> int:
    """Send the letters to ``printer`` in one job; the number of pages (worker thread).

    A printer that prints to a PDF file (Qt's own PDF output) writes a temporary file
    next to the chosen one, which replaces it only when complete and checked: Qt says
    nothing when the disk fills up, so a cut file is never left where the user looks.
    """
    target = printer.outputFileName()
    if printer.outputFormat() != QPrinter.OutputFormat.PdfFormat or not target:
        return _print(printer, letters, progress)
    from core.base import atomic_path

    try:
        with atomic_path(Path(target), force=True) as tmp:  # the dialog asked about overwriting
            printer.setOutputFileName(str(tmp))
            return _print(printer, letters, progress)
    finally:
        printer.setOutputFileName(target)


def _print(printer: QPrinter, letters: Sequence[Letter], progress: Progress) -> int:
    from core.base import Cancelled, OutputFailed
    from ui.render.pdf import LetterPainter, letter_page, page_layout

    picked = chosen_range(printer, len(letters))
    progress.start(len(picked), "正在发送到打印机…")
    printer.setPageLayout(page_layout())
    printer.setFromTo(0, 0)  # the range is applied here, by customer
    try:
        painter = LetterPainter(printer)
    except OSError as exc:
        raise OutputFailed("无法开始打印：打印机不可用或输出文件不能写入。",
                           "请检查打印机是否开机、联网，或换一台打印机后重试。") from exc  # fmt: skip

    def each(_i: int, _doc: object) -> None:
        progress.check()
        progress.advance()

    try:
        for start in range(picked.start, picked.stop, 200):
            group = letters[start : min(start + 200, picked.stop)]
            painter.add([letter_page(x) for x in group], each)
    except Cancelled:
        printer.abort()
        painter.close()
        raise
    return painter.close()


@dataclass
class PreviewPages:
    """The first letters of a batch as pages (HTML), ready for the preview to lay out."""

    pages: list[Any]  # ui.render.pdf.Page
    letters: int


def preview_job(letters: Sequence[Letter], progress: Progress) -> PreviewPages:
    """Build the first ``PREVIEW_LIMIT`` letters and their pages (worker thread): the
    customers' values, the template, the HTML. Only plain strings cross back to the GUI
    thread, which lays them out and draws them (Qt objects stay in the thread that made
    them)."""
    from ui.render.pdf import letter_page

    count = min(len(letters), PREVIEW_LIMIT)
    progress.start(count, "正在准备打印预览…")
    pages = []
    for start in range(0, count, 10):
        progress.check()
        pages += [letter_page(x) for x in letters[start : min(start + 10, count)]]
        progress.advance(len(pages) - start)
    return PreviewPages(pages, count)


def paint_preview(printer: QPrinter, prepared: PreviewPages) -> int:
    """Lay out and draw the prepared pages on the preview's printer; the number of pages."""
    from ui.render.pdf import draw_letters, page_layout

    printer.setPageLayout(page_layout())
    return draw_letters(printer, prepared.pages)
