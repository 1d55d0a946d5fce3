"""End to end through the whole window: the steps, the shortcuts, and the places where one
step leads to another (a band clicked on 分档 opens its customers on 客户清单)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QTableView

from tests.ui.conftest import settle

H = Qt.Orientation.Horizontal


def band_rows(window) -> list[tuple[str, int]]:
    view = window.findChild(QTableView, "bandTable")
    model = view.model()
    heads = [model.headerData(c, H) for c in range(model.columnCount())]
    count = heads.index("人数")
    return [(model.index(r, 0).data(), int(model.index(r, count).data().replace(",", "")))
            for r in range(model.rowCount())]  # fmt: skip


def type_edges(qtbot, window, text: str) -> None:
    edit = window.findChild(QLineEdit, "edgesEdit")
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(qtbot, window.state)


def test_steps_are_enabled_once_a_list_is_open_and_names_are_set(sample_window):
    window = sample_window
    window.show_step("bands")
    nav = window.navigator
    assert nav.step_keys()[:3] == ["list", "bands", "offers"]
    assert all(nav.is_enabled(k) for k in nav.step_keys())
    page = window.findChild(object, "bandsPage")
    assert page is window.bands_page and page.accessibleName() == "分档"
    assert window.stack.currentWidget() is page
    assert window.findChild(QLineEdit, "edgesEdit").accessibleName() == "分档边界"
    assert "默认分档" in window.scheme_label.text() and "4 档" in window.scheme_label.text()
    assert "正在计算" not in window.scheme_label.text()  # the first offers, made on the worker


def test_undo_and_redo_with_the_standard_shortcuts(qtbot, sample_window):
    window = sample_window
    window.show_step("bands")
    type_edges(qtbot, window, "80")
    assert len(window.state.scheme.bands) == 2
    assert "80" in window.scheme_label.text()
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window.state)
    assert window.state.scheme.edges == [50, 100, 200]
    assert [r[0] for r in band_rows(window)[:4]] == ["低端", "中端", "中高端", "高端"]
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window.state)
    assert window.state.scheme.edges == [80]
    assert window.findChild(QLineEdit, "edgesEdit").text() == "80"


def test_clicking_a_band_row_shows_that_bands_customers(qtbot, sample_window):
    window = sample_window
    window.show_step("bands")
    view = window.findChild(QTableView, "bandTable")
    rows = band_rows(window)
    rect = view.visualRect(view.model().index(3, 0))  # 高端
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.list_page
    assert window.list_page.customer_model.rowCount() == rows[3][1]
    assert window.list_page.band_filter.currentText() == "高端"
    window.list_page.band_filter.setCurrentIndex(0)  # 全部档位
    assert window.list_page.customer_model.rowCount() == 320


def test_clicking_a_pyramid_layer_shows_that_bands_customers(qtbot, sample_window):
    window = sample_window
    window.show_step("bands")
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


def test_customers_selected_in_the_list_are_the_letters_scope(qtbot, sample_window):
    window = sample_window
    page = window.letters_page
    view = window.list_page.customer_view
    window.show_step("list")
    view.selectRow(0)
    view.selectionModel().select(view.model().index(2, 0),
                                 view.selectionModel().SelectionFlag.Select
                                 | view.selectionModel().SelectionFlag.Rows)  # fmt: skip
    window.show_step("letters")
    page.set_scope("selected")
    assert "共 2 位客户" in page.count_label.text()
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
