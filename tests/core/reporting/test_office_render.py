"""An office suite no one here wrote prints our files: LibreOffice turns the report and a
Word letter into PDF (as a user's "print to PDF" would), and the pages must be what the
print settings promise — the page count, text that can be copied out, every page readable
(text at 55 % of its size or more), bold Chinese still bold in the letter.

Slow (LibreOffice starts in ~5 s): skipped where ``soffice`` is not installed; .ci/run
installs it (libreoffice-calc, libreoffice-writer), so CI runs it.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest

from core.reporting.print_setup import MIN_SCALE
from tests.workbook_helpers import sample_letters, workbooks

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TOOLS = all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts"))
pytestmark = pytest.mark.skipif(
    not (SOFFICE and TOOLS), reason="没有安装 LibreOffice（soffice）或 poppler-utils"
)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """report.pdf, letter.pdf and calibration.pdf (one 11 pt line at 100 %), in one call."""
    from core.documents.docx_out import write_docx

    folder = tmp_path_factory.mktemp("office")
    shutil.copyfile(workbooks()["report_sample"], folder / "report.xlsx")
    write_docx(folder / "letter.docx", sample_letters(1))
    calib = openpyxl.Workbook()
    calib.active["A1"] = "客户名称 KH880000000"
    calib.save(folder / "calibration.xlsx")
    names = ["report.xlsx", "letter.docx", "calibration.xlsx"]
    profile = (folder / "lo-profile").as_uri()
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *names],
        cwd=folder, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = {Path(n).stem: folder / f"{Path(n).stem}.pdf" for n in names}
    missing = [p.name for p in out.values() if not p.exists()]
    assert not missing, f"LibreOffice 没有生成 {missing}：{proc.stdout}{proc.stderr}"
    return out


def _pages(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return [
        [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(page)]
        for page in xml.split("<page ")[1:]
    ]


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))


def test_the_report_prints_the_pages_its_settings_promise(pdfs):
    pages = _pages(pdfs["report"])
    assert len(pages) == _page_count(pdfs["report"])
    full = next(w[3] - w[1] for w in _pages(pdfs["calibration"])[0] if w[4] == "客户名称")
    by_sheet: dict[str, list[int]] = {}
    for i, words in enumerate(pages, start=1):
        assert len(words) > 20, f"第 {i} 页几乎没有文字"
        bottom = max(w[1] for w in words)  # the footer: list name, 第 x 页 / 共 y 页, sheet
        footer = " ".join(w[4] for w in words if w[1] > bottom - 2)
        sheet = footer.split()[-1]  # the footer's right part: the sheet's name
        assert f"第 {i} 页 / 共 {len(pages)} 页" in footer
        by_sheet.setdefault(sheet, []).append(i)
        body = [w[3] - w[1] for w in words if w[1] < bottom - 30]  # 11 pt text of the sheet
        scale = statistics.median(body) / full
        assert scale >= MIN_SCALE, f"第 {i} 页（{sheet}）的文字只有原大小的 {scale:.0%}"
    assert list(by_sheet) == ["汇总", "分档统计", "客户明细", "交叉分析", "导入问题"]
    assert len(by_sheet["汇总"]) == len(by_sheet["分档统计"]) == len(by_sheet["交叉分析"]) == 1
    customers = openpyxl.load_workbook(workbooks()["report_sample"], read_only=True)
    rows = customers["客户明细"].max_row - 1
    customers.close()
    assert 4 <= len(by_sheet["客户明细"]) <= rows // 25  # readable rows, not 1 page of grey
    text = " ".join(w[4] for page in pages for w in page)
    for words in ("价值金字塔营销报表", "分档统计", "客户编号", "推荐套餐", "每月差额(元)"):
        assert words in text  # text a user can copy out, not pictures of text


def test_the_letter_prints_on_one_page_with_bold_chinese(pdfs):
    pdf = pdfs["letter"]
    assert _page_count(pdf) == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "客户建议书" in text and sample_letters(1)[0].name in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]  # fmt: skip
    chinese_bold = [f for f in fonts if "Bold" in f and re.search(r"CJK|Hei|Song|YaHei|Ming", f)]
    assert chinese_bold, "建议书中的中文粗体没有用粗体字形：\n" + "\n".join(fonts)
