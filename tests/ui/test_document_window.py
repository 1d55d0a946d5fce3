"""The campaign is the document (issue 21): a .jzt opens as it was left — edges in the
边界 box, the band table, every band's 主推, the offers and the letters' recommendations —
and every edit is saved back into it as it happens."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from core.campaign import Campaign, CampaignInfo
from core.importing import import_file
from core.marketing import Inputs, Rule, analyse, scheme_from_edges
from tests.paths import SAMPLE
from tests.ui.conftest import settle


@pytest.fixture
def made(tmp_path):
    """A campaign with its own scheme (40/90/180) and 低端's own 主推 (畅享29元套餐)."""
    result = import_file(SAMPLE, remember=False)
    scheme = scheme_from_edges([40, 90, 180])
    inputs = Inputs(customers=result.customers, scheme=scheme, today=dt.date.today(),
                    choices={"低端": Rule("低端", "畅享29元套餐", "", "")})  # fmt: skip
    analysis = analyse(inputs)
    path = tmp_path / "城东.jzt"
    Campaign.create(path, analysis.offers, CampaignInfo("城东 12 月扫场", staff=("王磊",)),
                    scheme=scheme, catalog=inputs.catalog, rules=analysis.rules, source=result,
                    options=inputs.options.to_dict()).close()  # fmt: skip
    return path, analysis


def open_document(qtbot, window, path) -> None:
    assert window.open_path(str(path))
    qtbot.waitUntil(lambda: window.state.campaign is not None and not window.busy
                    and window.state.analysis is not None, timeout=30_000)  # fmt: skip


def test_a_campaign_opens_as_it_was_left(qtbot, window, made):
    path, analysis = made
    open_document(qtbot, window, path)
    assert window.findChild(QLineEdit, "edgesEdit").text() == "40,90,180"
    shown = window.state.analysis
    assert shown.offers["offer_package"].tolist() == analysis.offers["offer_package"].tolist()
    window.show_step("offers")
    assert window.findChild(QComboBox, "mainCombo_1").currentText() == "畅享29元套餐"
    assert "城东 12 月扫场" in window.windowTitle()
    window.show_step("letters")
    page = window.letters_page
    page.set_scope("bands", bands=["低端"])
    letters = page.letters()
    assert len(letters) and all(x.values["推荐套餐"] for x in letters)
    low = analysis.offers[analysis.offers["band"].astype("object") == "低端"]
    assert [x.values["推荐套餐"] for x in letters] == low["offer_package"].tolist()


def test_the_visits_table_of_an_opened_campaign_is_read_on_the_opening_worker(
    qtbot, window, made, monkeypatch
):
    """No pause when a campaign opens: the 走访 page's table comes from the worker."""
    from core.campaign import Campaign

    path, analysis = made
    read_here: list[bool] = []
    original = Campaign.customers_frame
    monkeypatch.setattr(Campaign, "customers_frame", lambda self: (
        read_here.append(threading.current_thread() is threading.main_thread())
        or original(self)))  # fmt: skip
    open_document(qtbot, window, path)
    assert read_here == [False]  # once, not on the window's thread
    assert window.visits_page.model.rowCount() == len(analysis.offers)
    assert window.state.take_campaign_frame(window.state.campaign) is None  # used once


def test_an_edit_is_saved_into_the_campaign_as_it_happens(qtbot, window, made):
    path, _analysis = made
    open_document(qtbot, window, path)
    window.show_step("bands")
    edit = window.findChild(QLineEdit, "edgesEdit")
    edit.setText("60,150")
    window.bands_page.apply_edges()
    settle(qtbot, window.state)
    qtbot.waitUntil(lambda: not window.busy, timeout=30_000)
    assert not window.state.dirty  # a campaign needs no 保存
    with Campaign.open(path, readonly=True) as campaign:
        assert campaign.scheme().edges == [60, 150]
        stored = [c.band for c in campaign.customers()]
    bands = window.state.analysis.offers["band"].astype("object")
    assert stored == bands.where(bands.notna(), None).tolist()
    window.close_campaign()
    assert window.state.campaign is None and not window.state.has_list
    open_document(qtbot, window, path)
    assert window.findChild(QLineEdit, "edgesEdit").text() == "60,150"


