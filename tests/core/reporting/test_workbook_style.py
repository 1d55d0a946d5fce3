"""The look of every workbook: fonts that name their typeface (an office program draws an
unnamed bold font in a serif face), one money format, rows tall enough for wrapped text,
phones masked unless asked, 证件号码 never written; one styling module, no import circle."""

from __future__ import annotations

import ast
import html
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.base.settings import Settings, save_settings
from core.marketing.bands import default_scheme
from core.marketing.segment import band_summary
from core.reporting import workbook_style as style
from core.reporting.offers_xlsx import write_offers_xlsx
from core.reporting.report import write_report
from tests.workbook_helpers import NAMES, ROOT, loaded, workbooks

MASKED = re.compile(r"^[\d-]*\*{4}\d{4}$|^\*+$")  # 138****5678, 0571-****3456
FULL_MOBILE = re.compile(r"(?<![\d*])1\d{10}(?!\d)")


def _xml(path: Path, pattern: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(pattern, n)}


@pytest.mark.parametrize("name", NAMES)
def test_every_font_names_the_body_typeface(name):
    path = workbooks()[name]
    (styles,) = _xml(path, r"xl/styles\.xml").values()
    fonts = re.findall(r"<font>.*?</font>|<font/>", styles, flags=re.S)
    assert fonts
    for font in fonts:  # bold ones included: never <font><b/></font>
        assert f'<name val="{style.BODY_FONT}"/>' in font, font
    for part, xml in _xml(path, r"xl/charts/chart\d+\.xml").items():
        runs = re.findall(r"<a:(?:defRPr|rPr)\b[^>]*/>|<a:(?:defRPr|rPr)\b[^>]*[^/]>.*?"
                          r"</a:(?:defRPr|rPr)>", xml, flags=re.S)  # fmt: skip
        assert runs, part
        for run in runs:  # the chart's title, axes and legend
            assert f'<a:latin typeface="{style.BODY_FONT}"' in run, (part, run)
            assert f'<a:ea typeface="{style.BODY_FONT}"' in run, (part, run)
    for part, xml in _xml(path, r"xl/worksheets/sheet\d+\.xml").items():
        footer = re.search(r"<oddFooter>(.*?)</oddFooter>", xml)
        assert footer, part  # every section of the footer in the body's face
        assert html.unescape(footer.group(1)).count(f'&"{style.BODY_FONT},Regular"') == 3, part


def test_only_the_style_module_makes_fonts():
    """No openpyxl Font(...) anywhere else in core.reporting: a new one would come without
    a name. (core/marketing/catalog.py writes the 套餐库 workbook with its own bold font: it
    sits below core.reporting and cannot use it.)"""
    offenders = []
    for path in sorted((ROOT / "core" / "reporting").rglob("*.py")):
        if path.name == "workbook_style.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called == "Font":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "请用 core.reporting.workbook_style.font()：" + "，".join(offenders)


def _header_of(ws, cell) -> str:
    for row in range(cell.row - 1, 0, -1):  # the nearest header above (small tables)
        value = ws.cell(row=row, column=cell.column).value
        if isinstance(value, str) and ws.cell(row=row, column=cell.column).fill.fgColor.rgb in (
            f"00{style.HEADER_FILL}", f"FF{style.HEADER_FILL}"):  # fmt: skip
            return value
    return str(ws.cell(row=cell.row, column=1).value or "")


@pytest.mark.parametrize("name", ["report_sample", "report_campaign", "offers_sample"])
def test_one_money_format_with_thousands_separators(name):
    money_cells = 0
    for ws in loaded(name).worksheets:
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60)):
            for cell in row:
                if not isinstance(cell.value, float | int) or isinstance(cell.value, bool):
                    continue
                label = _header_of(ws, cell)
                if "元" in label:  # money: 月均消费(元), 月收入合计(元), ARPU(元/户/月) …
                    assert cell.number_format in (style.MONEY, style.SIGNED_MONEY), (
                        ws.title, label, cell.number_format)  # fmt: skip
                    money_cells += 1
                else:
                    assert cell.number_format != "0.00" or "GB" in label, (ws.title, label)
    assert money_cells > 20


@pytest.mark.parametrize("name", ["report_sample", "report_campaign", "visits"])
def test_rows_with_wrapped_text_are_tall_enough(name):
    """WPS and LibreOffice do not grow a row for wrapped text: its height must be set."""
    checked = 0
    for ws in loaded(name).worksheets:
        merged = {r.min_row * 10_000 + r.min_col: r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60)):
            for cell in row:
                if not (cell.alignment.wrap_text and isinstance(cell.value, str)):
                    continue
                span = merged.get(cell.row * 10_000 + cell.column)
                cols = range(cell.column, (span.max_col if span else cell.column) + 1)
                width = sum(style.column_width(ws, c) for c in cols)
                size = cell.font.sz or style.BODY_SIZE
                lines = style.lines_needed(cell.value, width, bool(cell.font.b))
                if lines > 1:
                    height = ws.row_dimensions[cell.row].height
                    assert height and height >= lines * style.line_height(size), (
                        ws.title, cell.coordinate, cell.value)  # fmt: skip
                    checked += 1
    assert checked >= 2


