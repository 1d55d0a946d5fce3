"""The 设置 dialog from the window: checked as typed, saved at once, used at once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.ui.conftest import settle


def test_settings_dialog_validates_and_saves_at_once(qtbot, sample_window):
    window = sample_window
    dialog = window.open_settings()
    dialog.phone.setText("电话找我")
    dialog.save()
    assert dialog.isVisible() and "不像电话号码" in dialog.message.text()
    dialog.phone.setText("0571-88886666")
    dialog.logo.setText("/没有这个/标志.png")
    dialog.save()
    assert "找不到标志图片" in dialog.message.text()
    dialog.logo.setText("")
    dialog.branch.setText("中国电信城东县分公司")
    dialog.promises["高端"].setPlainText("专属客户经理，两小时上门。")
    dialog.save()
    assert not dialog.isVisible()
    saved = json.loads(
        (Path(os.environ["JINZITA_DATA_DIR"]) / "letter_settings.json").read_text("utf-8")
    )
    assert saved["branch"] == "中国电信城东县分公司" and saved["staff_phone"] == "0571-88886666"
    assert saved["promises"] == {"高端": "专属客户经理，两小时上门。"}


def test_recommendation_settings_are_saved_and_used(qtbot, sample_window):
    window = sample_window
    dialog = window.open_settings()
    dialog.data_rate.setValue(3)
    dialog.seed_share.setValue(10)
    dialog.seed_offer.setPlainText("新业务免费体验 6 个月，做市场样板店")
    dialog.save()
    assert not dialog.isVisible()
    saved = json.loads(
        (Path(os.environ["JINZITA_DATA_DIR"]) / "letter_settings.json").read_text("utf-8")
    )
    assert saved["data_rate"] == 3 and saved["seed_share"] == pytest.approx(0.1)
    settle(qtbot, sample_window)
    assert window.state.options.data_rate == 3 and window.state.options.seed_share == 0.1
    offers = window.state.analysis.offers
    assert offers["tag_seed"].sum() == 32  # 10 % of the 316 customers with a spend
    assert (
        offers.loc[offers["tag_seed"], "tag_offer"] == "新业务免费体验 6 个月，做市场样板店"
    ).all()
    assert "流量 3 元/GB" in window.offers_page.policy_label.text()
