"""The headless segment and offers commands, driven like a user or a script would."""

from __future__ import annotations

import json

import openpyxl
import pytest

from core.synth import make_list, write_xlsx
from ui.cli.main import run_cli


@pytest.fixture(scope="module")
def list_file(tmp_path_factory):
    return write_xlsx(make_list(200, seed=11), tmp_path_factory.mktemp("in") / "客户清单.xlsx")


@pytest.fixture(scope="module")
def n_customers(list_file):
    from core.importer import import_file

    return len(import_file(list_file).customers)


def _json(capsys, argv):
    assert run_cli(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_segment_json_has_the_contract_keys(list_file, n_customers, capsys):
    data = _json(capsys, ["segment", str(list_file), "--edges", "50,100,200", "--by", "industry",
                          "--json"])  # fmt: skip
    assert [b["label"] for b in data["bands"]] == ["低端", "中端", "中高端", "高端"]
    keys = {"label", "low", "high", "customers", "share", "revenue", "revenue_share",
            "mean_spend", "median_spend"}  # fmt: skip
    assert keys <= set(data["bands"][0])
    assert data["bands"][-1]["high"] is None
    assert data["unbanded"] >= 1  # the messy list has missing and negative amounts
    banded = sum(b["customers"] for b in data["bands"])
    assert banded + data["unbanded"] == n_customers  # nobody lost
    assert sum(r["total"] for r in data["crosstab"]["rows"]) == banded
    assert data["crosstab"]["bands"] == ["低端", "中端", "中高端", "高端"]


def test_segment_quantiles_and_pareto(list_file, capsys):
    q = _json(capsys, ["segment", str(list_file), "--quantiles", "3", "--json"])
    assert 2 <= len(q["bands"]) <= 3
    p = _json(capsys, ["segment", str(list_file), "--pareto", "80", "--json"])
    assert [b["label"] for b in p["bands"]] == ["长尾客户", "核心客户"]
    assert p["bands"][1]["revenue_share"] >= 0.8


def test_segment_text_output_is_chinese(list_file, capsys):
    assert run_cli(["segment", str(list_file), "--by", "行业"]) == 0
    out = capsys.readouterr().out
    assert "低端（<50元）" in out and "未分档" in out and "按行业交叉统计" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--edges", "50,abc"], "不是数字"),
        (["--edges", "100,50"], "从小到大"),
        (["--quantiles", "0"], "1 到 20"),
        (["--quantiles", "x"], "不是整数"),
        (["--by", "colour"], "没有“colour”"),
    ],
)
def test_bad_values_give_a_chinese_message_not_a_traceback(list_file, capsys, args, words):
    assert run_cli(["segment", str(list_file), *args]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_two_schemes_at_once_is_a_usage_error(list_file, capsys):
    with pytest.raises(SystemExit) as exc:
        run_cli(["segment", str(list_file), "--edges", "50", "--quantiles", "3"])
    assert exc.value.code == 2
    assert "错误" in capsys.readouterr().err


def test_offers_json_lists_every_customer(list_file, n_customers, capsys):
    data = _json(capsys, ["offers", str(list_file), "--json", "--today", "2026-11-20"])
    rows = data["customers"]
    assert len(rows) == n_customers
    first = next(r for r in rows if r["band"])
    assert {"band", "tags", "offer_package", "offer_fee", "diff_month", "diff_year",
            "offer_reason"} <= set(first)  # fmt: skip
    assert round(first["offer_fee"] - first["spend"], 2) == first["diff_month"]
    assert any("种子用户" in r["tags"] for r in rows)
    assert all(r["offer_package"] is None for r in rows if r["band"] is None)


def test_offers_out_writes_excel_and_refuses_to_overwrite(list_file, n_customers, tmp_path, capsys):
    out = tmp_path / "推荐套餐.xlsx"
    assert run_cli(["offers", str(list_file), "--out", str(out), "--fit-usage"]) == 0
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert "推荐套餐" in header and "每月差额(元)" in header and "证件号码" not in header
    assert ws.max_row == n_customers + 1
    assert run_cli(["offers", str(list_file), "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert run_cli(["offers", str(list_file), "--out", str(out), "--force"]) == 0


def test_offers_with_a_bad_catalog_names_the_row(list_file, tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.append(["套餐名称", "月费(元)"])
    wb.active.append(["甲", "五十"])
    bad = tmp_path / "套餐库.xlsx"
    wb.save(bad)
    assert run_cli(["offers", str(list_file), "--catalog", str(bad)]) == 1
    assert "套餐库第2行：月费不是数字" in capsys.readouterr().err


def test_offers_text_summary(list_file, capsys):
    assert run_cli(["offers", str(list_file), "--max-cut", "15", "--fit-usage"]) == 0
    out = capsys.readouterr().out
    assert "主推套餐" in out and "客户标签" in out


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        run_cli(["offers", "--help"])
    assert "套餐库" in capsys.readouterr().out
