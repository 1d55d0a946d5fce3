"""Letter content without Qt: field values, masking, money, file names, DOCX."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import pandas as pd
import pytest

from core.errors import InvalidInput
from core.letters import (
    build_letters,
    change_text,
    file_stem,
    mask_phone,
    money,
    select,
    to_html,
)
from core.offers import make_offers
from core.settings import Settings, load_settings, save_settings

TODAY = dt.date(2026, 11, 20)
FULL_PHONE = "13812345678"
ID = "330102198001011234"


def frame() -> pd.DataFrame:
    """Customers shaped like the importer's output, with the awkward cases."""
    n = 5
    return pd.DataFrame({
        "source_row": np.arange(2, n + 2),
        "customer_id": [f"KH{i}" for i in range(n)],
        "phone": [FULL_PHONE, "0571-88123456", "13900001111", None, "13711112222"],
        "name": ["张三五金店", 'A/B:*?"<>|商行.', "很长" * 40, "无号码客户", "李四"],
        "spend": [59.99, 19.99, 128.5, 300.0, np.nan],
        "spend_issue": [None] * n,
        "package": ["畅享59元套餐", None, "5G畅享129元套餐", "5G畅享299元套餐", None],
        "data_gb": [12.5, np.nan, 30.0, np.nan, np.nan],
        "voice_min": [150.0, np.nan, 500.0, np.nan, np.nan],
        "tenure_months": [75.0, np.nan, 8.0, np.nan, np.nan],
        "join_date": pd.to_datetime([None, "2020-01-15", None, None, None]),
        "contract_end": pd.to_datetime([None] * n),
        "address": ["城东市场A区1号", None, "城东市场B区2号", None, None],
        "id_number": [ID] * n,
        "摊位号": ["A-01", "B-02", None, "C-03", None],
    })  # fmt: skip


def letters(kind="建议书", **kw):
    offers = select(make_offers(frame(), today=TODAY))
    return build_letters(offers, kind, settings=Settings(branch="某某县分公司", staff_name="王磊",
                         staff_phone="13900009999"), today=TODAY, **kw)  # fmt: skip


def test_mask_phone_mobile_landline_short():
    assert mask_phone(FULL_PHONE) == "138****5678"
    assert mask_phone("0571-88123456") == "0571-****3456"
    assert mask_phone("12345") == "*****"
    assert mask_phone(None) == ""


def test_money_and_change_wording():
    assert money(19.990000000000002) == "19.99"
    assert money(0.125) == "0.13"
    assert money(1280) == "1,280.00"
    assert money(math.nan) == ""
    assert change_text(-15) == "每月省 15.00 元"
    assert change_text(20.004) == "每月多 20.00 元"
    assert change_text(0) == "月费不变"
    assert change_text(-180, "每年", "年费") == "每年省 180.00 元"


def test_values_with_and_without_usage():
    a, b, c, d = letters()  # the customer without spend gets no letter
    assert len({a.stem, b.stem, c.stem, d.stem}) == 4
    v = a.values
    assert v["手机号码"] == "138****5678" and v["号码尾号"] == "5678"
    assert v["月均消费"] == "59.99" and v["在网时长"] == "6年3个月"
    assert v["有流量"] == "是" and v["流量变化"].startswith("多 ")
    assert v["摊位号"] == "A-01"  # unmapped column usable in templates
    assert "证件号码" not in v and ID not in str(v)
    w = b.values  # no usage data: no empty labels, no gains
    assert w["有流量"] == "" and w["流量变化"] == "" and w["在网时长"] == "6年10个月"
    html = to_html(b)
    assert "月均流量" not in html.split("为您推荐")[0]  # current-status table skips it
    assert "缺少流量" in html or "暂无流量" in html
    assert d.values["手机号码"] == "" and "号码：" not in to_html(d)


def test_unmask_shows_full_phone():
    (a, *_rest) = letters(unmask=True)
    assert a.values["手机号码"] == FULL_PHONE


def test_file_names_are_windows_safe_and_short():
    ls = letters()
    for letter in ls:
        assert not set(letter.stem) & set('\\/:*?"<>|')
        assert len(letter.stem) <= 60 and not letter.stem.endswith((".", " "))
    assert ls[0].stem == "001_张三五金店_5678"
    assert ls[1].stem.startswith("002_A_B") and ls[1].stem.endswith("_3456")
    assert file_stem(7, 4, {"客户名称": "", "号码尾号": ""}) == "0007_客户"


def test_band_selection_and_unknown_band():
    offers = make_offers(frame(), today=TODAY)
    assert len(select(offers, ["高端"])) == 1
    with pytest.raises(InvalidInput, match="超高端"):
        select(offers, ["超高端"])


def test_no_id_number_in_html_or_docx():
    pytest.importorskip("docx")
    from docx import Document

    from core.docx_out import docx_bytes

    ls = letters() + letters("反馈表")
    for letter in ls:
        assert ID not in to_html(letter) and FULL_PHONE not in to_html(letter)
    data = docx_bytes(ls[:1])
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    cells = "\n".join(c.text for t in Document(io.BytesIO(data)).tables for r in t.rows
                      for c in r.cells)  # fmt: skip
    assert "张三五金店" in text and "138****5678" in text + cells
    assert ID not in text + cells and FULL_PHONE not in text + cells
    assert "59.99" in cells


def test_settings_round_trip_and_validation():
    s = Settings(branch=" 某某县分公司 ", staff_name="王磊", validity_days="15")
    save_settings(s)
    again = load_settings()
    assert again.branch == "某某县分公司" and again.validity_days == 15
    with pytest.raises(InvalidInput):
        Settings(validity_days=0)
