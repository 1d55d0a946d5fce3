"""What staff type in a 走访记录 sheet, read the way they meant it; customer keys."""

from __future__ import annotations

import datetime as dt

import pytest

from core.campaign import keys as k
from core.campaign import values as v
from core.documents import mask_phone as letters_mask

TODAY = dt.date(2026, 12, 2)
D = dt.date


@pytest.mark.parametrize(
    "typed, expected",
    [
        (dt.datetime(2026, 11, 3, 9, 30), D(2026, 11, 3)),
        (D(2026, 11, 3), D(2026, 11, 3)),
        ("2026/12/1", D(2026, 12, 1)),
        ("2026-12-01", D(2026, 12, 1)),
        ("2026.12.1", D(2026, 12, 1)),
        ("2026年12月1日", D(2026, 12, 1)),
        (" 2026年12月1号 ", D(2026, 12, 1)),
        ("２０２６－１２－０１", D(2026, 12, 1)),  # full-width
        ("20261201", D(2026, 12, 1)),
        ("2026-12-01 14:30:00", D(2026, 12, 1)),
        ("12月1日", D(2026, 12, 1)),
        ("12/2", D(2026, 12, 2)),
        ("12月25日", D(2025, 12, 25)),  # no year and later than today: last year's
        (46000, D(2025, 12, 9)),  # an Excel serial number
        (46000.0, D(2025, 12, 9)),
        ("", None),
        (None, None),
    ],
)
def test_dates(typed, expected):
    assert v.date(typed, "走访日期", today=TODAY) == expected


def test_follow_up_without_year_comes_after_the_visit():
    assert v.date("1月5日", "下次跟进日期", today=TODAY, after=D(2026, 12, 20)) == D(2027, 1, 5)
    assert v.date("12月28日", "下次跟进日期", today=TODAY, after=D(2026, 12, 20)) == D(2026, 12, 28)


@pytest.mark.parametrize("typed, words", [
    ("2026-02-30", "不是存在的日期"), ("明天", "不是日期"), ("12.3.4", "不是日期"),
    (12.5, "不是日期"), (True, "不是日期"), (-3, "不是日期"),
])  # fmt: skip
def test_bad_dates(typed, words):
    with pytest.raises(v.BadValue, match=words):
        v.date(typed, "走访日期", today=TODAY)


def test_date_ranges():
    v.check_visit_date(TODAY + dt.timedelta(days=1), TODAY)  # time zones: one day of slack
    with pytest.raises(v.BadValue, match="晚于今天"):
        v.check_visit_date(TODAY + dt.timedelta(days=2), TODAY)
    with pytest.raises(v.BadValue, match="太早"):
        v.check_visit_date(D(1999, 12, 31), TODAY)
    with pytest.raises(v.BadValue, match="早于走访日期"):
        v.check_follow_up(D(2026, 11, 1), D(2026, 11, 2))
    with pytest.raises(v.BadValue, match="太远"):
        v.check_follow_up(D(2030, 1, 1), D(2026, 11, 2))


@pytest.mark.parametrize("typed, expected", [
    (88, 88.0), (88.456, 88.46), ("88", 88.0), ("88元", 88.0), (" 88 元 ", 88.0),
    ("￥88.5", 88.5), ("¥88", 88.0), ("８８元", 88.0), ("1,288", 1288.0), ("79元/月", 79.0),
    ("0", 0.0), ("", None), (None, None), ("  ", None),
])  # fmt: skip
def test_fees(typed, expected):
    assert v.fee(typed) == expected


@pytest.mark.parametrize("typed, words", [
    ("abc", "不是金额"), ("-5", "不是有效的金额"), (-1, "不是有效的金额"),
    (float("inf"), "不是有效的金额"), ("1e9", "大得不合理"), (True, "不是金额"),
])  # fmt: skip
def test_bad_fees(typed, words):
    with pytest.raises(v.BadValue, match=words):
        v.fee(typed)


