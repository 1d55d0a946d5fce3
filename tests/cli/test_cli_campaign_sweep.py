"""The sweep from the command line (issue 22), as a branch's marketing lead runs it: share
the customers out, give each person their sheet and letters, set targets, read the day's
board and what worked, add the market office's list, start the second round."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.campaign_helpers import COL, fill, keys_in, visit
from tools.synth import make_list, write_xlsx
from ui.cli.main import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, run_cli

STAFF = "张三,李四,王五"


@pytest.fixture(scope="module")
def listfile(tmp_path_factory):
    return write_xlsx(make_list(60, seed=22), tmp_path_factory.mktemp("in") / "城东清单.xlsx")


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def _ok(args: list[str], capsys) -> str:
    code = run_cli(args)
    captured = capsys.readouterr()
    assert code == EXIT_OK, (args, captured.err)
    return captured.out


@pytest.fixture
def camp(tmp_path, listfile, capsys) -> str:
    path = str(tmp_path / "城东.jzt")
    _ok(["campaign", "new", path, "--list", str(listfile), "--start", "2026-11-01",
         "--end", "2026-12-10"], capsys)  # fmt: skip
    return path


def test_assign_and_each_persons_sheet(camp, tmp_path, capsys):
    text = _ok(["campaign", "assign", camp, "--staff", STAFF], capsys)
    assert "已分配" in text and "网格" in text and "visits-export" in text
    assert run_cli(["campaign", "info", camp, "--json"]) == EXIT_OK
    info = _json(capsys)
    assigned = info["assigned"]
    assert (
        list(assigned) == ["张三", "李四", "王五"] and sum(assigned.values()) == info["customers"]
    )
    assert max(assigned.values()) - min(assigned.values()) <= 1
    assert info["staff"] == ["张三", "李四", "王五"]
    assert "分配：张三" in _ok(["campaign", "info", camp], capsys)

    out = tmp_path / "张三.xlsx"
    assert "分给张三的" in _ok(
        ["visits-export", camp, "--staff", "张三", "--out", str(out)], capsys
    )
    keys = keys_in(out)
    assert len(keys) == assigned["张三"]
    ws = openpyxl.load_workbook(out)["走访记录"]
    assert {ws.cell(row=r, column=COL["走访人"]).value for r in range(2, len(keys) + 2)} == {"张三"}
    assert ws.cell(row=len(keys) + 2, column=COL["走访人"]).value is None  # the blank rows
    help_text = " ".join(str(c.value) for row in openpyxl.load_workbook(out)["填写说明"].iter_rows()
                         for c in row if c.value)  # fmt: skip
    assert "分给张三的客户" in help_text
    # 张三 fills two rows and leaves the rest: only the two are visits, nothing is refused
    filled = fill(out, tmp_path / "张三填好.xlsx", {
        2: {"走访日期": "2026-12-01", "意向": "已成交", "签约套餐": "畅享79元套餐"},
        3: {"走访日期": "2026-12-01", "意向": "考虑中"},
    })  # fmt: skip
    assert run_cli(["visits-import", camp, str(filled), "--json"]) == EXIT_OK
    report = _json(capsys)
    assert (report["imported"], report["rejected"]) == (2, 0)
    assert report["files"][0]["blank"] == len(keys) - 2

    assert run_cli(["visits-export", camp, "--staff", "赵六", "--out", str(tmp_path / "x.xlsx")]
                   ) == EXIT_USER_ERROR  # fmt: skip
    err = capsys.readouterr().err
    assert "没有分给“赵六”" in err and "张三（" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_each_persons_stack_of_letters(camp, tmp_path, listfile, capsys, qapp):
    # qapp: the letters' Qt application is pytest-qt's QApplication, never a bare one
    from core.campaign import Campaign

    _ok(["campaign", "assign", camp, "--staff", "张三,李四"], capsys)
    with Campaign.open(camp) as c:
        frame = c.customers_frame()
    mine = frame[(frame["分配给"] == "李四") & frame["offer_package"].notna()]
    text = _ok(["sheets", "--campaign", camp, "--staff", "李四", "--out", str(tmp_path / "李四"),
                "--format", "docx"], capsys)  # fmt: skip
    files = list((tmp_path / "李四" / "信息反馈表").glob("*.docx"))
    assert len(files) == len(mine) > 0  # 李四's customers with an offer, no one else's
    assert f"已记入营销活动 城东.jzt：{len(files)} 位客户的反馈表" in text
    from docx import Document

    doc = Document(str(sorted(files)[0]))
    assert any("走访人" in p.text and "李四" in p.text for p in doc.paragraphs)
    assert any("活动客户编号" in p.text for p in doc.paragraphs)
    # from the list, with the campaign: the same people, the same stack
    text = _ok(["proposals", str(listfile), "--campaign", camp, "--staff", "李四", "--out",
                str(tmp_path / "李四建议书"), "--format", "docx"], capsys)  # fmt: skip
    assert len(list((tmp_path / "李四建议书" / "客户建议书").glob("*.docx"))) == len(files)
    assert run_cli(["proposals", "--out", str(tmp_path / "无")]) == EXIT_USER_ERROR
    assert "或用 --campaign" in capsys.readouterr().err
    assert run_cli(["sheets", "--campaign", camp, "--staff", "王五", "--out",
                    str(tmp_path / "王五")]) == EXIT_USER_ERROR  # fmt: skip
    assert "没有分给“王五”" in capsys.readouterr().err


def _visits(camp, tmp_path, capsys) -> None:
    out = tmp_path / "全部.xlsx"
    _ok(["visits-export", camp, "--out", str(out)], capsys)
    filled = fill(out, tmp_path / "填好.xlsx", {
        2: visit("2026-12-01", "张三", "已成交", 签约套餐="畅享59元套餐", 客户建议="多送流量就办"),
        3: visit("2026-12-01", "李四", "有意向", 下次跟进日期="2026-12-02"),
        4: visit("2026-12-02", "张三", "考虑中", 异议="价格", 竞争对手信息="移动 58 元 30G"),
        5: visit("2026-12-02", "张三", "已成交", 签约套餐="畅享79元套餐"),
        6: visit("2026-12-03", "王五", "无意向"),
    })  # fmt: skip
    _ok(["visits-import", camp, str(filled)], capsys)


def test_targets_board_and_what_worked(camp, tmp_path, capsys, qapp):
    _ok(["campaign", "assign", camp, "--staff", STAFF], capsys)
    _visits(camp, tmp_path, capsys)
    text = _ok(["campaign", "target", camp, "--signed", "10", "--staff", "张三=4,李四=3"], capsys)
    assert "全队签约目标 10 户：已完成 2 户" in text and "张三：签约目标 4 户，已签 2 户" in text
    assert run_cli(["campaign", "target", camp, "--visited", "30", "--json"]) == EXIT_OK
    data = _json(capsys)
    assert data["targets"] == {"signed": 10, "visited": 30, "staff": {"张三": 4, "李四": 3}}
    assert data["progress"]["visited"]["done"] == 5

    assert run_cli(["campaign", "board", camp, "--day", "2026-12-02", "--json"]) == EXIT_OK
    board = _json(capsys)
    people = {p["name"]: p for p in board["people"]}
    assert (people["张三"]["customers"], people["张三"]["signed"]) == (2, 1)
    assert people["张三"]["signed_total"] == 2 and people["张三"]["target"] == 4
    assert board["team"]["signed_total"] == 2 and board["progress"]["signed"]["left"] == 8
    assert board["days_left"] == 8 and board["per_day_needed"] == 1.0
    assert [n["date"] for n in board["next_visits"]] == ["2026-12-02"]
    text = _ok(["campaign", "board", camp, "--day", "2026-12-02"], capsys)
    assert "战报 2026-12-02" in text and "全队" in text and "每天需签约" in text

    assert run_cli(["results", camp, "--by", "staff", "--by", "day", "--json"]) == EXIT_OK
    res = _json(capsys)
    assert res["dims"] == ["staff", "day"] and res["by_label"] == "走访人 / 日期"
    cells = {g["group"]: g for g in res["groups"]}
    assert (
        cells["张三 / 2026-12-02"]["signed"] == 1 and cells["张三 / 2026-12-02"]["planned"] is None
    )
    assert res["progress"]["signed"]["done"] == 2
    assert res["total"]["took_offer"] + res["total"]["took_alt"] + res["total"]["took_other"] == 2
    assert res["total"]["quotes"]["客户建议"][0]["text"] == "多送流量就办"
    assert res["breakdowns"]["day"][0]["group"] == "2026-12-01"
    text = _ok(["results", camp, "--by", "plan,tag"], capsys)
    assert "推荐套餐 / 客户标签" in text and "签了推荐套餐" in text and "“多送流量就办”" in text
    assert run_cli(["results", camp, "--from", "2026-12-02", "--to", "2026-12-02", "--json"]) == 0
    assert _json(capsys)["total"]["visited"] == 2
    rep = tmp_path / "报表.xlsx"
    _ok(["report", "--campaign", camp, "--out", str(rep)], capsys)
    cells = [c.value for row in openpyxl.load_workbook(rep)["走访结果"].iter_rows() for c in row]
    assert "按推荐套餐" in cells and "目标进度" in cells and "全队签约" in cells


def test_the_second_round_and_the_market_offices_list(camp, tmp_path, capsys):
    _ok(["campaign", "assign", camp, "--staff", STAFF], capsys)
    _visits(camp, tmp_path, capsys)
    two = tmp_path / "第二轮.jzt"
    text = _ok(["campaign", "follow-up", camp, "--out", str(two), "--due",
                "--today", "2026-12-01"], capsys)  # fmt: skip
    assert "已建立第 2 轮营销活动" in text and "1 位客户" in text
    assert run_cli(["campaign", "follow-up", camp, "--out", str(tmp_path / "三.jzt"), "--json",
                    "--intent", "有意向,考虑中", "--not-visited"]) == EXIT_OK  # fmt: skip
    three = _json(capsys)
    assert three["reasons"]["有意向"] == 1 and three["reasons"]["考虑中"] == 1
    assert three["customers"] == 2 + three["reasons"]["还没有走访"] and three["history"] == 2
    assert run_cli(["campaign", "info", str(two), "--json"]) == EXIT_OK
    info = _json(capsys)
    assert info["round"]["number"] == 2 and info["customers"] == 1 and info["visits"] == 0
    assert run_cli(["results", camp, str(two), "--by", "round", "--json"]) == EXIT_OK
    res = _json(capsys)
    assert [g["group"] for g in res["groups"]] == ["第1轮", "第2轮"]
    assert res["groups"][1]["planned"] == 1 and res["notes"]

    names = tmp_path / "物管名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["商户名称", "铺位号", "联系电话"])
    wb.active.append(["新开茶叶店", "D-01", "13912340001"])
    wb.active.append(["新开花店", "D-02", "13912340002"])
    wb.save(names)
    text = _ok(["campaign", "add", camp, "--list", str(names)], capsys)
    assert "潜在客户（没有消费，不分档）2 位" in text and "--unassigned" in text
    assert run_cli(["campaign", "add", camp, "--list", str(names), "--json"]) == EXIT_OK
    assert _json(capsys)["already"] == 2
    text = _ok(["campaign", "assign", camp, "--staff", STAFF, "--unassigned"], capsys)
    assert "已分配 2 位客户" in text and "保持原来的分配" in text
    assert "潜在客户 2 位" in _ok(["campaign", "info", camp], capsys)
    out = tmp_path / "潜在.xlsx"
    _ok(["visits-export", camp, "--out", str(out)], capsys)
    bands = [r[3] for r in openpyxl.load_workbook(out)["走访记录"].iter_rows(min_row=2,
                                                                         values_only=True) if r[0]]  # fmt: skip
    assert bands.count("潜在客户") == 2
    assert run_cli(["results", camp, "--by", "origin", "--json"]) == EXIT_OK
    assert {g["group"]: g["planned"] for g in _json(capsys)["groups"]}["潜在客户"] == 2


def test_sweep_errors_say_what_to_do(camp, tmp_path, capsys):
    cases = [
        (["campaign", "assign", camp, "--staff", STAFF, "--by", "星座"], "不认识"),
        (["campaign", "assign", camp, "--staff", "张三", "--by", "manager"], "客户经理"),
        (["campaign", "target", camp], "没有给出目标"),
        (["campaign", "target", camp, "--staff", "张三十"], "姓名=户数"),
        (["campaign", "board", camp, "--day", "昨天"], "格式不对"),
        (["campaign", "follow-up", camp, "--out", str(tmp_path / "二.jzt")], "没有符合条件"),
        (["campaign", "follow-up", camp, "--out", str(tmp_path / "二.xlsx")], ".jzt"),
        (["campaign", "add", camp, "--list", str(tmp_path / "没有.xlsx")], "找不到文件"),
        (["results", camp, "--by", "staff,星座"], "没有“星座”"),
        (["results", camp, "--from", "2026-12-09", "--to", "2026-12-01"], "早于开始日期"),
        (["results", camp, "--to", "下周"], "格式不对"),
    ]  # fmt: skip
    for args, words in cases:
        assert run_cli(args) == EXIT_USER_ERROR, args
        err = capsys.readouterr().err
        assert err.startswith("错误：") and words in err, (args, err)
        assert "Traceback" not in err
    assert not (tmp_path / "二.jzt").exists()
    with pytest.raises(SystemExit) as stop:
        run_cli(["campaign", "target", camp, "--signed", "很多"])
    assert stop.value.code == EXIT_USAGE
