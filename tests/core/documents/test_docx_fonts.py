"""Word letters keep their bold Chinese in any office program: every run names its faces
(Arial, 微软雅黑 for East Asian text, the eastAsia hint and the zh-CN language) and the font
table chains 微软雅黑 → 等线 → 宋体 (GB2312), so a machine without 微软雅黑 takes another
Chinese face. Without the language LibreOffice drew the Chinese from a face with no bold."""

from __future__ import annotations

import io
import re
import zipfile

from core.documents.docx_out import FONT_CHAIN, docx_bytes
from tests.workbook_helpers import sample_letters

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in ("word/document.xml", "word/styles.xml",
                                                        "word/fontTable.xml")}  # fmt: skip


def test_every_run_names_the_chinese_face_and_language():
    from lxml import etree

    parts = _parts(docx_bytes(sample_letters(2)))
    doc = etree.fromstring(parts["word/document.xml"].encode("utf-8"))
    runs = doc.findall(f".//{{{W}}}r")
    bold = 0
    assert len(runs) > 40
    for run in runs:
        fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
        assert fonts is not None
        assert fonts.get(f"{{{W}}}eastAsia") == "微软雅黑"
        assert fonts.get(f"{{{W}}}hint") == "eastAsia"
        assert fonts.get(f"{{{W}}}ascii") == "Arial"
        lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
        assert lang is not None and lang.get(f"{{{W}}}eastAsia") == "zh-CN"
        b = run.find(f"{{{W}}}rPr/{{{W}}}b")
        bold += b is not None and b.get(f"{{{W}}}val") not in ("0", "false")
    assert bold >= 5  # the title, the headings, the bold sums: all with the named face
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", parts["word/styles.xml"]).group(0)
    assert 'w:eastAsia="微软雅黑"' in defaults and 'w:eastAsia="zh-CN"' in defaults
    assert "eastAsiaTheme" not in defaults  # no theme font over the named one


def test_the_font_table_chains_the_chinese_faces():
    table = _parts(docx_bytes(sample_letters(1)))["word/fontTable.xml"]
    chain = []
    for name, alt, _panose, _family in FONT_CHAIN:
        entry = re.search(rf'<w:font w:name="{name}">(.*?)</w:font>', table, flags=re.S)
        assert entry, name
        assert f'<w:altName w:val="{alt}"/>' in entry.group(1)
        assert '<w:charset w:val="86"/>' in entry.group(1)  # GB2312
        chain.append(name)
    assert chain == ["微软雅黑", "等线", "宋体"]
    assert table.count('w:name="微软雅黑"') == 1