def test_the_visit_sheet_instructions_are_not_cut():
    guide = loaded("visits")["填写说明"]
    rows = {guide.cell(row=r, column=1).value: r for r in range(2, guide.max_row + 1)}
    how = rows["怎么填"]
    text = guide.cell(row=how, column=2).value
    assert text.endswith("推荐套餐不要改。")  # the issue: "…推荐套餐不要" was cut
    assert guide.row_dimensions[how].height >= 2 * style.line_height()
    assert guide.cell(row=how, column=2).alignment.wrap_text


def _phones(ws, header="手机号码") -> list:
    col = [c.value for c in ws[1]].index(header) + 1
    return [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]


def test_phones_are_masked_by_default():
    for ws in (loaded("report_sample")["客户明细"], loaded("offers_sample")["推荐套餐"]):
        phones = [p for p in _phones(ws) if p]
        assert len(phones) > 250 and all(MASKED.match(p) for p in phones), ws.title
        text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
        assert not FULL_MOBILE.search(text)


def _customers() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["KH1", "KH2", "KH3"],
        "phone": ["13812345678", "0571-88123456", None],
        "name": ["甲", "乙", "丙"],
        "spend": [30.0, 120.0, 260.0],
        "id_number": ["330102198001011234"] * 3,
        "身份证号码": ["330102198001011235"] * 3,
        "联系电话": ["13900001111", "无", None],
        "号码归属地": ["杭州", "宁波", "温州"],
        "空列": [None, "", "  "],
    })  # fmt: skip


def test_the_setting_covers_the_workbooks_and_id_numbers_never_leave(tmp_path):
    """The window writes workbooks without ``unmask``: the saved setting decides (设置 →
    号码打码), as for the letters. Other phone columns are masked too; 证件号码 never written."""
    customers = _customers()
    scheme = default_scheme()

    def detail(path: Path) -> dict[str, list]:
        ws = openpyxl.load_workbook(path)["客户明细"]
        rows = list(ws.iter_rows(values_only=True))
        return {h: [r[j] for r in rows[1:]] for j, h in enumerate(rows[0])}

    masked = detail(write_report(tmp_path / "a.xlsx", customers, band_summary(customers, scheme),
                                 scheme))  # fmt: skip
    assert masked["手机号码"] == ["138****5678", "0571-****3456", None]
    assert masked["联系电话"] == ["139****1111", "无", None]  # a second phone column, masked
    assert masked["号码归属地"] == ["杭州", "宁波", "温州"]  # named like one, holds no number
    assert "空列" not in masked  # no value in it: not written
    save_settings(Settings(mask_phone=False))
    shown = detail(write_report(tmp_path / "b.xlsx", customers, band_summary(customers, scheme),
                                scheme))  # fmt: skip
    assert shown["手机号码"] == ["13812345678", "0571-88123456", None]
    offers = openpyxl.load_workbook(write_offers_xlsx(customers, tmp_path / "o.xlsx")).active
    assert "13812345678" in _phones(offers)
    hidden = detail(write_report(tmp_path / "c.xlsx", customers, band_summary(customers, scheme),
                                 scheme, unmask=False))  # fmt: skip
    assert hidden["手机号码"][0] == "138****5678"  # the command line's default
    for path in tmp_path.glob("*.xlsx"):
        with zipfile.ZipFile(path) as z:
            data = b"".join(z.read(n) for n in z.namelist())
        assert b"330102198001011234" not in data and b"330102198001011235" not in data


def _reporting_imports() -> dict[str, set[str]]:
    """core.reporting module → the core.reporting modules it imports (inside functions too)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "core" / "reporting").glob("*.py")):
        name = f"core.reporting.{path.stem}".removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "core.reporting":
                    found |= {f"core.reporting.{a.name}" for a in node.names}
                elif node.module.startswith("core.reporting."):
                    found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("core.reporting.")}
        graph[name] = found - {name}
    return graph


def test_no_import_circle_in_core_reporting():
    graph = _reporting_imports()
    assert "core.reporting.workbook_style" in graph["core.reporting.visit_results"]
    assert "core.reporting.report" not in graph["core.reporting.visit_results"]

    def visit(node: str, path: list[str]) -> None:
        for nxt in graph.get(node, ()):
            assert nxt not in path, " → ".join([*path, nxt])
            visit(nxt, [*path, nxt])

    for module in graph:
        visit(module, [module])
    for module in ("report", "offers_xlsx", "visits_xlsx", "visit_results"):  # one look
        assert "core.reporting.workbook_style" in graph[f"core.reporting.{module}"], module
