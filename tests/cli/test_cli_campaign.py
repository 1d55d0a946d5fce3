"""Headless campaign commands through ui.cli.main.run_cli: the whole loop, and its errors."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.campaign_helpers import fill, keys_in, visit
from tools.synth import make_list, write_xlsx
from ui.cli.main import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, run_cli

TOTAL_KEYS = ("planned", "visited", "met", "interested", "signed", "revenue_change")


@pytest.fixture(scope="module")
def listfile(tmp_path_factory):
    return write_xlsx(make_list(90, seed=21), tmp_path_factory.mktemp("in") / "城东清单.xlsx")


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def _new(tmp_path, listfile, name="城东.jzt", *more) -> str:
    path = str(tmp_path / name)
    args = ["campaign", "new", path, "--list", str(listfile), "--staff", "张三,李四",
            "--branch", "城东分公司", *more]  # fmt: skip
    assert run_cli(args) == EXIT_OK
    return path


def test_the_whole_loop(tmp_path, listfile, capsys):
    camp = _new(tmp_path, listfile, "城东", "--edges", "50,100,200", "--start", "2026-11-01")
    assert camp.endswith("城东") and (tmp_path / "城东.jzt").exists()  # .jzt added
    camp += ".jzt"
    assert "已新建营销活动" in capsys.readouterr().out
    assert run_cli(["campaign", "info", camp, "--json"]) == EXIT_OK
    info = _json(capsys)
    assert info["name"] == "城东" and info["branch"] == "城东分公司"
    assert info["staff"] == ["张三", "李四"] and info["start_date"] == "2026-11-01"
    assert info["source"]["file"] == "城东清单.xlsx" and len(info["source"]["sha256"]) == 64
    assert info["customers"] == sum(info["bands"].values()) and info["visits"] == 0
    assert run_cli(["campaign", "info", camp]) == EXIT_OK
    assert "客户：" in capsys.readouterr().out

    out = tmp_path / "走访表.xlsx"
    assert run_cli(["visits-export", camp, "--out", str(out)]) == EXIT_OK
    assert "已导出走访表" in capsys.readouterr().out
    keys = keys_in(out)
    assert len(keys) == info["customers"]
    filled = fill(out, tmp_path / "张三.xlsx", {
        2: visit("2026-11-20", intent="已成交", 签约月费="99元", 是否见到决策人="是",
                 签约套餐="畅享99元套餐"),
        3: visit("2026/11/21", "李四", "有意向", 下次跟进日期="2026-12-04"),
        4: visit("2026-11-22", intent="很想办"),
        5: visit("2026-11-22", 签约月费="好多钱"),
    })  # fmt: skip
    assert run_cli(["visits-import", camp, str(filled), "--json"]) == EXIT_OK
    report = _json(capsys)
    assert (report["imported"], report["duplicates"], report["conflicts"], report["rejected"]) == (
        2, 0, 0, 2)  # fmt: skip
    assert [(r["file"], r["row"]) for r in report["rejected_rows"]] == [("张三.xlsx", 4),
                                                                      ("张三.xlsx", 5)]  # fmt: skip
    assert "意向“很想办”" in report["rejected_rows"][0]["reason"]

    again = fill(out, tmp_path / "李四.xlsx", {
        2: visit("2026-11-20", intent="无意向"),  # conflicts with 张三.xlsx row 2
        6: visit("2026-11-23", "李四", "考虑中"),
    })  # fmt: skip
    assert run_cli(["visits-import", camp, str(filled), str(again)]) == EXIT_OK
    text = capsys.readouterr().out
    assert "张三.xlsx：导入 0 条，重复 2 条" in text and "导入过" in text
    assert "李四.xlsx：导入 1 条，重复 0 条，冲突 1 条" in text
    assert "第 4 行" in text and "合计：导入 1 条" in text

    assert run_cli(["results", camp, "--json", "--today", "2026-12-01"]) == EXIT_OK
    res = _json(capsys)
    total = res["total"]
    assert [total[k] for k in TOTAL_KEYS[:5]] == [info["customers"], 3, 1, 2, 1]
    assert res["by"] == "band" and res["groups"]
    for group in res["groups"]:
        assert all(k in group for k in TOTAL_KEYS)
    assert sum(g["planned"] for g in res["groups"]) == total["planned"]
    assert total["follow_ups_due"] == 1 and res["follow_ups"][0]["date"] == "2026-12-04"
    for by in ("staff", "branch", "grid", "网格", "manager"):
        assert run_cli(["results", camp, "--by", by]) == EXIT_OK
        assert "合计" in capsys.readouterr().out

    rep = tmp_path / "报表.xlsx"
    assert run_cli(["report", "--campaign", camp, "--out", str(rep)]) == EXIT_OK
    assert "含走访结果" in capsys.readouterr().out
    wb = openpyxl.load_workbook(rep)
    assert wb.sheetnames == ["汇总", "分档统计", "客户明细", "导入问题", "走访结果"]
    assert wb["客户明细"].max_row == info["customers"] + 1
    rep2 = tmp_path / "报表2.xlsx"
    assert run_cli(["report", str(listfile), "--campaign", camp, "--by", "grid",
                    "--out", str(rep2)]) == EXIT_OK  # fmt: skip
    assert openpyxl.load_workbook(rep2).sheetnames[-2:] == ["导入问题", "走访结果"]
    capsys.readouterr()
    assert run_cli(["campaign", "info", camp, "--json"]) == EXIT_OK
    after = _json(capsys)
    assert after["visits"] == 3 and len(after["imports"]) == 3
    assert after["documents"] == info["customers"]  # the exported sheet is logged


def test_results_over_several_files(tmp_path, listfile, capsys):
    a = _new(tmp_path, listfile, "a.jzt")
    b = str(tmp_path / "b.jzt")
    assert run_cli(["campaign", "new", b, "--list", str(listfile), "--branch", "城西分公司"]) == 0
    capsys.readouterr()
    assert run_cli(["results", a, b, "--by", "branch", "--json"]) == EXIT_OK
    res = _json(capsys)
    assert [g["group"] for g in res["groups"]] == ["城东分公司", "城西分公司"]
    assert res["total"]["planned"] == 2 * res["groups"][0]["planned"]


def test_campaign_errors(tmp_path, listfile, capsys):
    camp = _new(tmp_path, listfile)
    capsys.readouterr()
    cases = [
        (["campaign", "new", camp, "--list", str(listfile)], "已存在"),
        (["campaign", "new", str(tmp_path / "x.xlsx"), "--list", str(listfile)], ".jzt"),
        (["campaign", "new", str(tmp_path / "y.jzt"), "--list", str(tmp_path / "无.xlsx")],
         "找不到文件"),
        (["campaign", "new", str(tmp_path / "z.jzt"), "--list", str(listfile), "--end", "明天"],
         "日期"),
        (["visits-export", camp, "--out", str(tmp_path / "v.csv")], ".xlsx"),
        (["visits-export", camp, "--out", str(tmp_path / "v.xlsx"), "--band", "超高端"],
         "没有档位"),
        (["results", camp, "--by", "星座"], "没有“星座”"),
        (["report", "--out", str(tmp_path / "r.xlsx")], "客户清单"),
        (["campaign", "info", str(listfile)], "不是营销活动文件"),
        (["results", str(tmp_path / "没有.jzt")], "找不到营销活动文件"),
    ]  # fmt: skip
    for args, words in cases:
        assert run_cli(args) == EXIT_USER_ERROR, args
        err = capsys.readouterr().err
        assert err.startswith("错误：") and words in err, (args, err)
        assert "Traceback" not in err
    assert not (tmp_path / "z.jzt").exists() and not (tmp_path / "x.xlsx").exists()
    with pytest.raises(SystemExit) as stop:
        run_cli(["campaign"])
    assert stop.value.code == EXIT_USAGE
    assert "缺少必需的参数" in capsys.readouterr().err


def test_damaged_campaign_and_bad_visit_files(tmp_path, listfile, capsys):
    camp = _new(tmp_path, listfile)
    other = tmp_path / "别的.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(other)
    capsys.readouterr()
    assert run_cli(["visits-import", camp, str(other)]) == EXIT_USER_ERROR
    assert "找不到走访记录表" in capsys.readouterr().err
    raw = (tmp_path / "城东.jzt").read_bytes()
    cut = tmp_path / "坏.jzt"
    cut.write_bytes(raw[: len(raw) // 2])
    before = cut.read_bytes()
    for args in (["campaign", "info", str(cut)], ["visits-import", str(cut), str(other)],
                 ["results", str(cut)], ["visits-export", str(cut), "--out",
                                         str(tmp_path / "o.xlsx")]):  # fmt: skip
        assert run_cli(args) == EXIT_USER_ERROR
        err = capsys.readouterr().err
        assert "不完整" in err and "重新复制" in err
    assert cut.read_bytes() == before


def test_export_masks_unless_unmask(tmp_path, listfile, capsys):
    camp = _new(tmp_path, listfile)
    masked, plain = tmp_path / "m.xlsx", tmp_path / "p.xlsx"
    assert run_cli(["visits-export", camp, "--out", str(masked), "--band", "高端,中高端"]) == 0
    assert run_cli(["visits-export", camp, "--out", str(plain), "--unmask", "--band", "高端"]) == 0
    m = openpyxl.load_workbook(masked)["走访记录"]
    p = openpyxl.load_workbook(plain)["走访记录"]
    assert {m.cell(row=r, column=4).value for r in range(2, 4)} <= {"高端", "中高端"}
    assert "****" in m["C2"].value and "*" not in p["C2"].value
    assert run_cli(["visits-export", camp, "--out", str(plain)]) == EXIT_USER_ERROR  # exists
