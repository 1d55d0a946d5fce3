"""Text every output accepts: control characters out, Excel's _x0007_ escapes undone.

Exported lists sometimes carry control characters in names or addresses (a BEL typed
into a CRM field; Excel stores it as ``_x0007_``). XML — hence DOCX, XLSX and the HTML
the PDF is drawn from — refuses them, and one such cell must not stop a batch.
"""

from __future__ import annotations

import re

# Characters XML 1.0 does not allow (lxml and openpyxl refuse them).
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Control characters removed from imported text. Tab, line breaks and \x0b\x0c\x1c-\x1f
# are whitespace to str.split(), which the text cleaner turns into single spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Excel's escape for a character XML cannot hold: _x0007_ is BEL, _x000D_ a carriage return.
_EXCEL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff]|00[89][0-9A-Fa-f])_")


def _unescape(match: re.Match[str]) -> str:
    ch = chr(int(match.group(1), 16))
    return " " if ch.isspace() else ""


def without_controls(text: str) -> str:
    """Imported text with control characters (and their _x0007_ escapes) removed.

    Whitespace controls (tab, line breaks, _x000D_) become a space.
    """
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(_unescape, text)
    return _CONTROL.sub("", text)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (DOCX, XLSX, the letters' HTML)."""
    return XML_ILLEGAL.sub("", text) if XML_ILLEGAL.search(text) else text
