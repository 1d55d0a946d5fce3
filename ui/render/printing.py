"""Printing letters: the system printer or a PDF printer, one job, one letter per page.

``print_letters_job`` paints on a worker thread (painting on a QPrinter off the GUI
thread is supported, as for QPdfWriter), so printing a thousand letters never freezes
the window; cancel aborts the job at the printer. The page range chosen in the print
dialog picks letters by their position (page n = the n-th customer of the selection,
in the list's order).

打印预览 shows the first ``PREVIEW_LIMIT`` letters. QPrintPreviewDialog asks for its pages
on the GUI thread, so the slow part is done before it opens: ``lay_out_preview`` (a
worker job) builds and lays out those letters for the printer's resolution with the PDF's
metrics; ``paint_preview`` then only draws them (about 2 ms a page). A printer of another
resolution (the preview's own 打印 button) is laid out again (``preview_pages``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QRectF
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


def preview_pages(printer: QPrinter, letters: Sequence[Letter]) -> int:
    """Paint at most ``PREVIEW_LIMIT`` letters for the print preview dialog."""
    from ui.render.pdf import draw_letters, letter_page, page_layout

    printer.setPageLayout(page_layout())
    count = min(len(letters), PREVIEW_LIMIT)
    return draw_letters(printer, [letter_page(x) for x in letters[:count]])


@dataclass
class PreviewPages:
    """Letters laid out for a preview printer of ``dpi`` (see ``lay_out_preview``)."""

    layouts: list[Any]  # ui.render.pdf.Layout: (QTextDocument, scale, pages)
    dpi: int
    rect: QRectF
    letters: int


def lay_out_preview(letters: Sequence[Letter], dpi: int, progress: Progress) -> PreviewPages:
    """The first ``PREVIEW_LIMIT`` letters, laid out for a page at ``dpi`` (worker thread).

    The documents are handed to the GUI thread, which only draws them.
    """
    from ui.render.pdf import BATCH, lay_out, layout_device, letter_page, page_layout

    count = min(len(letters), PREVIEW_LIMIT)
    progress.start(count, "正在准备打印预览…")
    rect = QRectF(page_layout().paintRectPixels(dpi))
    device = layout_device(None, dpi)
    layouts = []
    for start in range(0, count, BATCH):
        progress.check()
        group = [letter_page(x) for x in letters[start : min(start + BATCH, count)]]
        layouts += lay_out(group, device, rect)
        progress.advance(len(group))
    gui = QCoreApplication.instance().thread()
    for doc, _scale, _pages in layouts:
        doc.moveToThread(gui)  # drawn there; the worker is done with it
    return PreviewPages(layouts, dpi, rect, count)


def paint_preview(printer: QPrinter, prepared: PreviewPages, letters: Sequence[Letter]) -> int:
    """Draw the prepared letters on the preview's printer; the number of pages."""
    from ui.render.pdf import LetterPainter, page_layout

    printer.setPageLayout(page_layout())
    rect = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
    if printer.resolution() != prepared.dpi or rect != prepared.rect:
        return preview_pages(printer, letters)  # another printer: lay the letters out again
    with LetterPainter(printer) as painter:
        painter.paint(prepared.layouts)
    return painter.pages
