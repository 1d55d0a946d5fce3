"""Random lists never crash the import: it either reads them or says, in Chinese, why not."""

from __future__ import annotations

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.base.errors import UserError
from core.importing.importer import import_file

cell = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
        max_size=10,
    ),
    st.sampled_from(["合计", "—", "暂无", "13812345678", "88元", "月均消费", "客户名称", ""]),
    st.integers(-1000, 10**11).map(str),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=12))
def test_random_csv_is_read_or_refused_in_chinese(tmp_path, rows):
    path = tmp_path / "random.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["客户名称", "手机号码", "月均消费"], *rows])
    try:
        res = import_file(path, remember=False)
    except UserError as err:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message)
        return
    listed = set(res.customers["source_row"]) | {p.row for p in res.problems}
    skipped = {r for rows_ in res.skipped.values() for r in rows_}
    assert res.rows == len(listed - skipped) or res.rows >= len(res.customers)
    assert res.customer_count <= res.rows
