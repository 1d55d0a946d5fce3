"""Headless ``report`` and ``chart`` commands."""

from __future__ import annotations

import openpyxl
import pytest

from tests.paths import SAMPLE as SAMPLE_LIST
from tools.synth import make_list, write_xlsx
from ui.cli.main import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, run_cli


@pytest.fixture(scope="module")
def listfile(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "客户清单.xlsx"
    return write_xlsx(make_list(120, seed=11), path)


def test_report_command(tmp_path, listfile, capsys):
    out = tmp_path / "报表.xlsx"
    assert run_cli(["report", str(listfile), "--by", "行业", "--out", str(out)]) == EXIT_OK
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "分档统计", "客户明细", "交叉分析", "导入问题"]
    assert "已生成报表" in capsys.readouterr().out


def test_report_with_edges(tmp_path, listfile):
    out = tmp_path / "r.xlsx"
    assert run_cli(["report", str(listfile), "--edges", "60,150", "--out", str(out)]) == EXIT_OK
    ws = openpyxl.load_workbook(out)["分档统计"]
    assert ws.max_row == 3 + 1 + 1  # header, 3 bands, total


def test_report_refuses_overwrite(tmp_path, listfile, capsys):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")
    assert run_cli(["report", str(listfile), "--out", str(out)]) == EXIT_USER_ERROR
    assert "已存在" in capsys.readouterr().err
    assert out.read_bytes() == b"old"
    assert run_cli(["report", str(listfile), "--out", str(out), "--force"]) == EXIT_OK
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("kind", ["pyramid", "pareto", "bands"])
def test_chart_command(tmp_path, listfile, kind):
    out = tmp_path / f"{kind}.png"
    assert run_cli(["chart", str(listfile), "--kind", kind, "--out", str(out)]) == EXIT_OK
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_chart_crosstab_pdf_and_svg(tmp_path, listfile):
    for suffix in (".pdf", ".svg"):
        out = tmp_path / f"x{suffix}"
        args = ["chart", str(listfile), "--kind", "crosstab", "--by", "grid", "--out", str(out)]
        assert run_cli(args) == EXIT_OK
        assert out.stat().st_size > 1000


def test_chart_errors(tmp_path, listfile, capsys):
    out = tmp_path / "x.png"
    assert (
        run_cli(["chart", str(listfile), "--kind", "crosstab", "--out", str(out)])
        == EXIT_USER_ERROR
    )
    assert "--by" in capsys.readouterr().err
    assert (
        run_cli(["chart", str(listfile), "--kind", "bands", "--out", str(tmp_path / "x.jpg")])
        == EXIT_USER_ERROR
    )
    with pytest.raises(SystemExit) as exc:
        run_cli(["chart", str(listfile), "--kind", "pie", "--out", str(out)])
    assert exc.value.code == EXIT_USAGE
    assert not out.exists()


# ---- QA fixes: no usable spend refuses charts; 导入问题 always in the report ---------------


def _csv(path, rows):
    path.write_text("客户名称,手机号码,月均消费\n" + "".join(f"{r}\n" for r in rows), "utf-8")
    return path


@pytest.mark.parametrize("kind", ["pyramid", "pareto", "bands"])
def test_chart_without_any_spend_is_refused(tmp_path, capsys, kind):
    src = _csv(tmp_path / "无消费.csv", ["张三,13800000001,", "李四,13800000002,", "王五,,"])
    out = tmp_path / "x.png"
    assert run_cli(["chart", str(src), "--kind", kind, "--out", str(out)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "没有一位客户有可用的月均消费" in err and "--map spend=" in err
    assert "Traceback" not in err and not out.exists()


def test_report_of_a_clean_list_still_has_the_problems_sheet(tmp_path):
    src = _csv(tmp_path / "干净.csv", ["张三,13800000001,59", "李四,13800000002,128", "合计,,187"])
    out = tmp_path / "r.xlsx"
    assert run_cli(["report", str(src), "--out", str(out)]) == EXIT_OK
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "分档统计", "客户明细", "导入问题"]
    lines = [r[0] for r in wb["导入问题"].values]
    assert lines[0] == "没有发现导入问题：每一行都已作为客户导入。"
    assert "合计行 1 行" in lines[1]


def test_report_detail_names_spend_problems_in_chinese(tmp_path, listfile):
    out = tmp_path / "r.xlsx"
    assert run_cli(["report", str(listfile), "--out", str(out)]) == EXIT_OK
    ws = openpyxl.load_workbook(out)["客户明细"]
    headers = [c.value for c in ws[1]]
    col = headers.index("消费数据问题")
    values = {r[col] for r in ws.iter_rows(min_row=2, values_only=True)} - {None}
    assert values and values <= {"月均消费为空", "月均消费不是数字", "月均消费为负数"}


def test_report_takes_the_same_offer_options_as_the_letters(tmp_path):

    from ui.cli.main import run_cli

    sample = SAMPLE_LIST
    out = tmp_path / "报表.xlsx"
    assert (
        run_cli(["report", str(sample), "--fit-usage", "--max-cut", "30", "--out", str(out)]) == 0
    )
    wb = openpyxl.load_workbook(out, read_only=True)
    ws = wb["客户明细"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    reasons = [row[header.index("推荐理由")] for row in ws.iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert any(r and r.startswith("按实际用量推荐") for r in reasons)
    assert run_cli(["report", str(sample), "--max-cut", "abc", "--out", str(out), "--force"]) == 1
