"""Letter content without Qt: field values, masking, money, file names, DOCX."""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import pytest

from core.base.errors import InvalidInput
from core.base.settings import Settings, load_settings, save_settings
from core.documents.letter_html import to_html
from core.documents.letter_parts import Table
from core.documents.letter_values import change_text, file_stem, mask_phone, money
from core.documents.letters import build_letters, select
from core.documents.templates import Template
from core.marketing.bands import default_scheme
from core.marketing.offers import make_offers
from tests.frames import BIG, CAT, FULL_PHONE, ID, RULES, customers, letter_frame, letters

TODAY = dt.date(2026, 11, 20)


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
    # no name: the 客户编号, else 未填名称 (was "客户", which read like a real name)
    assert file_stem(7, 4, {"客户名称": "", "号码尾号": ""}) == "0007_未填名称"
    assert file_stem(7, 4, {"客户名称": "", "客户编号": "KH9", "号码尾号": "1"}) == "0007_KH9_1"


def test_band_selection_and_unknown_band():
    offers = make_offers(letter_frame(), today=TODAY)
    assert len(select(offers, ["高端"])) == 1
    with pytest.raises(InvalidInput, match="超高端"):
        select(offers, ["超高端"])


def test_no_id_number_in_html_or_docx():
    pytest.importorskip("docx")
    from docx import Document

    from core.documents.docx_out import docx_bytes

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


# ---- the customer's own package, honest gains, blank names, rows without data --------


def small_letters(df, kind="建议书", template=None, catalog=CAT):
    offers = select(make_offers(df, default_scheme(), catalog, RULES, today=TODAY))
    return build_letters(offers, kind, template, Settings(branch="某某县分公司"), TODAY)


def text(letter) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>|&nbsp;", "", to_html(letter)))


def compare_rows(letter) -> list[str]:
    (table,) = [p for p in letter.parts if isinstance(p, Table) and p.header]
    return [row[0].text for row in table.rows[1:]]


def test_customer_on_the_main_package_is_not_offered_it_again():
    # 中端: main 畅享79 (alt 5G159); 高端: main 融合299 and no alternative
    df = customers([85, 320], package=["畅享79", "融合299"], data_gb=[35, 150],
                   voice_min=[300, 800])  # fmt: skip
    alt, keep = small_letters(df)
    t = text(alt)
    # both bills, like with like: the 6 元 beyond 畅享79's fee stay (159 + 6)
    assert "为您推荐：5G159" in t and "现在每月约85.00元→办理后每月约165.00元（每月多80.00元）" in t
    assert "改用畅享79" not in t and "为您推荐：畅享79" not in t
    assert "与您现在的套餐相比，推荐套餐流量多60GB、通话多500分钟" in t
    t = text(keep)
    assert keep.values["保持现套餐"] == "是" and keep.values["月费变化"] == "月费不变"
    assert "改用" not in t and "为您推荐" not in t and "精打细算" not in t
    assert "您的套餐：融合299" in t and "建议继续保持" in t
    (sheet,) = small_letters(df.iloc[[1]], "反馈表")
    assert "维系方案" in text(sheet) and "推荐方案" not in text(sheet)


def test_downgrade_says_less_never_more():
    # on 5G199 (200 GB, 2000 min) spending 180 and using 103 GB: the 中高端 package 5G159
    # has less; its bill is 159 + 3 GB beyond it at 5 元 = 174 (3.3% less, within 10%)
    df = customers([180], package=["5G199"], data_gb=[103], voice_min=[900])
    (letter,) = small_letters(df, catalog=BIG)
    v, t = letter.values, text(letter)
    assert v["流量变化"] == "少 100 GB" and v["通话变化"] == "少 1000 分钟"
    assert "现在每月约180.00元→办理后每月约174.00元，每月省6.00元" in t
    assert "推荐套餐流量少100GB、通话少1000分钟" in t
    assert "流量还多" not in t and "多100GB" not in t and "更宽裕" not in t
    assert "完全够用" not in t  # 103 GB used, 100 GB in the new package
    rows = compare_rows(letter)
    assert rows[:2] == ["每月费用（约，元）", "全年费用（约，元）"]
    assert {"套餐流量（GB）", "套餐通话（分钟）", "超出用量（估算）及套餐外（元）"} <= set(rows)


def test_blank_name_greeting_sheet_and_file_name():
    df = customers([85, 85], name=[None, "  "], customer_id=["KH001", None],
                   phone=["13812345678", "13800005678"])  # fmt: skip
    a, b = small_letters(df)
    assert a.stem == "001_KH001_5678" and b.stem == "002_未填名称_5678"
    for letter in (a, b):
        t = text(letter)
        assert "尊敬的客户：" in t and "尊敬的尊敬的" not in t
        assert letter.values["客户名称"] == ""
    sheet = small_letters(df, "反馈表")[0]
    info = next(p for p in sheet.parts if isinstance(p, Table) and p.rows[0][0].text == "客户名称")
    assert info.rows[0][1].text == ""  # left empty, to write in by hand
    assert "尊敬的客户" not in text(sheet)
    # a user's own template written the old way still greets properly
    (mine,) = small_letters(df.iloc[[0]], template=Template("尊敬的{客户名称}：您好"))
    assert text(mine) == "尊敬的客户：您好"


def test_rows_without_data_are_left_out_of_the_comparison():
    # packages not in the catalog: gains are against usage, so unknown usage = no row
    df = customers([85, 85, 85], package=["某某套餐"] * 3, data_gb=[None, 35, None],
                   voice_min=[None, None, 300])  # fmt: skip
    none, data_only, voice_only = small_letters(df)
    bills = ["每月费用（约，元）", "全年费用（约，元）"]
    assert compare_rows(none) == bills
    assert compare_rows(data_only) == [*bills, "每月流量（GB）"]
    assert compare_rows(voice_only) == [*bills, "每月通话（分钟）"]
    for letter in (none, data_only, voice_only):
        (table,) = [p for p in letter.parts if isinstance(p, Table) and p.header]
        assert all(c.text != "—" for row in table.rows[1:3] for c in row)
    assert "仅按月费比较" in text(none)
