"""The headless segment and offers commands, driven like a user or a script would."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tools.synth import make_list, write_xlsx
from ui.cli.main import run_cli


@pytest.fixture(scope="module")
def list_file(tmp_path_factory):
    return write_xlsx(make_list(200, seed=11), tmp_path_factory.mktemp("in") / "客户清单.xlsx")


@pytest.fixture(scope="module")
def n_customers(list_file):
    from core.importing.importer import import_file

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


# ---- segment QA fixes (2/8 target, ties, rounding once, empty --edges) -------------------


def _spend_csv(path, spends):
    rows = "".join(f"客户{i},138{i:08d},{v}\n" for i, v in enumerate(spends))
    path.write_text("客户名称,手机号码,月均消费\n" + rows, "utf-8")
    return path


@pytest.mark.parametrize("value", ["1.5", "0.3", "100", "120", "0.8%", "20,30,40", "abc"])
def test_segment_pareto_must_be_a_sensible_share(list_file, capsys, value):
    assert run_cli(["segment", str(list_file), "--pareto", value]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert ("0.5 到 1" in err and "50 到 100" in err) or "等于 100" in err


def test_segment_pareto_heading_shows_the_value_used(list_file, capsys):
    assert run_cli(["segment", str(list_file), "--pareto", "75.5"]) == 0
    out = capsys.readouterr().out
    assert "二八分档（收入75.5%）" in out and "目标 75.5%" in out


def test_segment_ties_keep_the_59_128_split(tmp_path, capsys):
    src = _spend_csv(tmp_path / "同价.csv", [59] * 2700 + [128] * 300)
    for args in (["--quantiles", "4"], ["--pareto", "20,30,50"]):
        data = _json(capsys, ["segment", str(src), *args, "--json"])
        assert [b["customers"] for b in data["bands"]] == [2700, 300]
        assert data["bands"][1]["low"] == 128
        assert "合并为 2 档" in data["scheme"]["note"]


def test_segment_text_rounds_once_from_the_exact_share(tmp_path, capsys):
    # the top customer brings exactly 80.146% of the revenue: 80.1%, never 80.15% -> 80.2%
    src = _spend_csv(tmp_path / "集中.csv", [80146] + [2206] * 9)
    data = _json(capsys, ["segment", str(src), "--json"])
    assert data["pareto"]["revenue_share"] == 0.8015  # JSON keeps 4 decimals
    assert run_cli(["segment", str(src)]) == 0
    out = capsys.readouterr().out
    assert "贡献了 80.1% 的收入" in out and "80.2%" not in out


def test_segment_empty_or_negative_edges_are_refused(list_file, capsys):
    assert run_cli(["segment", str(list_file), "--edges", ""]) == 1
    err = capsys.readouterr().err
    assert "--edges 后面没有写内容" in err and "默认" not in err
    assert run_cli(["segment", str(list_file), "--edges=-10,50"]) == 1
    assert "负数" in capsys.readouterr().err
    for opt in ("--quantiles", "--pareto", "--round"):
        assert run_cli(["segment", str(list_file), opt, " "]) == 1
        assert "后面没有写内容" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run_cli(["segment", "--help"])
    assert "不能是负数" in capsys.readouterr().out