def test_a_changed_list_alone_is_not_dropped_silently(qtbot, window, monkeypatch):
    window.open_sample()
    qtbot.waitUntil(lambda: not window.busy and window.state.analysis is not None,
                    timeout=20_000)  # fmt: skip
    window.show_step("bands")
    window.findChild(QLineEdit, "edgesEdit").setText("70")
    window.bands_page.apply_edges()
    assert window.state.dirty and "未保存为营销活动" in window.windowTitle()
    asked = []

    def answer(box):  # 取消: the window stays as it is
        asked.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: None)
    assert window.open_sample() is None  # asked, and 取消: nothing opened
    assert asked and "还没有保存为营销活动" in asked[-1]
    assert window.state.scheme.edges == [70] and window.state.dirty
    window.close()
    assert window.isVisible() and len(asked) == 2  # closing asks the same


def test_undo_belongs_to_the_page_and_the_edges_box_undoes_its_scheme(qtbot, window, made):
    from PySide6.QtCore import Qt

    path, _analysis = made
    open_document(qtbot, window, path)
    window.show_step("offers")
    window.findChild(QComboBox, "mainCombo_2").setCurrentText("畅享99元套餐")  # 中端
    settle(qtbot, window.state)
    window.show_step("bands")
    edit = window.findChild(QLineEdit, "edgesEdit")
    edit.setFocus()
    edit.setText("60,150")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(qtbot, window.state)
    assert window.state.scheme.edges == [60, 150]
    edit.setText("150,60")  # refused: red, the scheme stays
    window.bands_page.apply_edges()
    assert window.bands_page.edges_hint.property("error") is True
    edit.setText("60,150")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing typed
    settle(qtbot, window.state)
    assert window.state.scheme.edges == [40, 90, 180]  # the page's last change, undone
    assert edit.text() == "40,90,180" and window.bands_page.edges_hint.property("error") is False
    assert window.state.choices["中端"].main == "畅享99元套餐"  # the other page's work stays
    window.show_step("visits")
    assert window.undo_stack is window.visits_page.undo and not window.undo_action.isEnabled()


def test_a_saved_visit_can_be_undone_corrected_and_deleted(qtbot, window, made, monkeypatch):
    path, _analysis = made
    open_document(qtbot, window, path)
    window.show_step("visits")
    page, form = window.visits_page, window.visits_page.form
    page.view.setCurrentIndex(page.proxy.index(0, 1))
    key = page.current_key()
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("有意向"))
    assert page.save_visit()
    campaign = window.state.campaign
    assert len(campaign.visits_for(key)) == 1
    window.undo_action.trigger()  # 撤销: the visit just saved is gone (and logged)
    assert campaign.visits_for(key) == [] and campaign.visit_changes(key)[-1]["action"] == "撤销"
    window.redo_action.trigger()
    stored = campaign.visits_for(key)
    assert len(stored) == 1 and stored[0].visit.intent == "有意向"
    page.select_key(key)
    form.earlier.selectRow(0)
    form.edit_button.click()
    assert form.editing is not None and "保存修改" in form.save_button.text()
    form.intent.setCurrentIndex(form.intent.findData("考虑中"))
    assert page.save_visit()
    assert campaign.visits_for(key)[0].visit.intent == "考虑中" and form.editing is None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.select_key(key)
    form.earlier.selectRow(0)
    form.delete_button.click()
    assert campaign.visits_for(key) == []
    assert [c["action"] for c in campaign.visit_changes(key)] == ["撤销", "修改", "修改", "删除"]
    window.undo_action.trigger()  # the deletion undone: the corrected visit is back
    assert campaign.visits_for(key)[0].visit.intent == "考虑中"
