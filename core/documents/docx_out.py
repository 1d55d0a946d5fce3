"""The same letter as an editable Word/WPS file (python-docx, no Qt).

The parts come from core.documents.letter_parts (the template decides the text); this module only
lays them out: A4, the same margins as the PDF, shaded label cells, ruled lines for
handwriting, tick boxes.

Fonts: every run names its faces — Arial for Latin, 微软雅黑 for Chinese (``w:eastAsia``,
with the ``eastAsia`` hint and the zh-CN East Asian language) — and the font table names a
fallback chain 微软雅黑 → 等线 → 宋体 (each entry's alternative name, GB2312 character set
and panose), so a program without 微软雅黑 takes another Chinese face and keeps bold text
bold. Without the language a program may draw the Chinese from a fallback face that has no
bold (LibreOffice did).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from core.base.safe_text import xml_safe
from core.documents.letter_html import ACCENT, BODY_PT, SHADE
from core.documents.letter_parts import Checks, Fill, Letter, Lines, Logo, Signature, Spacer, Table
from core.documents.templates import Block

FONT = "微软雅黑"
MAX_TITLE = 255  # Word's limit for the document title (core properties)
LATIN_FONT = "Arial"
EAST_ASIAN_LANG = "zh-CN"
# The Chinese faces in the order a program should try them: (name, alternative name, panose,
# family). Each entry's altName is the next face of the chain; the last one's its English name.
FONT_CHAIN = (
    ("微软雅黑", "等线", "020B0503020204020204", "swiss"),
    ("等线", "宋体", "02010600030101010101", "auto"),
    ("宋体", "SimSun", "02010600030101010101", "auto"),
)
GB2312 = "86"  # w:charset of a simplified-Chinese face
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}  # fmt: skip
_ACCENT_RGB = RGBColor.from_string(ACCENT.lstrip("#").upper())


def _set_font(rpr_owner, name: str = FONT) -> None:
    """Name the faces of a run (or style): Latin, East Asian with its hint, and the East
    Asian language, so the Chinese text is drawn in (a substitute for) ``name``."""
    _name_fonts(rpr_owner.get_or_add_rPr(), name)


def _name_fonts(rpr, name: str = FONT) -> None:
    fonts = rpr.find(_RFONTS)
    if fonts is None:  # the usual case: a copy with every name, first in its place
        fonts = copy.copy(_FONTS_TEMPLATE)
        first = rpr[0] if len(rpr) else None
        rpr.insert(1 if first is not None and first.tag == _RSTYLE else 0, fonts)
    else:
        for attr in list(fonts.attrib):  # theme fonts (asciiTheme …) would win over the names
            if attr.lower().endswith("theme"):
                del fonts.attrib[attr]
        for attr, value in _FONTS_TEMPLATE.attrib.items():
            fonts.set(attr, value)
    if name != FONT:
        fonts.set(_EAST_ASIA, name)
    lang = rpr.find(_LANG)
    if lang is None:  # w:lang goes before the last few run properties, if any
        lang = copy.copy(_LANG_TEMPLATE)
        tail = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        rpr.append(lang) if tail is None else tail.addprevious(lang)
    lang.set(_EAST_ASIA, EAST_ASIAN_LANG)


_RFONTS, _RSTYLE, _LANG, _EAST_ASIA = qn("w:rFonts"), qn("w:rStyle"), qn("w:lang"), qn("w:eastAsia")
_AFTER_LANG = {qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath")}
_FONTS_TEMPLATE = OxmlElement("w:rFonts", {
    qn("w:ascii"): LATIN_FONT, qn("w:hAnsi"): LATIN_FONT, qn("w:eastAsia"): FONT,
    qn("w:cs"): LATIN_FONT, qn("w:hint"): "eastAsia",
})  # fmt: skip
_LANG_TEMPLATE = OxmlElement("w:lang", {qn("w:val"): "en-US", _EAST_ASIA: EAST_ASIAN_LANG})


@functools.lru_cache(maxsize=1)
def _font_table(blob: bytes) -> bytes:
    """python-docx's font table with the FONT_CHAIN entries (replacing any of that name)."""
    from lxml import etree

    root = etree.fromstring(blob)
    names = {n for n, *_ in FONT_CHAIN}
    for old in root.findall(qn("w:font")):
        if old.get(qn("w:name")) in names:
            root.remove(old)
    for name, alt, panose, family in FONT_CHAIN:
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("altName", alt), ("panose1", panose), ("charset", GB2312),
                           ("family", family), ("pitch", "variable")):  # fmt: skip
            el = etree.SubElement(font, qn(f"w:{tag}"))
            el.set(qn("w:val"), value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _name_every_font(doc) -> None:
    """The document's default run properties, and every run, name the faces; the font
    table carries the chain."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _name_fonts(rpr)
    for run in doc.element.body.iter(qn("w:r")):
        _name_fonts(run.get_or_add_rPr())
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            part = rel.target_part
            part._blob = _font_table(part.blob)


def _add_shd(props, fill: str) -> None:
    """Append a solid background (w:shd) to cell or paragraph properties."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    props.append(shd)


def _shade(cell, fill: str) -> None:
    _add_shd(cell._tc.get_or_add_tcPr(), fill)


def _border(paragraph, side: str, size: int = 6, color: str = "555555", space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    bdr.append(el)


def _para_shade(paragraph, fill: str) -> None:
    _add_shd(paragraph._p.get_or_add_pPr(), fill)


def _spacing(paragraph, before: float = 0, after: float = 3, line: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def _new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin = section.bottom_margin = Mm(15)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    _set_font(normal.element)
    _spacing_style = normal.paragraph_format
    _spacing_style.space_after = Pt(3)
    return doc


def _add_runs(paragraph, block: Block, size: float | None = None, bold: bool = False,
              color: RGBColor | None = None) -> None:  # fmt: skip
    for run_part in block.runs:
        run = paragraph.add_run(xml_safe(run_part.text))
        run.bold = bold or run_part.bold
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color


def _table(doc, part: Table) -> None:
    ncols = len(part.widths)
    table = doc.add_table(rows=len(part.rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = 174.0  # mm between the margins
    for r, row in enumerate(part.rows):
        col = 0
        for cell_part in row:
            cell = table.cell(r, col)
            if cell_part.span > 1:
                cell = cell.merge(table.cell(r, col + cell_part.span - 1))
            col += cell_part.span
            para = cell.paragraphs[0]
            para.alignment = _ALIGN.get(cell_part.align, WD_ALIGN_PARAGRAPH.LEFT)
            _spacing(para, 1, 1)
            run = para.add_run(xml_safe(cell_part.text))
            run.bold = cell_part.strong or (part.header and r == 0)
            if part.header and r == 0:
                _shade(cell, ACCENT)
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            elif cell_part.head:
                _shade(cell, SHADE)
    table.autofit = False
    for c, width in enumerate(part.widths):
        table.columns[c].width = Mm(usable * width / 100)  # the grid Word/WPS/LibreOffice use
        for cell in table.columns[c].cells:
            cell.width = Mm(usable * width / 100)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _ruled_lines(doc, count: int) -> None:
    """Lines to write on: a one-column table whose rows show only a bottom rule.

    (Paragraph borders would not do: Word joins adjacent bordered paragraphs into one box.)
    """
    table = doc.add_table(rows=count, cols=1)
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "right", "bottom", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        visible = side in ("bottom", "insideH")
        el.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            el.set(qn("w:sz"), "6")
            el.set(qn("w:color"), "555555")
        borders.append(el)
    tblpr.append(borders)
    table.autofit = False
    table.columns[0].width = Mm(174)
    for row in table.rows:
        row.height = Mm(9)
        row.cells[0].width = Mm(174)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _part(doc, part) -> None:
    if isinstance(part, Block):
        if part.kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_runs(p, part, size=20, bold=True, color=_ACCENT_RGB)
            _border(p, "bottom", size=18, color=ACCENT.lstrip("#"), space=4)
            _spacing(p, 0, 8)
        elif part.kind == "heading":
            p = doc.add_paragraph()
            _add_runs(p, part, size=12, bold=True, color=_ACCENT_RGB)
            _border(p, "left", size=36, color=ACCENT.lstrip("#"), space=4)
            _para_shade(p, SHADE)
            _spacing(p, 6, 3)
        elif part.kind == "right":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_runs(p, part)
        else:
            p = doc.add_paragraph()
            _add_runs(p, part)
            _spacing(p, 0, 3, 1.3)
    elif isinstance(part, Table):
        _table(doc, part)
    elif isinstance(part, Checks):
        p = doc.add_paragraph()
        if part.label:
            p.add_run(f"{xml_safe(part.label)}：").bold = True
        for i, option in enumerate(part.options):
            box = p.add_run(("    " if i else "  ") + "□")
            box.font.size = Pt(14)
            p.add_run(f" {xml_safe(option)}")
        _spacing(p, 2, 2)
    elif isinstance(part, Lines):
        if part.label:
            p = doc.add_paragraph()
            p.add_run(f"{xml_safe(part.label)}：").bold = True
        _ruled_lines(doc, part.count)
    elif isinstance(part, Fill):
        for i in range(0, len(part.labels), 2):
            p = doc.add_paragraph()
            _spacing(p, 10, 2)
            for j, label in enumerate(part.labels[i : i + 2]):
                if j:
                    p.add_run("        ")
                p.add_run(f"{xml_safe(label)}：").bold = True
                value = xml_safe(part.value(i + j))  # pre-filled (走访人), else a blank
                p.add_run(f" {value}" + "\u3000" * max(9 - len(value), 3) if value
                          else "\u3000" * 9).underline = True  # fmt: skip
    elif isinstance(part, Signature):
        doc.add_paragraph()
        for line in part.lines:
            p = doc.add_paragraph(xml_safe(line))
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _spacing(p, 0, 2)
    elif isinstance(part, Logo):
        with contextlib.suppress(Exception):  # a broken logo must not stop 1,000 letters
            doc.add_picture(part.path, height=Mm(11))
    elif isinstance(part, Spacer):
        doc.add_paragraph()


def letter_document(letters: list[Letter]) -> Document:
    """A Word document with the letters, one per page."""
    doc = _new_document()
    body = doc.element.body
    # drop the empty first paragraph python-docx's default template starts with
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for i, letter in enumerate(letters):
        if i:
            doc.add_page_break()
        for part in letter.parts:
            _part(doc, part)
    _name_every_font(doc)
    title = xml_safe(letters[0].name) if len(letters) == 1 else "客户建议书"
    doc.core_properties.title = title[:MAX_TITLE]
    return doc


def write_docx(path: str | Path, letters: list[Letter]) -> None:
    """Write the Word file: made in memory, written with every byte checked (a full disk
    raises OSError instead of leaving a cut file)."""
    from core.base.files import write_file

    write_file(path, docx_bytes(letters))


def docx_bytes(letters: list[Letter]) -> bytes:
    buf = io.BytesIO()
    letter_document(letters).save(buf)
    return buf.getvalue()
