"""What the commands say about the plan: ``offers --json`` (expected bills, the summary),
the letters' two bills against the JSON, --seed-by, and the 成交率 / 总转化率 of
``results`` — driven like a user or a script would."""

from __future__ import annotations

import datetime as dt
import json
import re

import docx
import openpyxl
import pytest

from tests.paths import SAMPLE as SAMPLE_LIST
from ui.cli.main import run_cli

SAMPLE = SAMPLE_LIST
TODAY = "2026-11-20"
BILLS = re.compile(r"现在每月约\s*([\d,]+\.\d\d)\s*元\s*→\s*办理后每月约\s*([\d,]+\.\d\d)\s*元")
STILL = re.compile(
    r"现在每月约\s*([\d,]+\.\d\d)\s*元；继续使用现套餐，每月仍约\s*([\d,]+\.\d\d)\s*元"
)


def _json(capsys, argv):
    assert run_cli(argv) == 0
    return json.loads(capsys.readouterr().out)


def _num(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture(scope="module")
def sample_json():
    """``offers --json`` of the sample list (run once for the module)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_cli(["offers", str(SAMPLE), "--json", "--today", TODAY]) == 0
    return json.loads(out.getvalue())


def test_offers_json_gives_expected_bills_and_what_the_plan_is_worth(sample_json):
    data = sample_json
    rows = [c for c in data["customers"] if c["offer_package"]]
    assert len(rows) == 316
    for c in rows:
        assert c["diff_month"] == pytest.approx(c["expected_bill"] - c["spend"], abs=0.011)
        assert c["offer_kind"] in ("升档", "精打细算", "保持", "加装", "降档", "维系", "平移")
    summary = data["summary"]
    assert summary["revenue_change_month"] == pytest.approx(sum(c["diff_month"] for c in rows),
                                                            abs=0.01)  # fmt: skip
    assert summary["revenue_change_year"] == pytest.approx(summary["revenue_change_month"] * 12)
    by_band = summary["by_band"]
    assert list(by_band) == ["低端", "中端", "中高端", "高端"]
    for band, b in by_band.items():
        mine = [c for c in rows if c["band"] == band]
        assert b["customers"] == len(mine) == b["up"] + b["same"] + b["down"]
        assert b["up"] == sum(c["diff_month"] > 0 for c in mine)
        assert b["down"] == sum(c["diff_month"] < 0 for c in mine)
        assert b["revenue_change_month"] == pytest.approx(sum(c["diff_month"] for c in mine),
                                                          abs=0.01)  # fmt: skip
    assert "retention" not in summary  # not asked for
    assert data["policy"]["max_cut"] == 0.1 and data["policy"]["protect_top"] is True
    assert any("最高档客户不降档" in line for line in data["policy"]["rules"])
    # nobody in the top band is moved to a smaller package; no cut beyond 10 %; no 维系
    for c in rows:
        if c["offer_kind"] == "降档":
            assert c["band"] != "高端" and c["expected_bill"] >= c["spend"] * 0.9 - 0.011
        assert c["offer_kind"] != "维系"
        if c["band"] == "高端":
            assert c["diff_month"] >= 0


def test_retention_summary_has_its_cost(capsys):
    data = _json(capsys, ["offers", str(SAMPLE), "--json", "--today", TODAY, "--retention",
                          "--retention-cap", "25"])  # fmt: skip
    kept = [c for c in data["customers"] if c["offer_kind"] == "维系"]
    assert kept and all("资费偏高" in c["tags"] for c in kept)
    assert all(c["expected_bill"] >= c["spend"] * 0.75 - 0.011 for c in kept)
    ret = data["summary"]["retention"]
    assert ret["customers"] == len(kept)
    assert ret["cost_month"] == pytest.approx(-sum(c["diff_month"] for c in kept), abs=0.01)
    assert data["policy"]["retention"] is True and data["policy"]["retention_cap"] == 0.25


def test_the_letters_print_the_bills_of_the_json(sample_json):
    """Every letter's 现在每月约 X → 办理后每月约 Y is the JSON's spend and expected bill,
    and a saving is claimed only where Y < X."""
    from core.documents import LetterBatch, select
    from core.documents.templates import Block
    from core.importing import import_file
    from core.marketing import make_offers

    by_id = {c["customer_id"]: c for c in sample_json["customers"] if c["offer_package"]}
    offers = select(make_offers(import_file(SAMPLE).customers, today=dt.date(2026, 11, 20)))
    letters = LetterBatch(offers, today=dt.date(2026, 11, 20))
    assert len(letters) == len(by_id)
    for letter in letters:
        text = "".join(p.text for p in letter.parts if isinstance(p, Block))
        c = by_id[letter.values["客户编号"]]
        m = BILLS.search(text) or STILL.search(text)
        assert m, text
        assert _num(m.group(1)) == pytest.approx(c["spend"], abs=0.005)
        assert _num(m.group(2)) == pytest.approx(c["expected_bill"], abs=0.005)
        claims = "可节省" in text or "每月省" in text
        assert claims == (c["expected_bill"] < c["spend"] - 0.005)


def test_proposals_command_prints_the_same_bills(tmp_path, capsys, sample_json):
    out = tmp_path / "活动"
    assert run_cli(["proposals", str(SAMPLE), "--out", str(out), "--band", "高端", "--format",
                    "docx", "--today", TODAY]) == 0  # fmt: skip
    capsys.readouterr()
    top = {c["name"]: c for c in sample_json["customers"] if c["band"] == "高端"}
    files = sorted((out / "客户建议书").glob("*.docx"))
    assert len(files) == len(top) == 16
    for path in files:
        document = docx.Document(str(path))
        text = "".join(p.text for p in document.paragraphs)
        name = next(n for n in top if n in path.stem or path.stem.endswith(n))
        m = BILLS.search(text) or STILL.search(text)
        assert m and _num(m.group(2)) == pytest.approx(top[name]["expected_bill"], abs=0.005)


def test_offers_workbook_has_the_expected_bill(tmp_path, capsys):
    path = tmp_path / "推荐.xlsx"
    assert run_cli(["offers", str(SAMPLE), "--out", str(path), "--today", TODAY]) == 0
    assert "每月收入变化" in capsys.readouterr().out
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert {"办理后每月(元)", "推荐类型", "标签说明", "现有业务"} <= set(header)
    bill = ws.cell(2, header.index("办理后每月(元)") + 1)
    assert isinstance(bill.value, float | int) and bill.number_format == "#,##0.00"


def test_seed_by_a_column_the_list_does_not_have_is_refused(capsys):
    assert run_cli(["offers", str(SAMPLE), "--seed-by", "年销售额"]) == 1
    err = capsys.readouterr().err
    assert "年销售额" in err and "spend" in err
    assert run_cli(["offers", str(SAMPLE), "--seed-share", "150"]) == 1
    assert "--seed-share" in capsys.readouterr().err
    data = _json(capsys, ["offers", str(SAMPLE), "--json", "--seed-share", "10",
                          "--spreader-share", "20"])  # fmt: skip
    seeds = [c for c in data["customers"] if "种子用户" in (c["tags"] or "")]
    assert len(seeds) == 32  # 10 % of the 316 customers with a spend, all in one market
    assert all("前10%" in c["tag_reason"] for c in seeds)


def test_results_labels_sign_rate_and_conversion_as_the_report(tmp_path, capsys):
    from tests.campaign_helpers import results_campaign as _make

    camp = _make(tmp_path / "城东.jzt")
    camp.close()
    assert run_cli(["results", str(tmp_path / "城东.jzt"), "--today", "2026-12-02"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = lines[0]
    assert "成交率(占已走访)" in head and "总转化率" in head
    assert head.index("成交率(占已走访)") < head.index("总转化率")
    total = next(line for line in lines if line.startswith("合计"))
    # 2 signed of 4 visited (50.0 %) and of 6 planned (33.3 %)
    assert "50.0%" in total and "33.3%" in total
    assert total.index("50.0%") < total.index("33.3%")


def test_a_campaign_keeps_the_offers_and_the_policy_they_were_made_under(tmp_path, capsys):
    from core.campaign import Campaign

    path = tmp_path / "城东.jzt"
    assert run_cli(["campaign", "new", str(path), "--list", str(SAMPLE), "--retention",
                    "--max-cut", "5"]) == 0  # fmt: skip
    capsys.readouterr()
    with Campaign.open(path, readonly=True) as campaign:
        options = campaign.describe()["options"]
        frame = campaign.customers_frame()
        catalog = campaign.catalog()
    assert options["retention"] is True and options["max_cut"] == 0.05
    assert options["protect_top"] is True and options["data_rate"] == 5.0
    assert {"expected_bill", "offer_kind", "tag_reason", "services"} <= set(frame.columns)
    offered = frame[frame["offer_package"].notna()]
    assert (
        offered["diff_month"] - (offered["expected_bill"] - offered["spend"])
    ).abs().max() < 0.011
    assert (offered["offer_kind"] == "维系").any()
    assert catalog.get("5G尊享399元套餐").landline == 1 and catalog.get("流量加油包20GB").addon
    # the report from the campaign alone shows what its plan is worth, 维系 cost included
    report = tmp_path / "报表.xlsx"
    assert run_cli(["report", "--campaign", str(path), "--out", str(report)]) == 0
    ws = openpyxl.load_workbook(report)["汇总"]
    cells = {str(c.value): ws.cell(c.row, 2).value for row in ws.iter_rows() for c in row[:1]}
    assert "推荐方案的收入影响" in cells and "月收入变化(元)" in cells
    change = cells["月收入变化(元)"]
    assert change == pytest.approx(offered["diff_month"].sum(), abs=0.01)
    assert "维系降档" in cells and "每月少收" in cells["维系降档"]
