"""Refuse to render when Chinese text would come out blank: a check before any output.

Letters (PDF, print, preview) are set by Qt in the family ``ui.render.pdf.font_family``
picks; charts are drawn by matplotlib (``core.reporting.fonts``). On a machine without a
Chinese font Qt draws the letters with empty Chinese text and matplotlib draws boxes, so
``require_chinese_fonts`` is called before generating, printing or exporting anything
and raises ``FontMissing`` (a ``UserError`` with a Chinese message and what to install).

A family only counts if Qt can use it in this process: it must be among
``QFontDatabase.families()``. Asking ``QFont`` alone is not enough: on Windows, Qt's
offscreen platform sees none of the system's fonts (only Qt's own lib/fonts), yet a
``QFont("Microsoft YaHei")`` still answers, and the letters would come out as boxes.

The chart check does not import Qt; the letter check starts a headless Qt application when
there is none (``ui.render.pdf.ensure_app``: offscreen only on Linux without a display).
"""

from __future__ import annotations

from core.base import FontMissing

SAMPLE = "客户建议书月费套餐"  # characters every letter has


def has_chinese_glyphs(family: str) -> bool:
    """Whether Qt can use the font ``family`` in this process and it (not a fallback) can
    draw Chinese characters."""
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    if family not in QFontDatabase.families():
        return False  # not usable here (e.g. offscreen Qt on Windows: no system font at all)
    if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family):
        return True
    raw = QRawFont.fromFont(QFont(family))
    return raw.isValid() and all(raw.supportsCharacter(ord(ch)) for ch in SAMPLE)


def require_family(family: str) -> str:
    """``family`` if Qt can set Chinese letters in it here, else ``FontMissing``."""
    if not has_chinese_glyphs(family):
        from core.reporting import font_install_hint

        raise FontMissing(
            "未找到中文字体：建议书、反馈表（PDF 和打印）中的中文会是空白，所以没有生成任何文件。",
            font_install_hint(),
        )
    return family


def require_letter_font() -> str:
    """The family letters are set in, or ``FontMissing`` if it has no Chinese glyphs."""
    from ui.render.pdf import ensure_app, font_family

    ensure_app()
    return require_family(font_family())


def require_chinese_fonts(charts: bool = True, letters: bool = True) -> None:
    """Check the Chinese fonts before rendering; ``FontMissing`` says which to install.

    ``letters``: the Qt font of letters, PDFs and printing; ``charts``: matplotlib's.
    """
    if letters:
        require_letter_font()
    if charts:
        from core.reporting import require_cjk_font

        require_cjk_font()
