"""Every sheet of every workbook prints well: A4, one page wide, header repeated, page x of y."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from core.reporting.print_setup import PAGE_FOOTER, footer_title, setup_print
from tools.synth import make_list, write_xlsx
from ui.cli.main import EXIT_OK, run_cli


@pytest.fixture(scope="module")
def listfile(tmp_path_factory):
    return write_xlsx(make_list(300, seed=5), tmp_path_factory.mktemp("l") / "城东&市场.xlsx")


def assert_prints_well(ws, title: str, one_page: bool = False) -> None:
    setup = ws.page_setup
    assert setup.paperSize == 9, ws.title  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert setup.fitToWidth == 1, ws.title
    assert setup.fitToHeight == (1 if one_page else 0), ws.title
    assert ws.print_title_rows and ws.print_title_rows.startswith("$1:"), ws.title
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.oddFooter.left.text == footer_title(title)


def test_report_sheets_all_print_well(tmp_path, listfile):
    out = tmp_path / "r.xlsx"
    assert run_cli(["report", str(listfile), "--by", "grid", "--out", str(out)]) == EXIT_OK
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "分档统计", "客户明细", "交叉分析", "导入问题"]
    for ws in wb.worksheets:  # 汇总 and 分档统计 (table and chart) each on one page
        assert_prints_well(ws, "城东&市场", one_page=ws.title in ("汇总", "分档统计"))
    assert wb["汇总"].page_setup.orientation == "portrait"  # the pyramid under the tables
    assert wb["分档统计"].page_setup.orientation == "landscape"  # 11 columns
    assert wb["客户明细"].page_setup.orientation == "landscape"
    assert wb["交叉分析"].page_setup.orientation == "portrait"  # a narrow table
    # the footer's "&" of the list's name is doubled, so it is not a formatting code
    assert wb["汇总"].oddFooter.left.text == "城东&&市场"


def test_streamed_sheets_keep_the_print_setup_in_their_xml(tmp_path, listfile):
    """客户明细 is spliced in by the streaming writer: its page setup must survive."""
    out = tmp_path / "r.xlsx"
    assert run_cli(["report", str(listfile), "--out", str(out)]) == EXIT_OK
    wb = openpyxl.load_workbook(out, read_only=True)
    index = wb.sheetnames.index("客户明细")
    with zipfile.ZipFile(out) as z:
        xml = z.read(f"xl/worksheets/sheet{index + 1}.xml").decode("utf-8")
        book = z.read("xl/workbook.xml").decode("utf-8")
    assert xml.count("<row ") == wb["客户明细"].max_row > 250  # the streamed rows are there
    for part in ('<pageSetUpPr fitToPage="1"', "<printOptions", "<pageMargins",
                 'paperSize="9"', 'fitToHeight="0"', 'fitToWidth="1"', "<headerFooter",
                 "&amp;P", "&amp;N"):  # fmt: skip
        assert part in xml, part
    assert xml.index("</sheetData>") < xml.index("<pageSetup")
    assert f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">' in book


def test_offers_workbook_prints_well(tmp_path, listfile):
    out = tmp_path / "o.xlsx"
    assert run_cli(["offers", str(listfile), "--out", str(out)]) == EXIT_OK
    ws = openpyxl.load_workbook(out)["推荐套餐"]
    assert_prints_well(ws, "城东&市场")
    assert ws.page_setup.orientation == "landscape"


def test_a_sheet_with_a_picture_too_tall_for_one_readable_page_breaks_before_it():
    """A table and a tall picture: one page would print below 70 %, so the table prints
    one page wide and the picture starts a page of its own (never cut in two)."""
    from openpyxl.drawing.image import Image
    from PIL import Image as Pillow

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 61):
        ws.cell(row=r, column=1, value=f"第{r}行")
    buf = io.BytesIO()
    Pillow.new("RGB", (640, 480), "white").save(buf, "PNG")
    ws.add_image(Image(buf), "A62")
    setup_print(ws, "t", one_page=None)
    assert ws.page_setup.fitToHeight == 0
    assert [b.id for b in ws.row_breaks.brk] == [61]  # the break under row 61, above the picture
    small = wb.create_sheet("small")
    small["A1"] = "x"
    buf.seek(0)
    small.add_image(Image(buf), "A3")
    setup_print(small, "t", one_page=None)
    assert small.page_setup.fitToHeight == 1 and not small.row_breaks.brk


def test_orientation_follows_the_width_and_pictures():
    wb = openpyxl.Workbook()
    narrow = wb.active
    narrow["A1"] = "x"
    setup_print(narrow, "t")
    assert narrow.page_setup.orientation == "portrait"
    wide = wb.create_sheet("wide")
    for j in range(1, 12):
        wide.cell(row=1, column=j, value="列")
        wide.column_dimensions[openpyxl.utils.get_column_letter(j)].width = 12
    setup_print(wide, "t", header_rows=2, gridlines=True)
    assert wide.page_setup.orientation == "landscape"
    assert wide.print_title_rows == "$1:$2"
    assert wide.print_options.gridLines


def test_footer_title_is_safe():
    assert footer_title("A&B\x07") == "A&&B"
    long = footer_title("很长的名字" * 40)
    assert len(long) <= 60 and long.endswith("…")
    assert "&P" in PAGE_FOOTER and "&N" in PAGE_FOOTER
