"""A letter as the HTML subset QTextDocument renders (ui.render.pdf paints it on PDFs,
printers and the preview).
"""

from __future__ import annotations

import html

from core.base.safe_text import xml_safe
from core.documents.letter_parts import (
    Checks,
    Fill,
    Letter,
    Lines,
    Logo,
    Part,
    Signature,
    Spacer,
    Table,
)
from core.documents.templates import Block, Run

# ---- HTML for QTextDocument ------------------------------------------------------------

ACCENT = "#1f4e79"
SHADE = "#e8eef5"
GRID = "#7f8c99"
BODY_PT = 10.5


def _esc(text: str) -> str:
    return html.escape(xml_safe(text), quote=False)


def _runs_html(runs: list[Run]) -> str:
    return "".join(f"<b>{_esc(r.text)}</b>" if r.bold else _esc(r.text) for r in runs)


def _table_html(table: Table) -> str:
    # Grid lines are the table background showing through 1px cell spacing: it looks
    # like a thin ruled grid in print and draws 3× faster than collapsed cell borders.
    out = [f'<table width="100%" border="0" cellspacing="1" cellpadding="4" bgcolor="{GRID}" '
           f'style="margin-top:4px; margin-bottom:6px">']  # fmt: skip
    for r, row in enumerate(table.rows):
        out.append("<tr>")
        col = 0
        for cell in row:
            width = sum(table.widths[col : col + cell.span])
            col += cell.span
            attrs = f' width="{width}%"'
            if cell.span > 1:
                attrs += f' colspan="{cell.span}"'
            if cell.align != "left":
                attrs += f' align="{cell.align}"'
            # attributes, not CSS: QTextDocument parses them much faster (1,000 letters)
            text = _esc(cell.text)
            color = "#ffffff"
            if cell.head:
                color = SHADE
                if table.header and r == 0:
                    color = ACCENT
                    text = f'<font color="#ffffff"><b>{text}</b></font>'
            if cell.strong:
                text = f"<b>{text}</b>"
            out.append(f'<td{attrs} bgcolor="{color}">{text}</td>')
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _part_html(part: Part) -> str:
    if isinstance(part, Block):
        body = _runs_html(part.runs)
        if part.kind == "title":
            return (f'<p align="center" style="font-size:20pt; font-weight:bold; color:{ACCENT}; '
                    f'margin-top:0px; margin-bottom:2px">{body}</p>'
                    f'<table width="100%" cellspacing="0" cellpadding="0" style="border-collapse:'
                    f'collapse; margin-bottom:8px"><tr><td style="border-bottom:2px solid {ACCENT};'
                    f' font-size:2pt">&nbsp;</td></tr></table>')  # fmt: skip
        if part.kind == "heading":  # a shaded band with an accent bar (no table: fast)
            return (
                f'<p style="background-color:{SHADE}; font-size:12pt; font-weight:bold; '
                f'color:{ACCENT}; margin-top:8px; margin-bottom:4px">'
                f'<span style="color:{ACCENT}">▌</span>{body}</p>'
            )
        if part.kind == "right":
            return (
                f'<p align="right" style="margin-top:0px; margin-bottom:2px; '
                f'white-space:pre-wrap">{body}</p>'
            )
        return (
            f'<p style="margin-top:0px; margin-bottom:4px; line-height:145%; '
            f'white-space:pre-wrap">{body}</p>'
        )
    if isinstance(part, Table):
        return _table_html(part)
    if isinstance(part, Checks):
        boxes = "&nbsp;&nbsp;&nbsp;&nbsp;".join(
            f'<span style="font-size:14pt">□</span>&nbsp;{_esc(o)}' for o in part.options
        )
        label = f"<b>{_esc(part.label)}：</b>&nbsp;&nbsp;" if part.label else ""
        return f'<p style="margin-top:4px; margin-bottom:4px">{label}{boxes}</p>'
    if isinstance(part, Lines):
        label = (f'<p style="margin-top:6px; margin-bottom:0px"><b>{_esc(part.label)}：</b></p>'
                 if part.label else "")  # fmt: skip
        rows = "".join('<tr><td style="border-bottom:1px solid #555555; padding-top:20px">'
                       "&nbsp;</td></tr>" for _ in range(part.count))  # fmt: skip
        return (
            f'{label}<table width="100%" cellspacing="0" cellpadding="2" '
            f'style="border-collapse:collapse; margin-bottom:4px">{rows}</table>'
        )
    if isinstance(part, Fill):
        rows = []
        for i in range(0, len(part.labels), 2):
            cells = "".join(
                f'<td width="50%" style="padding-top:12px"><b>{_esc(x)}：</b>'
                f"<u>{_blank(part.value(i + j))}</u></td>"
                for j, x in enumerate(part.labels[i : i + 2]))  # fmt: skip
            rows.append(f"<tr>{cells}</tr>")
        return (f'<table width="100%" cellspacing="0" cellpadding="2" style="margin-top:2px; '
                f'margin-bottom:4px">{"".join(rows)}</table>')  # fmt: skip
    if isinstance(part, Signature):
        lines = "".join(f'<p align="right" style="margin-top:0px; margin-bottom:3px">{_esc(x)}</p>'
                        for x in part.lines)  # fmt: skip
        return f'<p style="margin-top:10px; margin-bottom:0px">&nbsp;</p>{lines}'
    if isinstance(part, Logo):
        return (f'<p align="left" style="margin-top:0px; margin-bottom:2px">'
                f'<img src="{_esc(part.path)}" height="40"></p>')  # fmt: skip
    if isinstance(part, Spacer):
        return '<p style="margin-top:0px; margin-bottom:0px">&nbsp;</p>'
    raise TypeError(part)


def _blank(value: str, width: int = 36) -> str:
    """A handwriting blank, with a pre-filled value in it (走访人) if there is one."""
    if not value:
        return "&nbsp;" * width
    return f"&nbsp;{_esc(value)}" + "&nbsp;" * max(width - 2 * len(value) - 1, 4)


def to_html(letter: Letter) -> str:
    body = "".join(_part_html(p) for p in letter.parts)
    return f'<html><body style="font-size:{BODY_PT}pt; color:#1a1a1a">{body}</body></html>'
