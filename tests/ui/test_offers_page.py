"""The 主推套餐 page alone, over the sample list, as a user drives it."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QTableView

from tests.ui.conftest import settle as settle_state
from ui.pages.offers import OffersPage

H = Qt.Orientation.Horizontal
SAMPLE_CUSTOMERS = 320


@pytest.fixture
def page(show_page, sample):
    return show_page(OffersPage, sample)


def settle(qtbot, page) -> None:
    settle_state(qtbot, page.state)


def column(view: QTableView, header: str) -> list[str]:
    model = view.model()
    heads = [model.headerData(c, H) for c in range(model.columnCount())]
    c = heads.index(header)
    return [model.index(r, c).data() for r in range(model.rowCount())]


def test_offers_table_has_a_row_per_customer_and_a_recommendation(page):
    view = page.findChild(QTableView, "offersTable")
    assert page.objectName() == "offersPage"
    model = view.model()
    heads = [model.headerData(c, H) for c in range(model.columnCount())]
    assert any("推荐" in h for h in heads)
    assert {"档位", "标签", "现在月费（元）", "推荐套餐", "每月差额（元）", "推荐理由"} <= set(
        heads
    )
    assert model.rowCount() == SAMPLE_CUSTOMERS
    diffs = [d for d in column(view, "每月差额（元）") if d]
    assert diffs and all(len(d.split(".")[-1]) == 2 for d in diffs)  # money: 2 decimals


def test_band_and_tag_filters_and_search(qtbot, page):
    view = page.findChild(QTableView, "offersTable")
    page.band_filter.setCurrentText("高端")
    assert set(column(view, "档位")) == {"高端"}
    high = view.model().rowCount()
    assert 0 < high < SAMPLE_CUSTOMERS
    page.band_filter.setCurrentText("全部")
    page.tag_filter.setCurrentText("种子用户")
    assert all("种子用户" in t for t in column(view, "标签"))
    page.tag_filter.setCurrentText("全部")
    qtbot.keyClicks(page.search, "17597")  # part of a phone number
    qtbot.waitUntil(lambda: view.model().rowCount() < SAMPLE_CUSTOMERS, timeout=3000)
    assert column(view, "手机号码") and all("17597" in n for n in column(view, "手机号码"))


def test_choosing_a_bands_main_package_changes_its_offers_and_undo_restores(qtbot, page):
    combo = page.findChild(QComboBox, "mainCombo_1")  # 低端
    before = page.state.analysis.rules.get("低端").main
    combo.setCurrentText("畅享29元套餐")
    settle(qtbot, page)
    assert page.state.analysis.rules.get("低端").main == "畅享29元套餐"
    offers = page.state.analysis.offers
    low = offers[offers["band"].astype("object") == "低端"]
    assert (low["offer_package"] == "畅享29元套餐").any()
    page.undo.undo()
    settle(qtbot, page)
    assert page.state.analysis.rules.get("低端").main == before
    assert page.findChild(QComboBox, "mainCombo_1").currentText() == before


def test_fit_usage_and_max_cut_options(qtbot, page):
    before = page.state.analysis.offers["offer_package"].copy()
    page.findChild(QCheckBox, "fitUsageCheck").setChecked(True)
    settle(qtbot, page)
    assert page.state.options.fit_usage
    assert (page.state.analysis.offers["offer_package"] != before).any()
    page.cut_spin.setValue(30)
    page.cut_spin.editingFinished.emit()
    settle(qtbot, page)
    assert page.state.options.max_cut == pytest.approx(0.30)
    assert page.undo.count() == 2


def test_a_bad_fee_in_the_catalog_is_named_and_the_last_good_catalog_stays(qtbot, page):
    page.tabs.setCurrentIndex(1)
    view = page.findChild(QTableView, "catalogTable")
    model = view.model()
    good = page.state.catalog
    assert model.setData(model.index(2, 1), "三十九")
    message = page.catalog_message
    assert message.isVisible() and message.property("error") is True
    assert "月费不是数字" in message.text() and "第3行" in message.text()
    assert "月费不是数字" in model.index(2, model.columnCount() - 1).data()
    settle(qtbot, page)
    assert page.state.catalog is good
    assert model.setData(model.index(2, 1), "36")
    settle(qtbot, page)
    assert not message.isVisible()
    assert page.state.catalog.get(good.packages[2].name).fee == 36
    page.undo.undo()
    settle(qtbot, page)
    assert page.state.catalog.get(good.packages[2].name).fee == good.packages[2].fee


def test_add_and_remove_a_package(qtbot, page):
    model = page.catalog_model
    n = len(page.state.catalog.packages)
    row = model.add_row()
    model.setData(model.index(row, 0), "乡镇专享49元")
    assert "缺少月费" in page.catalog_message.text()
    model.setData(model.index(row, 1), "49元")
    settle(qtbot, page)
    assert len(page.state.catalog.packages) == n + 1
    assert page.state.catalog.get("乡镇专享49元").fee == 49
    model.remove_rows([row])
    settle(qtbot, page)
    assert len(page.state.catalog.packages) == n


def test_export_offers_writes_the_same_workbook_as_the_command(qtbot, page, tmp_path):
    out = page.export_offers(str(tmp_path / "推荐.xlsx"))
    assert out is not None and out.exists()
    wb = openpyxl.load_workbook(out, read_only=True)
    ws = wb.worksheets[0]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert "推荐套餐" in header and "档位" in header
    assert ws.max_row == SAMPLE_CUSTOMERS + 1
    wb.close()


def test_catalog_save_as_and_load(qtbot, page, tmp_path):
    path = page.save_catalog(str(tmp_path / "套餐库.xlsx"))
    assert path is not None and path.exists()
    page.default_catalog()
    page.load_catalog(str(path))
    settle(qtbot, page)
    assert page.state.catalog.names == page.catalog_model.catalog.names


def test_export_button_is_named(page):
    button = page.findChild(QPushButton, "exportOffersButton")
    assert button is not None and button.accessibleName()


def test_plan_summary_follows_a_bands_package_and_the_policy_is_written(qtbot, page):
    from PySide6.QtWidgets import QLabel

    summary = page.findChild(QLabel, "planSummary")
    policy = page.findChild(QLabel, "policyText")
    assert "最高档客户不降档" in policy.text() and "10%" in policy.text()
    plan = page.state.analysis.plan
    assert f"{plan.revenue_change_month:,.2f}" in summary.text()
    worth = page.findChild(QLabel, "bandWorth_1")  # 低端
    before = worth.text()
    assert before.endswith("元/月")
    # a cheaper 主推 for 低端: the band's and the plan's revenue change follow at once
    page.findChild(QComboBox, "mainCombo_1").setCurrentText("畅享29元套餐")
    settle(qtbot, page)
    after = page.state.analysis.plan
    assert after.revenue_change_month != plan.revenue_change_month
    assert worth.text() != before
    low = next(b for b in after.by_band if b.band == "低端")
    assert (
        worth.text() == f"{'+' if low.revenue_change_month > 0 else ''}"
        f"{low.revenue_change_month:,.2f} 元/月"
    )
    assert f"{after.revenue_change_month:,.2f}" in summary.text()


def test_retention_checkbox_lists_retention_offers_with_their_cost(qtbot, page):
    check = page.findChild(QCheckBox, "retentionCheck")
    assert not check.isChecked() and not page.retention_spin.isEnabled()
    kinds = page.state.analysis.offers["offer_kind"]
    assert not (kinds == "维系").any()
    check.setChecked(True)
    settle(qtbot, page)
    assert page.state.options.retention and page.retention_spin.isEnabled()
    offers = page.state.analysis.offers
    kept = offers[offers["offer_kind"] == "维系"]
    assert len(kept) and kept["tag_overpaying"].all()
    assert "维系" in page.plan_label.text() and "每月成本" in page.plan_label.text()
    assert "维系：资费偏高的客户可降一档" in page.policy_label.text()
    page.retention_spin.setValue(5)
    page.retention_spin.editingFinished.emit()
    settle(qtbot, page)
    assert page.state.options.retention_cap == pytest.approx(0.05)
    page.undo.undo()
    page.undo.undo()
    settle(qtbot, page)
    assert not page.state.options.retention and not check.isChecked()


def test_editing_the_catalog_keeps_landlines_and_add_ons(qtbot, page):
    model = page.catalog_model
    heads = [model.headerData(c, H) for c in range(model.columnCount())]
    assert "固话（部）" in heads and "类型" in heads
    assert model.setData(model.index(0, 1), "18")  # any edit re-reads every row
    settle(qtbot, page)
    catalog = page.state.catalog
    assert catalog.packages[0].fee == 18
    assert catalog.get("5G尊享399元套餐").landline == 1
    assert catalog.get("流量加油包20GB").addon
    main = page.findChild(QComboBox, "mainCombo_1")
    offered = [main.itemText(i) for i in range(main.count())]
    assert "5G尊享399元套餐" in offered and "流量加油包20GB" not in offered  # add-ons are not plans