def test_choices():
    assert v.choice(" 上门 ", v.METHODS, "方式") == "上门"
    assert v.choice("上门拜访", v.METHODS, "方式") == "上门"  # contains one option
    assert v.choice("电话回访", v.METHODS, "方式") == "电话"
    assert v.choice("成交", v.INTENTS, "意向") == "已成交"  # part of one option
    assert v.choice("", v.INTENTS, "意向") == ""
    for typed in ("意向", "飞鸽传书", "有意向也无意向"):  # ambiguous or unknown
        with pytest.raises(v.BadValue, match="请从下拉列表中选择"):
            v.choice(typed, v.INTENTS, "意向")


def test_yes_no_and_objections():
    for typed in ("是", " 是 ", "Y", "yes", "√", 1, "见到"):
        assert v.yes_no(typed) is True
    for typed in ("否", "N", "no", "×", 0, "没见到"):
        assert v.yes_no(typed) is False
    assert v.yes_no("") is None
    with pytest.raises(v.BadValue, match="“是”或“否”"):
        v.yes_no("可能")
    assert v.objections("价格、信号") == ("价格", "信号")
    assert v.objections("信号，价格 价格") == ("价格", "信号")
    assert v.objections("合约未到期/其他") == ("合约未到期", "其他")
    assert v.objections("无") == () and v.objections("") == ()
    with pytest.raises(v.BadValue, match="异议“太贵”"):
        v.objections("太贵")


def test_text_and_person():
    assert v.text("  很好\n 下次再来 \x07") == "很好 下次再来"
    assert v.person(" 张 三 ") == "张三" and v.person("Ｗａｎｇ  Li") == "Wang Li"
    assert len(v.text("字" * 900)) == 500


def test_identities_fall_back_and_stay_unique():
    rows = [("138 0000 0001", "KH1", 2), (None, "KH2", 3), (None, None, 4),
            ("13800000001", "KH4", 5), (13800000005.0, "KH1", 6)]  # fmt: skip
    assert k.identities(rows) == [
        "phone:13800000001", "id:KH2", "row:4", "id:KH4", "phone:13800000005",
    ]  # fmt: skip


def test_keys_are_short_stable_and_unique():
    idents = [f"phone:138{i:08d}" for i in range(20000)]
    keys = k.customer_keys(idents)
    assert len(set(keys)) == len(keys)
    assert all(key.startswith("K") and len(key) >= 8 for key in keys)
    assert k.customer_keys(idents[:10]) == keys[:10]  # the same customer, the same key
    assert all(ch not in "ILOU" for key in keys for ch in key[1:])
    clash = k.customer_keys(["phone:1", "phone:1#"])  # different identities never share
    assert clash[0] != clash[1]


def test_aliases_find_customers_by_key_phone_or_number():
    aliases = k.Aliases([("K7Q2M9XA", "13800000001", "KH001"), ("K1111111", None, "KH002"),
                         ("K2222222", "13800000003", "KH002")])  # fmt: skip
    assert aliases.find("K7Q2M9XA") == "K7Q2M9XA"
    assert aliases.find(" k7q2m9xa ") == "K7Q2M9XA"
    assert aliases.find("K7Q2M9XA".replace("1", "I")) == "K7Q2M9XA"
    assert aliases.find("KIIIIIII") == "K1111111"  # I read as 1
    assert aliases.find(13800000001.0) == "K7Q2M9XA"  # a phone Excel turned into a number
    assert aliases.find("138-0000-0003") == "K2222222"
    assert aliases.find("kh001") == "K7Q2M9XA"
    assert aliases.find("KH002") is None  # two customers share it: ambiguous
    assert aliases.find("") is None and aliases.find("138****0001") is None


@pytest.mark.parametrize("phone", ["13812345678", "0571-88123456", "123", "", None])
def test_mask_phone_matches_the_letters(phone):
    assert k.mask_phone(phone) == letters_mask(phone)
