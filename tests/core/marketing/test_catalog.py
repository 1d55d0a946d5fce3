"""Package catalog (套餐库): the shipped file, validation with row numbers, rules."""

from __future__ import annotations

import openpyxl
import pytest

from core.base.errors import InvalidInput
from core.marketing.bands import default_scheme, scheme_from_edges
from core.marketing.catalog import (
    DEFAULT_CATALOG_PATH,
    DEFAULT_PACKAGES,
    Rules,
    default_rules,
    load_catalog,
    write_catalog,
)

HEADER = ["套餐名称", "月费(元)", "流量(GB)", "通话(分钟)", "宽带(Mbps)", "合约期(月)", "一句话卖点",
          "适用档位"]  # fmt: skip


def _xlsx(tmp_path, rows, header=HEADER):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "套餐库"
    ws.append(header)
    for r in rows:
        ws.append(r)
    path = tmp_path / "套餐库.xlsx"
    wb.save(path)
    return path


def test_shipped_catalog_loads_and_matches_the_generator():
    assert DEFAULT_CATALOG_PATH.exists()
    cat = load_catalog()
    assert [p.name for p in cat.packages] == [p.name for p in DEFAULT_PACKAGES]
    fusion = [p for p in cat.packages if p.is_fusion]
    assert fusion and all(p.broadband_mbps >= 100 for p in fusion)
    assert all(p.pitch for p in cat.packages)


def test_a_user_edited_catalog_loads(tmp_path):
    path = _xlsx(tmp_path, [["乡村29", "29元", "不限", 100, None, 12, "够用", "低端，中端"],
                            [None] * 8,
                            ["城市99", 99, 40, 500, None, None, None, None]])  # fmt: skip
    cat = load_catalog(path)
    assert cat.names == ["乡村29", "城市99"]
    assert cat.packages[0].fee == 29 and cat.packages[0].data_gb == float("inf")
    assert cat.packages[0].bands == ("低端", "中端")


def test_catalog_errors_name_the_row(tmp_path):
    path = _xlsx(tmp_path, [["A", 19, 5, 100], ["B", None, 5, 100], ["C", "五十", 5, 100],
                            ["A", 29, 5, 100], [None, 39, 5, 100], ["D", 49, "很多", 100]])  # fmt: skip
    with pytest.raises(InvalidInput) as err:
        load_catalog(path)
    text = str(err.value)
    assert "套餐库第3行：缺少月费" in text
    assert "套餐库第4行：月费不是数字（“五十”）" in text
    assert "套餐库第5行：套餐名称“A”与第2行重复" in text
    assert "套餐库第6行：缺少套餐名称" in text
    assert "套餐库第7行：流量不是有效数字" in text
    assert "Excel" in err.value.hint


def test_catalog_without_fee_column(tmp_path):
    path = _xlsx(tmp_path, [["A", 19]], header=["套餐名称", "价格说明"])
    with pytest.raises(InvalidInput, match="缺少列：月费"):
        load_catalog(path)


def test_catalog_that_is_not_excel(tmp_path):
    p = tmp_path / "坏.xlsx"
    p.write_text("hello", encoding="utf-8")
    with pytest.raises(InvalidInput, match="无法打开"):
        load_catalog(p)
    with pytest.raises(InvalidInput, match="找不到"):
        load_catalog(tmp_path / "none.xlsx")


def test_write_catalog_round_trips_and_refuses_overwrite(tmp_path):
    path = write_catalog(list(DEFAULT_PACKAGES), tmp_path / "c.xlsx")
    assert load_catalog(path).names == [p.name for p in DEFAULT_PACKAGES]
    with pytest.raises(Exception, match="已存在"):
        write_catalog(list(DEFAULT_PACKAGES), path)


def test_default_rules_for_the_default_scheme():
    rules = default_rules(default_scheme(), load_catalog())
    assert set(rules.rules) == {"低端", "中端", "中高端", "高端"}
    # the playbook's words: the top band 高投入、高品质服务、高价位, the middle its own
    assert rules.get("高端").strategy == "高投入、高品质服务、高价位"
    assert rules.get("中高端").strategy == "优质服务、引导升档（潜在高端客户）"
    assert rules.get("中端").strategy == rules.get("低端").strategy == "满意服务、优惠资费"
    assert rules.get("中端").strategy == "满意服务、优惠资费"
    cat = load_catalog()
    fees = [cat.get(rules.get(b).main).fee for b in default_scheme().labels]
    assert fees == sorted(fees)  # higher bands get dearer packages
    assert cat.get(rules.get("高端").main).fee >= 200


@pytest.mark.parametrize("edges", [[80], [30, 60, 90, 150, 300]])
def test_default_rules_fit_any_scheme(edges):
    scheme = scheme_from_edges(edges)
    cat = load_catalog()
    rules = default_rules(scheme, cat)
    rules.check(cat, scheme)
    fees = [cat.get(rules.get(b).main).fee for b in scheme.labels]
    assert fees == sorted(fees) and len(set(fees)) == len(fees)
    assert all(rules.get(b).alt for b in scheme.labels)


def test_rules_naming_a_missing_package_are_rejected():
    rules = Rules.from_dict({"低端": {"main": "不存在的套餐"}})
    with pytest.raises(InvalidInput, match="不在套餐库"):
        rules.check(load_catalog(), scheme_from_edges([], labels=["低端"]))
    partial = Rules.from_dict({"低端": {"main": "畅享39元套餐"}})
    with pytest.raises(InvalidInput, match="中端”没有设置主推套餐"):
        partial.check(load_catalog(), default_scheme())
