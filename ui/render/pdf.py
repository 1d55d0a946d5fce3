"""One rendering path for letters: QTextDocument → any paged device (PDF, printer, image).

``draw_letters(device, letters)`` lays each letter out for the device's page and paints
it, one letter per page (a letter longer than a page continues on the next one). The
per-customer PDF, the combined print PDF, printing on a QPrinter and the preview image
all go through it, so what is printed is what was previewed.

Page: A4 portrait, margins 18 mm left/right and 15 mm top/bottom (every office printer
accepts them). Font: a bundled font in resources/fonts if present, else Microsoft YaHei /
SimHei / SimSun on Windows, WenQuanYi on Linux (Noto Sans CJK only as a last resort).
"""

from __future__ import annotations

import errno
import functools
import itertools
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QFile, QFileDevice, QIODevice, QMarginsF, QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from core.base import resource

if TYPE_CHECKING:
    from core.documents import Letter

PDF_DPI = 1200
MARGINS_MM = QMarginsF(18, 15, 18, 15)  # left, top, right, bottom
# TrueType-outline fonts first: with the CFF-outline CJK fonts (Noto Sans CJK, Source Han
# Sans) Qt's PDF text layer maps 月/户/长 to Kangxi radicals and drops some digits, so
# copying or searching the PDF gives wrong text, although the page looks right.
FONT_FAMILIES = (
    "Microsoft YaHei", "Microsoft YaHei UI", "SimHei", "SimSun", "DengXian", "PingFang SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
    "Noto Serif CJK SC",
)  # fmt: skip
FONT_DIR = resource("fonts")


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new one for headless work.

    Offscreen only on Linux without a display, where nothing else can start. Never on
    Windows: Qt's offscreen platform there sees none of the system's fonts (only Qt's own
    lib/fonts), so every Chinese character would be drawn as a box. The real platform shows
    nothing unless asked to, so headless commands and worker processes use it.
    """
    app = QGuiApplication.instance()
    if app is None:
        if needs_offscreen():
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["jinzita"])
    from ui.refcounts import protect_singletons

    protect_singletons()
    return app  # type: ignore[return-value]


def needs_offscreen(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a headless Qt must use the offscreen platform: Linux without a display only."""
    display = environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")
    return platform.startswith("linux") and not display


_FONT_OVERRIDE: list[str] = []


def use_font(family: str) -> None:
    """Set letters in this family (a worker process uses the parent's choice)."""
    _FONT_OVERRIDE[:] = [family]


@functools.lru_cache(maxsize=1)
def _pick_font() -> str:
    ensure_app()
    bundled: list[str] = []
    if FONT_DIR.is_dir():
        for path in sorted(FONT_DIR.iterdir()):
            if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
                fid = QFontDatabase.addApplicationFont(str(path))
                if fid >= 0:
                    bundled += QFontDatabase.applicationFontFamilies(fid)
    installed = set(QFontDatabase.families())
    for name in (*bundled, *FONT_FAMILIES):
        if name in installed or name in bundled:
            return name
    # none of the usual ones: any installed font with Chinese glyphs (e.g. AR PL UMing)
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return chinese[0] if chinese else QFont().family()


def font_family() -> str:
    """The Chinese font letters are set in (bundled first, then installed ones)."""
    return _FONT_OVERRIDE[0] if _FONT_OVERRIDE else _pick_font()


def page_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       MARGINS_MM, QPageLayout.Unit.Millimeter)  # fmt: skip


@functools.lru_cache(maxsize=8)
def _image(path: str) -> QImage:
    return QImage(path)


@dataclass
class Page:
    """What one letter is for the renderer: its HTML and the image files it shows.

    Plain strings, so a page can be sent to a worker process without core or pandas.
    """

    html: str
    images: list[str] = field(default_factory=list)
    title: str = ""


def letter_page(letter: Letter) -> Page:
    from core.documents import Logo, to_html

    images = [p.path for p in letter.parts if isinstance(p, Logo)]
    return Page(to_html(letter), images, letter.name)


def _as_page(item: Page | Letter) -> Page:
    return item if isinstance(item, Page) else letter_page(item)


_LAYOUT_DEVICES: dict[tuple[int, int], tuple[QBuffer, QPdfWriter]] = {}


def layout_device(device=None) -> QPagedPaintDevice:
    """The device a letter is laid out for before it is painted on ``device``.

    For PDFs one shared, never-painted PDF writer per resolution (and thread): laying a
    QTextDocument out for every new QPdfWriter leaks ~8 KB inside Qt, 80 MB over 10,000
    per-customer PDFs, while the metrics of two PDF writers of one resolution are the
    same. Without ``device`` (previews) the PDF's own layout device, so a preview has the
    PDF's line breaks. A printer is its own layout device (its resolution is its own).
    """
    if device is not None and not isinstance(device, QPdfWriter):
        return device
    dpi = device.resolution() if device is not None else PDF_DPI
    key = (threading.get_ident(), dpi)
    if key not in _LAYOUT_DEVICES:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buf)
        writer.setResolution(dpi)
        _LAYOUT_DEVICES[key] = (buf, writer)
    return _LAYOUT_DEVICES[key][1]


