"""The 分档 page alone, over the sample list, as a user drives it: edges, one-click schemes,
presets, undo. (A click on a band that opens the customer list is in test_window_flow.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QTableView

from tests.ui.conftest import settle as settle_state
from ui import state as state_module
from ui.pages.bands import BandsPage

H = Qt.Orientation.Horizontal
SAMPLE_BANDED = 316


@pytest.fixture
def page(show_page, sample):
    return show_page(BandsPage, sample)


def band_rows(page) -> list[tuple[str, int]]:
    view = page.findChild(QTableView, "bandTable")
    model = view.model()
    heads = [model.headerData(c, H) for c in range(model.columnCount())]
    count = heads.index("人数")
    return [(model.index(r, 0).data(), int(model.index(r, count).data().replace(",", "")))
            for r in range(model.rowCount())]  # fmt: skip


def settle(qtbot, page) -> None:
    settle_state(qtbot, page.state)


def type_edges(qtbot, page, text: str) -> QLineEdit:
    edit = page.findChild(QLineEdit, "edgesEdit")
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(qtbot, page)
    return edit


def test_band_table_has_a_row_per_band_then_unbanded_and_total(page):
    assert page.accessibleName() == "分档" and page.edges_edit.accessibleName() == "分档边界"
    rows = band_rows(page)
    assert [r[0] for r in rows] == ["低端", "中端", "中高端", "高端", "未分档", "合计"]
    assert sum(n for label, n in rows[:4]) == SAMPLE_BANDED == rows[-1][1]
    assert rows[4][1] == 4  # 2 missing, 2 negative spends


def test_typing_edges_and_enter_rebands_and_redraws_the_pyramid(qtbot, page):
    canvas = page.findChild(object, "pyramidCanvas")
    before = canvas.draws
    type_edges(qtbot, page, "60,120")
    rows = band_rows(page)
    assert [r[0] for r in rows[:3]] == ["低端", "中端", "高端"]
    assert sum(n for _label, n in rows[:3]) == SAMPLE_BANDED
    assert canvas.draws > before
    gids = {p.get_gid() for ax in canvas.figure.axes for p in ax.patches if p.get_gid()}
    assert gids == {"band:低端", "band:中端", "band:高端"}
    assert page.state.scheme.edges == [60, 120]
    pareto = page.findChild(object, "paretoCanvas")
    texts = [t.get_text() for t in pareto.figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("二八" in t for t in texts)


def test_bad_edges_are_refused_in_chinese_and_the_scheme_stays(qtbot, page):
    type_edges(qtbot, page, "100,50")
    hint = page.edges_hint
    assert hint.property("error") is True
    assert "从小到大" in hint.text()
    assert [r[0] for r in band_rows(page)[:4]] == ["低端", "中端", "中高端", "高端"]
    type_edges(qtbot, page, "50,abc")
    assert "不是数字" in hint.text()
    assert page.state.scheme.edges == [50, 100, 200]


def test_one_click_schemes(qtbot, page):
    qtbot.mouseClick(page.findChild(QPushButton, "quantileButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    counts = [n for _label, n in band_rows(page)[:4]]
    assert len(page.state.scheme.bands) == 4 and max(counts) - min(counts) < SAMPLE_BANDED / 4
    qtbot.mouseClick(page.findChild(QPushButton, "paretoButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert len(page.state.scheme.bands) == 2
    qtbot.mouseClick(page.findChild(QPushButton, "tiersButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    rows = band_rows(page)
    assert len(page.state.scheme.bands) == 3 and rows[2][1] <= rows[0][1]
    qtbot.mouseClick(page.findChild(QPushButton, "roundButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert all(float(e).is_integer() for e in page.state.scheme.edges)
    assert page.undo.count() == 4


def test_editing_a_lower_limit_in_the_scheme_table_moves_the_shared_edge(qtbot, page):
    model = page.scheme_model
    assert model.setData(model.index(1, model.LOW), "60")
    settle(qtbot, page)
    assert page.state.scheme.edges == [60, 100, 200]
    assert not model.setData(model.index(2, model.LOW), "30")  # below the band under it
    assert "不小于" in page.edges_hint.text()
    assert model.setData(model.index(3, model.LABEL), "VIP")
    settle(qtbot, page)
    assert page.state.scheme.labels[-1] == "VIP"
    assert band_rows(page)[3][0] == "VIP"


def test_presets_save_load_delete(qtbot, page, monkeypatch):
    type_edges(qtbot, page, "40,90,180")
    page.save_preset("我的四档")
    page.apply_default()
    settle(qtbot, page)
    assert page.preset_combo.currentText() == "我的四档"
    page.load_preset()
    settle(qtbot, page)
    assert page.state.scheme.edges == [40, 90, 180]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_preset()
    assert "我的四档" not in page.presets


def test_cross_tab_and_value_usage_tabs(qtbot, page):
    page.tabs.setCurrentIndex(2)
    cross = page.findChild(QTableView, "crosstabTable").model()
    assert cross.rowCount() > 2 and "合计" in cross.headers
    page.crosstab_combo.setCurrentIndex(page.crosstab_combo.findData("grid"))
    assert cross.headers[0] == "网格"
    page.tabs.setCurrentIndex(3)
    matrix = page.findChild(QTableView, "valueUsageTable").model()
    assert matrix.rowCount() == 4 and any("流量" in h for h in matrix.headers)


def test_large_lists_recompute_off_the_gui_thread_and_the_latest_edit_wins(
    qtbot, page, monkeypatch
):
    monkeypatch.setattr(state_module, "ASYNC_ROWS", 10)
    for edges in ("40", "40,80", "40,80,160", "30,60,90,120"):
        type_edges_now = page.findChild(QLineEdit, "edgesEdit")
        type_edges_now.setText(edges)
        page.apply_edges()
    settle(qtbot, page)
    assert page.state.analysis.scheme.edges == [30, 60, 90, 120]
    assert len(band_rows(page)) == 5 + 2


def test_value_usage_hint_never_advises_moving_top_customers_down(qtbot, page):
    page.tabs.setCurrentIndex(3)  # 价值 × 用量
    hint_label = page.tabs.matrix.hint
    qtbot.waitUntil(lambda: bool(hint_label.text()), timeout=10_000)
    hint = hint_label.text()
    assert "降档维系" not in hint and "不降档" in hint and "精打细算" in hint
