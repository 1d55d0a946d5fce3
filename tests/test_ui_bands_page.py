"""The 分档 page as a user drives it: edges, one-click schemes, presets, undo, clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QTableView

from ui import state as state_module

H = Qt.Orientation.Horizontal
SAMPLE_BANDED = 316


@pytest.fixture
def window(sample_window):
    sample_window.show_step("bands")
    return sample_window


def band_rows(window) -> list[tuple[str, int]]:
    view = window.findChild(QTableView, "bandTable")
    model = view.model()
    heads = [model.headerData(c, H) for c in range(model.columnCount())]
    count = heads.index("人数")
    return [(model.index(r, 0).data(), int(model.index(r, count).data().replace(",", "")))
            for r in range(model.rowCount())]  # fmt: skip


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.state.busy, timeout=20_000)


def type_edges(qtbot, window, text: str) -> QLineEdit:
    edit = window.findChild(QLineEdit, "edgesEdit")
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(qtbot, window)
    return edit


def test_steps_are_enabled_once_a_list_is_open_and_names_are_set(window):
    nav = window.navigator
    assert nav.step_keys()[:3] == ["list", "bands", "offers"]
    assert all(nav.is_enabled(k) for k in nav.step_keys())
    page = window.findChild(object, "bandsPage")
    assert page is window.bands_page and page.accessibleName() == "分档"
    assert window.stack.currentWidget() is page
    assert window.findChild(QLineEdit, "edgesEdit").accessibleName() == "分档边界"
    assert "默认分档" in window.scheme_label.text() and "4 档" in window.scheme_label.text()


def test_band_table_has_a_row_per_band_then_unbanded_and_total(window):
    rows = band_rows(window)
    assert [r[0] for r in rows] == ["低端", "中端", "中高端", "高端", "未分档", "合计"]
    assert sum(n for label, n in rows[:4]) == SAMPLE_BANDED == rows[-1][1]
    assert rows[4][1] == 4  # 2 missing, 2 negative spends


def test_typing_edges_and_enter_rebands_and_redraws_the_pyramid(qtbot, window):
    page = window.bands_page
    canvas = page.findChild(object, "pyramidCanvas")
    before = canvas.draws
    type_edges(qtbot, window, "60,120")
    rows = band_rows(window)
    assert [r[0] for r in rows[:3]] == ["低端", "中端", "高端"]
    assert sum(n for _label, n in rows[:3]) == SAMPLE_BANDED
    assert canvas.draws > before
    gids = {p.get_gid() for ax in canvas.figure.axes for p in ax.patches if p.get_gid()}
    assert gids == {"band:低端", "band:中端", "band:高端"}
    assert "60/120" in window.scheme_label.text()
    pareto = page.findChild(object, "paretoCanvas")
    texts = [t.get_text() for t in pareto.figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("二八" in t for t in texts)


def test_bad_edges_are_refused_in_chinese_and_the_scheme_stays(qtbot, window):
    type_edges(qtbot, window, "100,50")
    hint = window.bands_page.edges_hint
    assert hint.property("error") is True
    assert "从小到大" in hint.text()
    assert [r[0] for r in band_rows(window)[:4]] == ["低端", "中端", "中高端", "高端"]
    type_edges(qtbot, window, "50,abc")
    assert "不是数字" in hint.text()
    assert window.state.scheme.edges == [50, 100, 200]


def test_undo_and_redo_with_the_standard_shortcuts(qtbot, window):
    type_edges(qtbot, window, "80")
    assert len(window.state.scheme.bands) == 2
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.state.scheme.edges == [50, 100, 200]
    assert [r[0] for r in band_rows(window)[:4]] == ["低端", "中端", "中高端", "高端"]
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.state.scheme.edges == [80]
    assert window.findChild(QLineEdit, "edgesEdit").text() == "80"


def test_one_click_schemes(qtbot, window):
    page = window.bands_page
    qtbot.mouseClick(page.findChild(QPushButton, "quantileButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    counts = [n for _label, n in band_rows(window)[:4]]
    assert len(window.state.scheme.bands) == 4 and max(counts) - min(counts) < SAMPLE_BANDED / 4
    qtbot.mouseClick(page.findChild(QPushButton, "paretoButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(window.state.scheme.bands) == 2
    qtbot.mouseClick(page.findChild(QPushButton, "tiersButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    rows = band_rows(window)
    assert len(window.state.scheme.bands) == 3 and rows[2][1] <= rows[0][1]
    qtbot.mouseClick(page.findChild(QPushButton, "roundButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert all(float(e).is_integer() for e in window.state.scheme.edges)
    assert window.undo_stack.count() == 4


def test_editing_a_lower_limit_in_the_scheme_table_moves_the_shared_edge(qtbot, window):
    model = window.bands_page.scheme_model
    assert model.setData(model.index(1, model.LOW), "60")
    settle(qtbot, window)
    assert window.state.scheme.edges == [60, 100, 200]
    assert not model.setData(model.index(2, model.LOW), "30")  # below the band under it
    assert "不小于" in window.bands_page.edges_hint.text()
    assert model.setData(model.index(3, model.LABEL), "VIP")
    settle(qtbot, window)
    assert window.state.scheme.labels[-1] == "VIP"
    assert band_rows(window)[3][0] == "VIP"


def test_presets_save_load_delete(qtbot, window, monkeypatch):
    page = window.bands_page
    type_edges(qtbot, window, "40,90,180")
    page.save_preset("我的四档")
    page.apply_default()
    settle(qtbot, window)
    assert page.preset_combo.currentText() == "我的四档"
    page.load_preset()
    settle(qtbot, window)
    assert window.state.scheme.edges == [40, 90, 180]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_preset()
    assert "我的四档" not in page.presets


def test_clicking_a_band_row_shows_that_bands_customers(qtbot, window):
    view = window.findChild(QTableView, "bandTable")
    rows = band_rows(window)
    rect = view.visualRect(view.model().index(3, 0))  # 高端
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.list_page
    assert window.list_page.customer_model.rowCount() == rows[3][1]
    assert window.list_page.band_filter.currentText() == "高端"
    window.list_page.band_filter.setCurrentIndex(0)  # 全部档位
    assert window.list_page.customer_model.rowCount() == 320


def test_clicking_a_pyramid_layer_shows_that_bands_customers(qtbot, window):
    canvas = window.bands_page.findChild(object, "pyramidCanvas")
    qtbot.waitUntil(lambda: canvas.figure.axes != [], timeout=5000)
    canvas.draw()
    ax = canvas.figure.axes[0]
    layer = next(p for p in ax.patches if p.get_gid() == "band:中端")
    x, y = ax.transData.transform(layer.get_xy().mean(axis=0))
    ratio = canvas.device_pixel_ratio or 1
    point = QPoint(int(x / ratio), int(canvas.height() - y / ratio))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    assert window.stack.currentWidget() is window.list_page
    assert window.list_page.band_filter.currentText() == "中端"


def test_cross_tab_and_value_usage_tabs(qtbot, window):
    page = window.bands_page
    page.tabs.setCurrentIndex(2)
    cross = page.findChild(QTableView, "crosstabTable").model()
    assert cross.rowCount() > 2 and "合计" in cross.headers
    page.crosstab_combo.setCurrentIndex(page.crosstab_combo.findData("grid"))
    assert cross.headers[0] == "网格"
    page.tabs.setCurrentIndex(3)
    matrix = page.findChild(QTableView, "valueUsageTable").model()
    assert matrix.rowCount() == 4 and any("流量" in h for h in matrix.headers)


def test_large_lists_recompute_off_the_gui_thread_and_the_latest_edit_wins(
    qtbot, window, monkeypatch
):
    monkeypatch.setattr(state_module, "ASYNC_ROWS", 10)
    for edges in ("40", "40,80", "40,80,160", "30,60,90,120"):
        type_edges_now = window.findChild(QLineEdit, "edgesEdit")
        type_edges_now.setText(edges)
        window.bands_page.apply_edges()
    settle(qtbot, window)
    assert window.state.analysis.scheme.edges == [30, 60, 90, 120]
    assert len(band_rows(window)) == 5 + 2
