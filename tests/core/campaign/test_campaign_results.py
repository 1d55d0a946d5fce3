"""Results: the funnel per band / visitor / branch / field, over one file or several."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from core.base.errors import InvalidInput
from core.campaign import combined_results
from core.marketing import band_summary
from core.reporting import funnel_counts, write_report
from tests.campaign_helpers import results_campaign

TODAY = dt.date(2026, 12, 2)
D = dt.date


@pytest.fixture
def camp(tmp_path):
    c = results_campaign(tmp_path / "城东.jzt")
    yield c
    c.close()


def _counts(funnel):
    d = funnel.to_dict()
    return tuple(d[k] for k in ("planned", "visited", "met", "interested", "signed",
                                "revenue_change"))  # fmt: skip


def test_funnel_by_band(camp):
    r = camp.results("band", today=TODAY)
    rows = dict(r.rows())
    assert list(rows) == ["低端", "中端", "中高端", "高端", "未分档", "合计"]
    assert _counts(rows["低端"]) == (2, 1, 1, 1, 1, 29.0)  # 59 − 30
    assert _counts(rows["中端"]) == (1, 1, 1, 0, 0, 0.0)
    assert _counts(rows["中高端"]) == (1, 1, 0, 1, 1, 0.0)
    assert rows["中高端"].signed_without_fee == 1
    assert _counts(rows["高端"]) == (1, 1, 0, 0, 0, 0.0)  # the latest visit counts
    assert _counts(rows["未分档"]) == (1, 0, 0, 0, 0, 0.0)
    total = r.total
    assert _counts(total) == (6, 4, 2, 2, 2, 29.0)
    assert total.not_visited == 2
    assert total.objections == {"价格": 2, "信号": 1}  # customers, not visits
    assert (total.follow_ups_due, total.follow_ups_overdue) == (1, 1)
    assert [(f.name, f.date) for f in r.follow_ups] == [("丁店", D(2026, 11, 30)),
                                                        ("乙店", D(2026, 12, 5))]  # fmt: skip
    rates = total.rates()
    assert rates["visit_rate"] == pytest.approx(4 / 6, abs=1e-4)
    assert rates["sign_rate"] == 0.5 and rates["conversion_rate"] == pytest.approx(2 / 6, abs=1e-4)
    assert rows["未分档"].rates()["meet_rate"] is None
    data = r.to_dict()
    assert data["total"]["planned"] == 6 and data["groups"][0]["group"] == "低端"
    for key in ("planned", "visited", "met", "interested", "signed", "revenue_change"):
        assert key in data["total"] and all(key in g for g in data["groups"])


def test_funnel_by_staff_branch_and_field(camp):
    staff = dict(camp.results("staff", today=TODAY).rows())
    assert _counts(staff["李四"]) == (3, 3, 1, 1, 1, 0.0)
    assert _counts(staff["张三"]) == (1, 1, 1, 1, 1, 29.0)
    assert _counts(staff["（未走访）"]) == (2, 0, 0, 0, 0, 0.0)
    assert list(staff)[-2:] == ["（未走访）", "合计"]
    branch = dict(camp.results("单位", today=TODAY).rows())
    assert list(branch) == ["城东分公司", "合计"]
    grid = camp.results("网格", today=TODAY)
    assert grid.by == "grid" and grid.by_label == "网格"
    rows = dict(grid.rows())
    assert _counts(rows["二网格"]) == (3, 2, 0, 1, 1, 0.0)
    assert rows["（未填）"].planned == 1
    with pytest.raises(InvalidInput, match="没有“星座”这一项"):
        camp.results("星座")


def test_several_files_combine_by_branch(camp, tmp_path):
    other = results_campaign(tmp_path / "城西.jzt", branch="城西分公司")
    other.close()
    r = combined_results([camp.path, tmp_path / "城西.jzt"], by="branch", today=TODAY)
    rows = dict(r.rows())
    assert list(rows) == ["城东分公司", "城西分公司", "合计"]
    assert _counts(rows["合计"]) == (12, 8, 4, 4, 4, 58.0)
    assert len(r.follow_ups) == 4 and {f.file for f in r.follow_ups} == {"城东", "城西"}
    by_band = combined_results([camp.path, tmp_path / "城西.jzt"], today=TODAY)
    assert dict(by_band.rows())["低端"].planned == 4
    twice = combined_results([camp.path, tmp_path / "." / "城东.jzt"], today=TODAY)
    assert twice.total.planned == 6  # the same file named twice counts once
    with pytest.raises(InvalidInput):
        combined_results([])


def test_report_gets_the_visit_results_sheet(camp, tmp_path):
    table = camp.customers_frame()
    scheme = camp.scheme()
    results = [camp.results("band", TODAY), camp.results("staff", TODAY)]
    counts = funnel_counts(results[0])
    assert list(counts.columns) == ["计划走访", "已走访", "见到决策人", "有意向", "已成交"]
    assert counts.loc["低端"].tolist() == [2, 1, 1, 1, 1]
    out = write_report(tmp_path / "r.xlsx", table, band_summary(table, scheme), scheme,
                       problems=camp.problems(), title="测试", visit_results=results)  # fmt: skip
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "走访结果"
    ws = wb["走访结果"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in cells if r[0] == "档位")
    assert header[1:6] == ["计划走访", "已走访", "见到决策人", "有意向", "已成交"]
    total = next(r for r in cells if r[0] == "合计")
    assert total[1:6] == [6, 4, 2, 2, 2] and total[9] == 29.0
    assert any(r[0] == "走访人" for r in cells)
    assert len(ws._images) == 1  # the funnel chart
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows
    detail = [c.value for c in wb["客户明细"][1]]
    assert "活动客户编号" in detail and "最近意向" in detail