def make_document(page: Page | Letter, device, width: float, height: float) -> QTextDocument:
    """The page laid out for ``device`` on a page of width × height device pixels."""
    page = _as_page(page)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(layout_device(device))
    doc.setDocumentMargin(0)
    font = QFont(font_family())
    font.setPointSizeF(10.5)
    doc.setDefaultFont(font)
    for path in page.images:
        img = _image(path)
        if not img.isNull():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(path), img)
    doc.setHtml(page.html)
    doc.setPageSize(QSizeF(width, height))
    return doc


def _paint_rect(device) -> QRectF:
    if isinstance(device, QPagedPaintDevice):
        dpi = getattr(device, "resolution", device.logicalDpiX)()
        return QRectF(device.pageLayout().paintRectPixels(dpi))
    return QRectF(0, 0, device.width(), device.height())


def draw_document(painter: QPainter, doc: QTextDocument, page: int, rect: QRectF,
                  scale: float = 1.0) -> None:  # fmt: skip
    """Paint page ``page`` (0-based) of a paginated document at the device's paint rect."""
    painter.save()
    if scale != 1.0:
        painter.scale(scale, scale)
    height = rect.height() / scale
    painter.translate(0, -page * height)
    doc.drawContents(painter, QRectF(0, page * height, rect.width() / scale, height))
    painter.restore()


SHRINK_STEPS = (0.94, 0.88, 0.82, 0.76)  # a letter a little too long is shrunk to one page


def fit_document(page: Page | Letter, device, rect: QRectF) -> tuple[QTextDocument, float]:
    """The letter laid out for one page; shrunk (to 76% at most) if it would need two."""
    doc = make_document(page, device, rect.width(), rect.height())
    if doc.pageCount() <= 1:
        return doc, 1.0
    for scale in SHRINK_STEPS:
        doc.setPageSize(QSizeF(rect.width() / scale, rect.height() / scale))
        if doc.pageCount() <= 1:
            return doc, scale
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    return doc, 1.0  # really long: continues on the next page


BATCH = 40  # letters laid out together in one QTextDocument (≈ 25% faster than one each)
_BODY_RE = re.compile(r"^\s*<html><body([^>]*)>(.*)</body></html>\s*$", re.S)


def _batch_page(pages: list[Page]) -> Page:
    """Several letters as one document, each starting on a new page."""
    if len(pages) == 1:
        return pages[0]
    bodies, attrs = [], ""
    for i, page in enumerate(pages):
        m = _BODY_RE.match(page.html)
        attrs, body = (m.group(1), m.group(2)) if m else ("", page.html)
        brk = ' style="page-break-before:always"' if i else ""
        bodies.append(f"<div{brk}>{body}</div>")
    images = sorted({p for page in pages for p in page.images})
    return Page(f"<html><body{attrs}>{''.join(bodies)}</body></html>", images)


class LetterPainter:
    """Paints letters onto one paged device (PDF writer or printer), a letter per page.

    ``add`` can be called many times (a 10,000-letter print file is fed a chunk at a
    time, so the letters never all exist at once); ``close`` ends the painting. Letters
    are laid out ``batch`` at a time in one document; every letter starts on a new page,
    a long one continues on the next page. The caller has set the page layout
    (``page_layout()``) on the device.
    """

    def __init__(self, device: QPagedPaintDevice, batch: int = BATCH) -> None:
        self.device = device
        self.batch = max(1, batch)
        self.pages = 0
        self.letters = 0
        self._painter = QPainter()
        if not self._painter.begin(device):
            raise OSError("无法开始绘制（打印机或文件不可用）")
        self._rect = _paint_rect(device)

    def add(self, letters: Iterable[Letter | Page],
            each: Callable[[int, QTextDocument], None] | None = None) -> None:  # fmt: skip
        """Paint these letters; ``each(i, doc)`` after every one (raising stops the job)."""
        it = iter(letters)
        while group := [_as_page(x) for x in itertools.islice(it, self.batch)]:
            layouts = self._layouts(group)
            for doc, scale, count in layouts:
                for page in range(count or doc.pageCount()):
                    if self.pages:
                        self.device.newPage()
                    draw_document(self._painter, doc, page, self._rect, scale)
                    self.pages += 1
            for _ in group:
                if each is not None:
                    each(self.letters, layouts[-1][0])
                self.letters += 1

    def _layouts(self, group: list[Page]) -> list[tuple[QTextDocument, float, int]]:
        rect, device = self._rect, self.device
        if len(group) > 1:
            doc = make_document(_batch_page(group), device, rect.width(), rect.height())
            if doc.pageCount() == len(group):  # the usual case: every letter fits
                return [(doc, 1.0, doc.pageCount())]
        # one by one, shrinking a letter that is a little too long
        return [(*fit_document(item, device, rect), 0) for item in group]

    def close(self) -> int:
        """End the painting (the PDF is complete once its writer is deleted); pages."""
        if self._painter.isActive():
            self._painter.end()
        return self.pages

    def __enter__(self) -> LetterPainter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def draw_letters(device: QPagedPaintDevice, letters: Iterable[Letter | Page],
                 each: Callable[[int, QTextDocument], None] | None = None,
                 batch: int = BATCH) -> int:  # fmt: skip
    """Paint letters onto a paged device, new page per letter; the number of pages.

    ``each(i, doc)`` is called after every letter (progress; raising there stops the job).
    """
    with LetterPainter(device, batch) as painter:
        painter.add(letters, each)
    return painter.pages


