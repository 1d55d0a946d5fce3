"""Table models of the customer list and import problems (no window, no thread)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from ui.models.customer_table import CustomerProxyModel, CustomerTableModel
from ui.models.problem_table import ProblemTableModel

H = Qt.Orientation.Horizontal
USER = Qt.ItemDataRole.UserRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_row": np.array([5, 6, 7, 8], dtype="int64"),
            "customer_id": pd.array(["KH1", "KH2", "KH3", "KH4"], dtype=object),
            "phone": pd.array(["13800000001", "13900000002", None, "13800000004"], dtype=object),
            "name": pd.array(["张记五金", "李记服装", "王记茶叶", "赵记五金"], dtype=object),
            "spend": [39.0, 128.5, np.nan, 19.990000000000002],
            "data_gb": [0.93, 10.0, np.nan, 1.5],
            "join_date": pd.to_datetime(["2021-09-18", None, "2015-03-16", "2019-01-02"]),
            "id_number": pd.array(["330101199001011234"] * 4, dtype=object),
            "spend_issue": pd.array([None, None, "missing_spend", None], dtype=object),
            "序号": pd.array(["1", "2", "3", "4"], dtype=object),
        }
    )


def headers(model) -> list[str]:
    return [model.headerData(c, H) for c in range(model.columnCount())]


def column(model, header: str) -> list[str]:
    c = headers(model).index(header)
    return [model.index(r, c).data() for r in range(model.rowCount())]


@pytest.fixture
def models(qapp):
    model = CustomerTableModel()
    model.set_frame(frame())
    proxy = CustomerProxyModel()
    proxy.setSourceModel(model)
    return model, proxy


def test_headers_are_chinese_and_id_number_is_hidden(models):
    model, _ = models
    shown = headers(model)
    assert shown[:4] == ["Excel行号", "客户编号", "手机号码", "客户名称"]
    assert "月均消费(元)" in shown and "入网时间" in shown and "序号" in shown
    assert "证件号码" not in shown and "id_number" not in shown
    assert "spend_issue" not in shown
    model.set_show_secret(True)
    assert "证件号码" in headers(model)


def test_cells_are_formatted_by_kind(models):
    model, _ = models
    assert column(model, "月均消费(元)") == ["39.00", "128.50", "", "19.99"]
    assert column(model, "手机号码") == ["13800000001", "13900000002", "", "13800000004"]
    assert column(model, "入网时间") == ["2021-09-18", "", "2015-03-16", "2019-01-02"]
    assert column(model, "月均流量(GB)") == ["0.93", "10", "", "1.5"]
    assert column(model, "Excel行号") == ["5", "6", "7", "8"]
    # the internal problem code is shown by its Chinese name
    assert column(model, "无法分档原因") == ["", "", "月均消费为空", ""]
    spend = headers(model).index("月均消费(元)")
    assert model.index(0, spend).data(ALIGN) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, spend).data(USER) == 39.0
    name = headers(model).index("客户名称")
    assert model.index(0, name).data(ALIGN) & Qt.AlignmentFlag.AlignLeft


def test_sorting_uses_values_and_puts_empty_cells_last(models):
    model, proxy = models
    spend = headers(model).index("月均消费(元)")
    proxy.sort(spend, Qt.SortOrder.DescendingOrder)
    assert column(proxy, "月均消费(元)") == ["128.50", "39.00", "19.99", ""]
    proxy.sort(spend, Qt.SortOrder.AscendingOrder)
    assert column(proxy, "月均消费(元)") == ["19.99", "39.00", "128.50", ""]
    proxy.sort(headers(model).index("入网时间"), Qt.SortOrder.AscendingOrder)
    assert column(proxy, "入网时间") == ["2015-03-16", "2019-01-02", "2021-09-18", ""]
    proxy.sort(-1)
    assert column(proxy, "Excel行号") == ["5", "6", "7", "8"]


def test_search_by_name_or_phone(models):
    model, proxy = models
    proxy.set_search("五金")
    assert column(proxy, "客户名称") == ["张记五金", "赵记五金"]
    proxy.set_search("1390000")
    assert column(proxy, "客户名称") == ["李记服装"]
    proxy.set_search("没有这个人")
    assert proxy.rowCount() == 0
    proxy.set_search("")
    assert proxy.rowCount() == 4 == model.total_count


def test_search_and_sort_combine(models):
    model, proxy = models
    proxy.set_search("五金")
    proxy.sort(headers(model).index("月均消费(元)"), Qt.SortOrder.DescendingOrder)
    assert column(proxy, "客户名称") == ["张记五金", "赵记五金"]
    proxy.set_search("")
    assert column(proxy, "客户名称") == ["李记服装", "张记五金", "赵记五金", "王记茶叶"]


def test_problem_model_lists_rows_fields_and_reasons(qapp):
    problems = pd.DataFrame(
        {
            "row": [30, 50],
            "field": ["phone", "spend"],
            "field_label": ["手机号码", "月均消费(元)"],
            "code": ["bad_phone", "missing_spend"],
            "message": ["号码“1381234”不是有效的手机号码", "月均消费为空"],
        }
    )
    model = ProblemTableModel()
    model.set_frame(problems)
    assert headers(model) == ["Excel行号", "字段", "问题", "说明"]
    assert [model.index(0, c).data() for c in range(4)] == [
        "30",
        "手机号码",
        "号码无效",
        "号码“1381234”不是有效的手机号码",
    ]
    assert model.index(1, 0).data(USER) == 50
    model.set_frame(problems.iloc[0:0])
    assert model.rowCount() == 0


def test_200000_rows_load_sort_and_search_fast(qapp):
    n = 200_000
    rng = np.random.default_rng(1)
    big = pd.DataFrame(
        {
            "source_row": np.arange(2, n + 2),
            "phone": pd.array([f"138{i:08d}" for i in range(n)], dtype=object),
            "name": pd.array([f"客户{i}" for i in range(n)], dtype=object),
            "spend": rng.uniform(0, 500, n).round(2),
            "join_date": pd.to_datetime("2015-01-01")
            + pd.to_timedelta(rng.integers(0, 3000, n), "D"),
        }
    )
    model = CustomerTableModel()
    proxy = CustomerProxyModel()
    proxy.setSourceModel(model)
    start = time.perf_counter()
    model.set_frame(big)
    proxy.sort(3, Qt.SortOrder.DescendingOrder)
    proxy.set_search("1380000")
    elapsed = time.perf_counter() - start
    assert proxy.rowCount() == 10_000
    values = [float(proxy.index(r, 3).data(USER)) for r in range(50)]
    assert values == sorted(values, reverse=True)
    assert elapsed < 3.0, f"200,000 行的加载+排序+搜索用了 {elapsed:.1f} 秒"
