"""The 走访人 drop-down of the 走访记录 sheet (issue 18): a quote or a comma in a staff name,
or more names than Excel's 255-character inline list holds, go to a hidden sheet the list
points at — never an inline list Excel has to repair."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from openpyxl.formula import Tokenizer

from core.campaign import Campaign
from core.reporting.visits_xlsx import LISTS_SHEET, list_source
from tests.campaign_helpers import TODAY, build_campaign, export, fill, keys_in, visit

QUOTED = ('张"三', "李四")
LONG = tuple(f"走访员{i:02d}号城东网格" for i in range(30))  # 30 × 11 characters


def _lists(path) -> tuple[openpyxl.Workbook, dict[str, str]]:
    wb = openpyxl.load_workbook(path)
    ws = wb["走访记录"]
    return wb, {
        str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }


def _items(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The items a list validation offers, as Excel reads its formula."""
    (token,) = Tokenizer("=" + formula).items  # one operand: a text or a range
    if token.subtype == "TEXT":
        return token.value[1:-1].replace('""', '"').split(",")
    assert token.subtype == "RANGE", formula
    sheet, cells = token.value.split("!")
    assert sheet.strip("'") == LISTS_SHEET
    return [c.value for row in wb[LISTS_SHEET][cells.replace("$", "")] for c in row]


@pytest.mark.parametrize(
    "staff, inline",
    [(("张三", "李四"), True), (QUOTED, False), (("王,五", "赵六"), False), (LONG, False)],
)
def test_staff_list_is_one_valid_list_with_every_name(tmp_path, staff, inline):
    camp = build_campaign(tmp_path, n=8, staff=staff)
    out = export(camp, tmp_path / "走访表.xlsx")
    wb, lists = _lists(out)
    assert _items(wb, lists["G"]) == list(staff)
    assert lists["G"].startswith('"') is inline
    for column in "HIJM":  # the fixed lists stay inline
        assert lists[column].startswith('"') and len(_items(wb, lists[column])) >= 2
    if inline:
        assert LISTS_SHEET not in wb.sheetnames
    else:
        assert wb.sheetnames == ["走访记录", "填写说明", LISTS_SHEET]
        assert wb[LISTS_SHEET].sheet_state == "hidden"
        assert wb.active.title == "走访记录"


def test_a_sheet_with_a_list_sheet_imports_as_before(tmp_path):
    camp = build_campaign(tmp_path, n=8, staff=QUOTED)
    out = export(camp, tmp_path / "走访表.xlsx")
    filled = fill(out, tmp_path / "填好.xlsx", {2: visit(who='张"三')})
    with Campaign.open(camp) as c:
        report = c.import_visits([filled], today=TODAY)
        (stored,) = c.visits()
    assert report.imported == 1 and stored.visit.visitor == '张"三'
    assert stored.customer_key == keys_in(out)[0]


def test_list_source_gives_each_long_list_its_own_column():
    wb = openpyxl.Workbook()
    ws = wb.active
    assert list_source(ws, ("是", "否")) == '"是,否"'
    first = list_source(ws, QUOTED)
    second = list_source(ws, ("=SUM(A1)", "a,b"))
    assert first == f"'{LISTS_SHEET}'!$A$1:$A$2" and second == f"'{LISTS_SHEET}'!$B$1:$B$2"
    assert _items(wb, second) == ["=SUM(A1)", "a,b"]
    assert wb[LISTS_SHEET]["B1"].data_type == "s"  # formula-like text stays text
    assert list_source(ws, tuple("甲" * 9 for _ in range(25))).startswith('"')  # 249 characters
    assert not list_source(ws, tuple("甲" * 9 for _ in range(26))).startswith('"')  # 259


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_list_from_the_hidden_sheet(tmp_path):
    camp = build_campaign(tmp_path, n=8, staff=QUOTED)
    out = export(camp, tmp_path / "走访表.xlsx")
    profile = (tmp_path / "lo").as_uri()
    for fmt in ("ods", "xlsx"):
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", fmt, "--outdir", str(tmp_path / "lo_out"), str(out)],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
    with zipfile.ZipFile(tmp_path / "lo_out" / "走访表.ods") as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert f"of:cell-content-is-in-list([${LISTS_SHEET}.$A$1:.$A$2])" in content
    # the round trip through LibreOffice keeps the list and its names
    wb, lists = _lists(tmp_path / "lo_out" / "走访表.xlsx")
    assert _items(wb, lists["G"]) == list(QUOTED)
    assert wb[LISTS_SHEET].sheet_state == "hidden"