def pdf_writer(device: str | Path | QIODevice, title: str = "") -> QPdfWriter:
    writer = QPdfWriter(device if isinstance(device, QIODevice) else str(device))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout())
    writer.setCreator("价值金字塔营销助手")
    if title:
        writer.setTitle(title)
    return writer


class PdfFile:
    """A PDF written to a file through a QFile this object owns, so a failed write is seen.

    QPdfWriter opened on a file name never reports a write error: on a full disk it
    leaves a 0-byte or cut file and says nothing. Here the QFile's error state is read
    (``check()`` between groups of letters stops a run on a full disk early) and
    ``finish()`` flushes, syncs to the disk and verifies the file ends as a PDF ends.
    Errors are ``OSError`` (ENOSPC for a full disk), for the caller to put in words.
    """

    def __init__(self, path: str | Path, title: str = "") -> None:
        self.path = Path(path)
        self.file = QFile(str(self.path))
        if not self.file.open(QIODevice.OpenModeFlag.WriteOnly | QIODevice.OpenModeFlag.Truncate):
            raise OSError(errno.EACCES, self.file.errorString(), str(self.path))
        self.writer = pdf_writer(self.file, title)

    def check(self) -> None:
        """Raise OSError if a write to the file has failed so far."""
        error = self.file.error()
        if error == QFileDevice.FileError.NoError:
            return
        if error == QFileDevice.FileError.ResourceError:  # Qt's word for ENOSPC
            raise OSError(errno.ENOSPC, self.file.errorString(), str(self.path))
        from core.base import incomplete_error

        raise incomplete_error(self.path)

    def finish(self) -> None:
        """The painter has ended (the PDF is complete in Qt): make sure it is on the disk."""
        from core.base import fsync_path, incomplete_error, looks_complete

        self.writer = None  # type: ignore[assignment]
        flushed = self.file.flush()
        self.check()
        expected = self.file.pos()
        self.file.close()
        if not flushed or self.path.stat().st_size != expected:
            raise incomplete_error(self.path)
        fsync_path(self.path)
        if not looks_complete(self.path, ".pdf"):
            raise incomplete_error(self.path)

    def abandon(self) -> None:
        """Close without checking (the run failed; the caller removes the file)."""
        self.writer = None  # type: ignore[assignment]
        self.file.close()


def pdf_data(letters: list[Letter | Page], title: str = "") -> tuple[bytes, int]:
    """The letters as one PDF in memory, and its number of pages."""
    ensure_app()
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buf, title)
    pages = draw_letters(writer, letters)
    del writer
    data = bytes(buf.data())
    buf.close()
    return data, pages


def write_pdf(path: str | Path, letters: list[Letter | Page], title: str = "") -> int:
    """Write letters into one PDF file (a customer's letter); pages.

    Made in memory (a letter is ~45 KB) and written with ``os.write``, so a full disk or
    a vanished USB stick raises OSError instead of leaving a cut file.
    """
    from core.base import write_file

    data, pages = pdf_data(letters, title)
    write_file(path, data)
    return pages


def pdf_bytes(letters: list[Letter | Page], title: str = "") -> bytes:
    """The PDF in memory (tests, previews)."""
    return pdf_data(letters, title)[0]


def print_letters(printer, letters: list[Letter | Page]) -> int:
    """Send letters to a QPrinter (from QPrintDialog) through the same path as the PDF."""
    printer.setPageLayout(page_layout())
    return draw_letters(printer, letters)


def render_image(letter: Letter | Page, dpi: int = 96, page: int = 0) -> QImage:
    """One page of a letter as an image (preview), laid out exactly like the PDF."""
    ensure_app()
    size = QPageSize(QPageSize.PageSizeId.A4).sizePixels(dpi)
    image = QImage(size, QImage.Format.Format_RGB32)
    dpm = round(dpi / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    image.fill(0xFFFFFF)
    # laid out exactly as in the PDF (same device metrics, same line breaks), then scaled
    device = layout_device()
    inner = QRectF(page_layout().paintRectPixels(PDF_DPI))
    inner.moveTo(0, 0)
    doc, scale = fit_document(letter, device, inner)
    margins = page_layout().marginsPixels(dpi)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.translate(margins.left(), margins.top())
    painter.scale(dpi / PDF_DPI, dpi / PDF_DPI)
    draw_document(painter, doc, min(page, doc.pageCount() - 1), inner, scale)
    painter.end()
    return image
