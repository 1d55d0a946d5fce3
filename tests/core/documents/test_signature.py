"""Is the sender of the letters filled in, or would paper show ×× and blank lines?"""

from __future__ import annotations

from core.base import Settings
from core.documents import unsigned, unsigned_text


def test_the_shipped_settings_are_unsigned_and_say_what_to_do():
    missing = unsigned(Settings())
    assert missing == [
        "落款单位还是“中国电信××县分公司”",
        "客户经理没有填写",
        "客户经理电话没有填写",
    ]
    assert "去设置" in unsigned_text(missing)
    assert "--staff-phone" in unsigned_text(missing, cli=True)


def test_a_filled_sender_is_signed_and_each_gap_is_named():
    signed = Settings(branch="中国电信城东县分公司", staff_name="王磊", staff_phone="13900001111")
    assert unsigned(signed) == [] and unsigned_text([]) == ""
    assert unsigned(Settings(branch="  ", staff_name="王磊", staff_phone="1")) == [
        "落款单位没有填写"
    ]
    for placeholder in ("中国电信XX县分公司", "某某分公司"):
        found = unsigned(Settings(branch=placeholder, staff_name="王磊", staff_phone="1"))
        assert found == [f"落款单位还是“{placeholder}”"]
