"""Refuse to render when Chinese text would come out blank: a check before any output.

Letters (PDF, print, preview) are set by Qt in the family ``ui.render.pdf.font_family``
picks; charts are drawn by matplotlib (``core.reporting.fonts``). On a machine without a
Chinese font Qt draws the letters with empty Chinese text and matplotlib draws boxes, so
``require_chinese_fonts`` is called before generating, printing or exporting anything
and raises ``FontMissing`` (a ``UserError`` with a Chinese message and what to install).

The chart check does not import Qt; the letter check starts an offscreen Qt application
when there is none (headless commands).
"""

from __future__ import annotations

from core.base import FontMissing

SAMPLE = "客户建议书月费套餐"  # characters every letter has


def has_chinese_glyphs(family: str) -> bool:
    """Whether the font ``family`` itself (not a fallback) can draw Chinese characters."""
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family):
        return True
    raw = QRawFont.fromFont(QFont(family))
    return raw.isValid() and all(raw.supportsCharacter(ord(ch)) for ch in SAMPLE)


def require_letter_font() -> str:
    """The family letters are set in, or ``FontMissing`` if it has no Chinese glyphs."""
    from core.reporting.fonts import font_install_hint
    from ui.render.pdf import ensure_app, font_family

    ensure_app()
    family = font_family()
    if not has_chinese_glyphs(family):
        raise FontMissing(
            "未找到中文字体：建议书、反馈表（PDF 和打印）中的中文会是空白，所以没有生成任何文件。",
            font_install_hint(),
        )
    return family


def require_chinese_fonts(charts: bool = True, letters: bool = True) -> None:
    """Check the Chinese fonts before rendering; ``FontMissing`` says which to install.

    ``letters``: the Qt font of letters, PDFs and printing; ``charts``: matplotlib's.
    """
    if letters:
        require_letter_font()
    if charts:
        from core.reporting.fonts import require_cjk_font

        require_cjk_font()
