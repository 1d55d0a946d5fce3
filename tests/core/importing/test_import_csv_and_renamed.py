"""Issue 18, reading: every CSV line is accounted for, and the format comes from the content.

An unclosed quote is read leniently: the row is read as it stands and listed as a problem
with how many lines the quote would have swallowed, and every other line is read. (Stopping
would leave a user with nothing until they found one quote in a text editor; Excel itself
swallows the same lines, so it cannot show them the fault.)
"""

from __future__ import annotations

import random
import re
import shutil
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.base.errors import EncryptedFile, ImportFailed
from core.campaign.model import CampaignFileError
from core.importing import import_file, xlsx_scan
from tests.bad_files import SAMPLE, ods_cell, ods_row, write_ods
from tests.import_helpers import write_messy_xlsx
from ui.cli.main import run_cli


def _csv(path, rows: int = 5000, broken_line: int | None = None):
    rnd = random.Random(1)
    lines = ["用户号码,客户名称,月均消费"]
    for i in range(rows):
        name = f"客户{i}"
        if broken_line is not None and len(lines) + 1 == broken_line:
            name = '"张三'  # the quote is opened and never closed
        lines.append(f"138{i:08d},{name},{rnd.randint(10, 300)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unclosed_quote_is_listed_and_every_other_line_read(tmp_path, capsys):
    path = _csv(tmp_path / "引号.csv", broken_line=12)
    res = import_file(path, remember=False)
    assert res.rows == 5000 and res.customer_count == 5000  # was: 11, and 4,989 lost
    (quote,) = [p for p in res.problems if p.code == "bad_quote"]
    assert quote.row == 12 and "引号没有闭合" in quote.message and "4,989 行" in quote.message
    assert run_cli(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "第 12 行" in out and "引号没有闭合" in out


def test_unclosed_quote_in_campaign_new(tmp_path, capsys):
    path = _csv(tmp_path / "引号.csv", rows=300, broken_line=12)
    camp = tmp_path / "活动.jzt"
    assert run_cli(["campaign", "new", str(camp), "--list", str(path), "--json"]) == 0
    assert re.search(r"\b300\b", capsys.readouterr().out)  # all 300 customers


def test_quote_closed_hundreds_of_lines_later_is_caught(tmp_path):
    lines = ["用户号码,客户名称,月均消费"]
    lines += [f"138{i:08d},客户{i},50" for i in range(400)]
    lines[10] = '13800000009,"张三,50'
    lines[300] = '13800000299,李四",50'  # a stray quote pairs up with it 290 lines later
    path = tmp_path / "错配.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = import_file(path, remember=False)
    assert res.rows == 400
    assert [p.row for p in res.problems if p.code == "bad_quote"] == [11]


def test_a_quoted_address_on_two_lines_is_still_one_cell(tmp_path):
    path = tmp_path / "地址.csv"
    path.write_text('用户号码,月均消费,地址\n13800138000,88,"城东\n三排"\n13800138001,99,x\n')
    res = import_file(path, remember=False)
    assert res.customers["address"].tolist() == ["城东 三排", "x"]  # one cell, its break a space
    assert not res.problems


def test_a_field_over_128_kb_is_read(tmp_path):
    path = tmp_path / "长.csv"
    note = "备" * 200_000
    path.write_text(f"用户号码,月均消费,备注\n13800138000,88,{note}\n13800138001,99,短\n")
    res = import_file(path, remember=False)  # was: exit 3, field larger than field limit
    assert res.customer_count == 2
    assert res.customers["备注"].str.len().tolist() == [200_000, 1]


def test_visits_import_refuses_a_csv_with_an_unclosed_quote(tmp_path):
    from core.campaign.visit_files import read_filled

    path = tmp_path / "走访.csv"
    path.write_text(
        '客户编号,走访日期,走访人,意向\nK1,2026-11-03,"张三,有意向\nK2,2026-11-04,李四,成交\n'
    )
    with pytest.raises(CampaignFileError, match="第 2 行的引号没有闭合"):
        read_filled(path)


# --- the format comes from the content ------------------------------------------------------


def _xls(path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("客户")
    for r, row in enumerate([["用户号码", "客户名称", "月均消费"], ["13812345678", "张三", 59],
                             ["13812345679", "李四", 128.5]]):  # fmt: skip
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.save(str(path))
    return path


def _ods(path):
    rows = [
        ods_row([ods_cell("用户号码"), ods_cell("客户名称"), ods_cell("月均消费")]),
        ods_row([ods_cell("13812345678"), ods_cell("张三"), ods_cell(59)]),
        ods_row([ods_cell("13812345679"), ods_cell("李四"), ods_cell(128.5)]),
    ]
    return write_ods(path, {"客户": rows})


def _csv_small(path):
    path.write_text("用户号码,客户名称,月均消费\n13812345678,张三,59\n13812345679,李四,128.5\n")
    return path


@pytest.mark.parametrize(
    ("make", "kind", "name"),
    [
        (_xls, "xls", "清单.xlsx"),
        (_ods, "ods", "清单.xlsx"),
        (_ods, "ods", "清单.xls"),
        (_csv_small, "csv", "清单.xlsx"),
        (_csv_small, "csv", "清单.xls"),
    ],
)
def test_renamed_small_lists_read_by_content(tmp_path, make, kind, name):
    made = make(tmp_path / f"原.{kind}")
    path = tmp_path / name
    shutil.copy(made, path)
    res = import_file(path, remember=False)
    assert res.kind == kind
    assert res.customers["phone"].tolist() == ["13812345678", "13812345679"]
    assert res.customers["spend"].tolist() == [59.0, 128.5]


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".et", ".XLSX", ""])
def test_an_xlsx_under_any_name(tmp_path, suffix, capsys):
    path = tmp_path / f"示例客户清单{suffix}"
    shutil.copy(SAMPLE, path)
    res = import_file(path, remember=False)  # was: 文件已损坏或格式不完整
    assert res.kind == "xlsx" and res.customer_count == 316
    assert run_cli(["inspect", str(path), "--json"]) == 0
    assert '"format": "xlsx"' in capsys.readouterr().out


def test_visit_sheet_saved_under_another_extension(tmp_path):
    from core.campaign.visit_files import read_filled
    from tests.campaign_helpers import export, fill, visit

    camp = tmp_path / "活动.jzt"
    assert run_cli(["campaign", "new", str(camp), "--list", str(SAMPLE)]) == 0
    filled = fill(export(camp, tmp_path / "走访表.xlsx"), tmp_path / "填好.xlsx", {2: visit()})
    renamed = tmp_path / "填好.xls"
    shutil.copy(filled, renamed)
    rows, _blank = read_filled(renamed)
    assert [r.row for r in rows] == [2]


def test_encrypted_and_damaged_files_keep_their_messages(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = write_messy_xlsx(tmp_path / "plain.xlsx")
    locked = tmp_path / "加密.xls"  # an encrypted workbook under another name
    with open(plain, "rb") as src, open(locked, "wb") as out:
        ooxml.OOXMLFile(src).encrypt("1234", out)
    with pytest.raises(EncryptedFile, match="文件已加密"):
        import_file(locked)
    cut = tmp_path / "残缺.ods"
    cut.write_bytes(plain.read_bytes()[: plain.stat().st_size // 2])
    with pytest.raises(ImportFailed, match="损坏"):
        import_file(cut)


# --- the scan never under-states how far a sheet reaches ------------------------------------


def _sheet_zip(path, cells: list[tuple[int, int]], lowercase: bool) -> zipfile.ZipFile:
    rows: dict[int, list[int]] = {}
    for r, c in cells:
        rows.setdefault(r, []).append(c)
    parts = []
    for r in rows:  # in the order drawn: a sheet need not be sorted
        refs = "".join(f'<c r="{_letters(c, lowercase)}{r}"><v>{c}</v></c>' for c in rows[r])
        parts.append(f'<row r="{r}">{refs}</row>')
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:B2"/><sheetData>{"".join(parts)}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    return zipfile.ZipFile(path)


def _letters(n: int, lower: bool) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s.lower() if lower else s


@settings(max_examples=80, deadline=None)
@given(
    cells=st.lists(
        st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384)), min_size=1, max_size=30
    ),
    filler=st.integers(0, 3000),
    lowercase=st.booleans(),
)
def test_scan_never_understates_the_extent(tmp_path_factory, cells, filler, lowercase):
    # ``filler`` ordinary cells first, so far ones can land in a later chunk of the XML
    cells = [(1 + i // 10, 1 + i % 10) for i in range(filler * 10)] + cells
    zf = _sheet_zip(tmp_path_factory.mktemp("scan") / "s.xlsx", cells, lowercase)
    with zf:
        extent = xlsx_scan.scan(zf, "xl/worksheets/sheet1.xml")
    if extent.regular:  # else the sheet is read by rows anyway
        assert extent.max_row >= max(r for r, _ in cells)
        assert extent.max_col >= max(c for _, c in cells)
    far = max(r for r, _ in cells) * max(c for _, c in cells)
    if far > xlsx_scan.BIG_BLOCK:
        assert not extent.fits_calamine()
