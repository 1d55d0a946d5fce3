"""Odd values in a customer list: each one is listed with its Excel row, none stops a batch.

Issue 10: spends like 1e30 were banded, "1e308" became a customer in no band and on no
problem list, negative usage was kept without a word, and one such cell made report,
proposals and the DOCX writer fail with 程序内部出错 for the whole list.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import tempfile
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.base.money import MAX_MONTHLY_SPEND
from core.documents.docx_out import docx_bytes
from core.documents.letter_html import to_html
from core.documents.letters import build_letters, select
from core.importing.importer import import_file
from core.importing.problems import PROBLEM_NAMES, SPEND_CODES
from core.marketing.bands import default_scheme
from core.marketing.offers import make_offers
from core.marketing.segment import band_summary, unbanded_summary
from core.reporting.offers_xlsx import write_offers_xlsx
from core.reporting.report import SHEET_DETAIL, SHEET_PROBLEMS, write_report
from ui.cli.main import run_cli

HEADER = ["客户名称", "用户号码", "月均消费", "月均流量(GB)", "月均通话(分钟)", "在网时长(月)"]
# Excel row -> the cells of that row (row 1 is the header)
ROWS = {
    2: ["正常客户", "13800000002", 88, 5, 100, 24],
    3: ["一万亿", "13800000003", 1e30, 5, 100, 24],
    4: ["文本大数", "13800000004", "1e308", 5, 100, 24],
    5: ["刚过上限", "13800000005", MAX_MONTHLY_SPEND + 0.01, 5, 100, 24],
    6: ["正好上限", "13800000006", MAX_MONTHLY_SPEND, 5, 100, 24],
    7: ["溢出", "13800000007", "1e309", 5, 100, 24],
    8: ["负流量", "13800000008", 50, -3, 100, 24],
    9: ["巨流量", "13800000009", 60, "1e308", 100, 24],
    10: ["负通话", "13800000010", 70, 5, -5, 24],
    11: ["网龄五千月", "13800000011", 80, 5, 100, 5000],
    12: ["流量inf", "13800000012", 90, "inf", 100, 24],
    13: ["负零", "13800000013", "-0", 5, 100, 24],
}
IMPLAUSIBLE_SPEND_ROWS = [3, 4, 5, 7]
EXPECTED = {
    (3, "spend", "implausible_spend"),
    (4, "spend", "implausible_spend"),
    (5, "spend", "implausible_spend"),
    (7, "spend", "implausible_spend"),
    (8, "data_gb", "implausible_number"),
    (9, "data_gb", "implausible_number"),
    (10, "voice_min", "implausible_number"),
    (11, "tenure_months", "implausible_number"),
    (12, "data_gb", "bad_number"),
}


def write_odd_list(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户清单"
    ws.append(HEADER)
    for row in ROWS.values():
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def odd_list(tmp_path) -> Path:
    return write_odd_list(tmp_path / "异常值清单.xlsx")


# --- import: listed, never silent ----------------------------------------------------------


def test_odd_values_are_listed_with_their_row_and_the_row_stays_a_customer(odd_list):
    res = import_file(odd_list)
    assert res.rows == len(ROWS) and len(res.customers) == len(ROWS)  # nobody dropped
    assert {(p.row, p.field, p.code) for p in res.problems} == EXPECTED
    by_row = res.customers.set_index("source_row")
    assert by_row.loc[IMPLAUSIBLE_SPEND_ROWS, "spend"].isna().all()
    assert (by_row.loc[IMPLAUSIBLE_SPEND_ROWS, "spend_issue"] == "implausible_spend").all()
    assert by_row.loc[6, "spend"] == MAX_MONTHLY_SPEND  # the limit itself is accepted
    assert by_row.loc[13, "spend"] == 0
    assert math.isnan(by_row.loc[8, "data_gb"]) and math.isnan(by_row.loc[9, "data_gb"])
    assert math.isnan(by_row.loc[10, "voice_min"]) and math.isnan(by_row.loc[11, "tenure_months"])
    assert by_row.loc[8, "voice_min"] == 100  # only the odd cell is unknown
    assert res.customer_count == len(ROWS) - len(IMPLAUSIBLE_SPEND_ROWS)
    # the numbers are never infinite or absurd downstream
    numbers = res.customers[["spend", "data_gb", "voice_min", "tenure_months"]].to_numpy()
    assert np.isnan(numbers[~np.isfinite(numbers)]).all()


def test_messages_say_what_to_do_in_chinese(odd_list):
    messages = {p.row: p.message for p in import_file(odd_list).problems}
    assert "超出合理范围" in messages[3] and "1,000,000 元" in messages[3]
    assert "是否把“分”当成了“元”" in messages[3] and "重新导入" in messages[3]
    assert "1e308" in messages[4]
    assert "为负数" in messages[8] and "按未知处理" in messages[8] and "核实" in messages[8]
    assert "大得不合理" in messages[9] and "GB" in messages[9]
    assert "秒" in messages[10] or "负数" in messages[10]
    assert "个月" in messages[11]
    for code in ("implausible_spend", "implausible_number"):
        assert code in PROBLEM_NAMES
    assert "implausible_spend" in SPEND_CODES


def test_implausible_spend_is_not_banded_and_says_why(odd_list):
    customers = import_file(odd_list).customers
    scheme = default_scheme()
    assert band_summary(customers, scheme)["customers"].sum() == 8
    assert unbanded_summary(customers, scheme) == {"implausible_spend": 4}
    # a frame built without the import (GUI, scripts) is judged the same way
    direct = pd.DataFrame({"spend": [88.0, 1e30, math.inf, 2e6, -1.0]})
    assert band_summary(direct, scheme)["customers"].sum() == 1
    assert unbanded_summary(direct) == {"implausible_spend": 3, "negative_spend": 1}


def test_spend_in_fen_is_judged_after_conversion(tmp_path):
    path = tmp_path / "分.csv"
    path.write_text("客户名称,用户号码,月均消费(分)\n甲,13800000001,8800\n乙,13800000002,1e9\n",
                    encoding="utf-8")  # fmt: skip
    res = import_file(path)
    assert res.customers["spend"].iloc[0] == 88.0
    assert [(p.row, p.code) for p in res.problems] == [(3, "implausible_spend")]


def test_control_characters_leave_imported_text(tmp_path):
    path = tmp_path / "控制字符.csv"
    path.write_text(
        "客户名称,用户号码,月均消费,网\x07格\n张\x07三,13800000001,88,一网格\n"
        "李_x0007_四,13800000002,99,二_x000D_网格\n",
        encoding="utf-8",
    )
    res = import_file(path)
    assert res.customers["name"].tolist() == ["张三", "李四"]
    assert res.customers["grid"].tolist() == ["一网格", "二 网格"]


# --- the commands: listed in Chinese, exit 0 -------------------------------------------------


def test_inspect_lists_the_new_problems_in_chinese(odd_list, capsys):
    assert run_cli(["inspect", str(odd_list), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problem_counts"] == {
        "implausible_spend": 4,
        "implausible_number": 4,
        "bad_number": 1,
    }
    assert data["customers"] == 8 and data["listed"] == len(ROWS)
    assert run_cli(["inspect", str(odd_list)]) == 0
    out = capsys.readouterr().out
    assert "月均消费超出合理范围 4" in out and "用量或时长不合理 4" in out
    assert "第 3 行 [月均消费(元)]" in out
    assert "implausible" not in out


def test_segment_counts_them_as_unbanded(odd_list, capsys):
    assert run_cli(["segment", str(odd_list)]) == 0
    out = capsys.readouterr().out
    assert "月均消费超出合理范围 4 人" in out


def test_report_lists_them_in_the_problems_sheet(odd_list, tmp_path, capsys):
    out = tmp_path / "报表.xlsx"
    assert run_cli(["report", str(odd_list), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    problems = list(wb[SHEET_PROBLEMS].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[2]) for r in problems} >= {
        (3, "月均消费超出合理范围"),
        (8, "用量或时长不合理"),
        (11, "用量或时长不合理"),
    }
    detail = wb[SHEET_DETAIL]
    headers = [c.value for c in detail[1]]
    issues = [
        row[headers.index("消费数据问题")] for row in detail.iter_rows(min_row=2, values_only=True)
    ]
    assert issues.count("月均消费超出合理范围") == 4


def test_gui_problem_list_names_the_new_codes(odd_list, qapp):
    from ui.models.problem_table import PROBLEM, ProblemTableModel

    model = ProblemTableModel()
    model.set_frame(import_file(odd_list).problem_frame())
    names = {model.index(r, PROBLEM).data() for r in range(model.rowCount())}
    assert names == {"月均消费超出合理范围", "用量或时长不合理", "数值无效"}


# --- no odd value stops a batch ----------------------------------------------------------


def _odd_customers() -> pd.DataFrame:
    """Customers as a script or the GUI might hand them over: not cleaned by the import."""
    n = 7
    return pd.DataFrame({
        "source_row": np.arange(2, n + 2),
        "customer_id": [f"KH{i}" for i in range(n)],
        "phone": ["13800000001", "13800000002", None, "13800000004", "13800000005",
                  "13800000006", "13800000007"],
        "name": ["名" * 300, "张\x07三", "李_x0007_四", "=cmd|' /C calc'!A0", "😀表情店",
                 "\ud800坏", None],
        "spend": [88.0, 1e25, 120.0, 250.0, 60.0, 1e28, 30.0],
        "spend_issue": [None] * n,
        "package": ["畅享59元套餐", None, "5G畅享129元套餐", None, None, None, None],
        "data_gb": [math.inf, 1e308, -3.0, np.nan, -math.inf, 5.0, 1e300],
        "voice_min": [100.0, -math.inf, 1e308, np.nan, math.inf, 50.0, -0.0],
        "tenure_months": [math.inf, 1e308, -5.0, np.nan, 12.0, np.nan, 1e30],
        "join_date": pd.to_datetime([None, "2020-01-15", None, None, None, None, None]),
        "contract_end": pd.to_datetime([None] * n),
        "address": ["地址\x0b一", None, None, None, None, None, None],
        "网格\x07": ["一", "二", "三", "四", "五", "六", "七"],
    })  # fmt: skip


def test_money_and_usage_extremes_never_stop_the_letters():
    offers = select(make_offers(_odd_customers()))
    letters = build_letters(offers, today=dt.date(2026, 11, 20))
    assert len(letters) == len(offers) >= 4
    for letter in letters:
        html = to_html(letter)
        assert "\x07" not in html and "\ud800" not in html
        assert "inf" not in html.lower().replace("info", "")
        assert "nan" not in html


def test_docx_accepts_long_names_and_control_characters():
    offers = select(make_offers(_odd_customers()))
    letters = build_letters(offers, today=dt.date(2026, 11, 20))
    for letter in letters:
        document = docx.Document(io.BytesIO(docx_bytes([letter])))
        assert len(document.core_properties.title) <= 255
        text = "\n".join(p.text for p in document.paragraphs)
        text += "\n".join(c.text for t in document.tables for c in t._cells)
        assert "\x07" not in text
    names = [letter.name for letter in letters]
    assert "名" * 300 in names  # the name itself is kept in full on the page
    long_doc = docx.Document(io.BytesIO(docx_bytes([letters[names.index("名" * 300)]])))
    assert long_doc.core_properties.title == "名" * 255
    assert any("名" * 300 in p.text for p in long_doc.paragraphs)


def test_xlsx_writers_accept_control_characters_and_huge_money(tmp_path):
    customers = _odd_customers()
    scheme = default_scheme()
    offers = make_offers(customers, scheme)
    path = write_report(tmp_path / "r.xlsx", offers, band_summary(customers, scheme), scheme,
                        title="标题\x07")  # fmt: skip
    wb = openpyxl.load_workbook(path)
    detail = wb[SHEET_DETAIL]
    headers = [c.value for c in detail[1]]
    assert "网格" in headers  # the header's control character is gone, the column kept
    names = [
        row[headers.index("客户名称")] for row in detail.iter_rows(min_row=2, values_only=True)
    ]
    assert "张三" in names
    write_offers_xlsx(offers, tmp_path / "o.xlsx")
    assert openpyxl.load_workbook(tmp_path / "o.xlsx").active.max_row == len(offers) + 1


def test_proposals_batch_survives_odd_rows(tmp_path, qapp, capsys):
    path = tmp_path / "清单.csv"
    path.write_text(
        "客户名称,用户号码,月均消费,月均流量,月均通话\n"
        "甲,13800000001,1e25,3,100\n"
        "乙,13800000002,88,inf,100\n"
        "丙,13800000003,99,1e308,-5\n"
        "丁,13800000004,120,2,1e308\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_cli(["proposals", str(path), "--out", str(out), "--format", "both"]) == 0
    files = sorted(p.name for p in (out / "客户建议书").iterdir())
    assert len(files) == 6  # 乙 丙 丁, PDF and DOCX each; 甲 is listed, not written
    captured = capsys.readouterr()
    assert "另有 1 位客户未分档" in captured.out
    assert "月均消费超出合理范围" in captured.err


def test_report_with_a_spend_of_1e28(tmp_path, capsys):
    path = tmp_path / "清单.csv"
    path.write_text("客户名称,用户号码,月均消费\n甲,13800000001,1e28\n乙,13800000002,88\n",
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "r.xlsx"
    assert run_cli(["report", str(path), "--out", str(out)]) == 0
    assert "已生成报表" in capsys.readouterr().out
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True)}
    assert summary["有月均消费的客户"] == 1 and summary["月收入合计(元)"] == 88


# --- outputs that cannot be written ------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--out", "{blocker}/报表.xlsx"],
        ["offers", "--out", "{blocker}/推荐.xlsx"],
        ["chart", "--kind", "pyramid", "--out", "{blocker}/图.png"],
        ["report", "--out", "{blocker}/子文件夹/报表.xlsx"],
        ["proposals", "--out", "{blocker}/建议书"],
        ["proposals", "--out", "{blocker}"],
    ],
)
def test_output_under_a_file_says_to_save_elsewhere(argv, odd_list, tmp_path, capsys):
    blocker = tmp_path / "我是文件.txt"
    blocker.write_text("x", encoding="utf-8")
    cmd, *rest = argv
    rest = [a.format(blocker=blocker) for a in rest]
    assert run_cli([cmd, str(odd_list), *rest]) == 1
    err = capsys.readouterr().err
    assert "换一个保存位置" in err and str(blocker) in err
    assert "程序内部出错" not in err
    assert blocker.read_text(encoding="utf-8") == "x"


def test_output_folder_without_permission(odd_list, tmp_path, capsys, monkeypatch):
    """Root can write anywhere, so the refusal of a read-only folder is simulated."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    folder = tmp_path / "只读"
    folder.mkdir()
    for argv in (["report", "--out", str(folder / "r.xlsx")],
                 ["chart", "--kind", "pareto", "--out", str(folder / "c.png")],
                 ["offers", "--out", str(folder / "o.xlsx")]):  # fmt: skip
        assert run_cli([argv[0], str(odd_list), *argv[1:]]) == 1
        err = capsys.readouterr().err
        assert f"无法在文件夹“{folder}”中保存文件（没有在这里保存文件的权限）" in err
        assert "换一个保存位置" in err
    assert list(folder.iterdir()) == []


def test_output_that_is_a_folder(odd_list, tmp_path, capsys):
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    assert run_cli(["report", str(odd_list), "--out", str(folder), "--force"]) == 1
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and "文件名" in err


def test_chart_labels_with_dollar_signs_emoji_and_control_characters(tmp_path, capsys):
    path = tmp_path / "网格.csv"
    path.write_text(
        "客户名称,用户号码,月均消费,网格\n张三,13800001111,88,$\\frac{$\n"
        "李四,13800002222,300,😀网格\n王五,13800003333,30,a$b$c\n",
        encoding="utf-8",
    )
    out = tmp_path / "热力图.png"
    argv = ["chart", str(path), "--kind", "crosstab", "--by", "grid", "--out", str(out)]
    assert run_cli(argv) == 0  # pytest turns matplotlib's glyph warning into an error
    assert out.read_bytes()[:4] == b"\x89PNG"
    report = tmp_path / "r.xlsx"
    argv = ["report", str(path), "--by", "grid", "--title", "活动\x07$x^$", "--out", str(report)]
    assert run_cli(argv) == 0
    assert "已生成报表" in capsys.readouterr().out
