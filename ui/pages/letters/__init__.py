"""Step 4, 建议书与反馈表: letters and visit sheets — preview, template, print, files."""

from ui.pages.letters.page import LettersPage

__all__ = ["LettersPage"]
