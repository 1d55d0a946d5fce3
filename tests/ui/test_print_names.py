"""The combined print file's name says who it is for, and is always a name Windows accepts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from core.base import check_path
from ui.render.generate import SCOPE_MAX, plan, scope_label

BANDS = ["低端", "中端", "中高端", "高端"]


def test_names_of_the_usual_scopes():
    assert scope_label(["高端"], BANDS) == "高端"
    assert scope_label(["中高端", "高端"], BANDS) == scope_label(["高端", "中高端"], BANDS)
    assert scope_label(["中高端", "高端"], BANDS) == "高端、中高端"  # top band first
    assert scope_label(BANDS, BANDS) == "" and scope_label([], BANDS) == ""  # everyone
    assert scope_label(tag="种子用户") == "种子用户"
    assert scope_label(selected=12) == "选中的12位"
    many = [f"第{i}档（月消费{i * 50}元以上）" for i in range(6)]
    assert scope_label(many[1:], many) == "第5档（月消费250元以上）等5档"
    out = plan([], Path("城东"), "反馈表", ("pdf",), True, "高端、中高端")
    assert out.combined == Path("城东") / "信息反馈表_高端、中高端_合并打印.pdf"
    assert (
        plan([], Path("城东"), "建议书", ("pdf",), True).combined.name == "客户建议书_合并打印.pdf"
    )


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=8),
       st.text(max_size=40))  # fmt: skip
def test_any_band_or_tag_name_gives_a_file_name_windows_accepts(bands, tag):
    for scope in (scope_label(bands[:-1] or bands, bands), scope_label(tag=tag)):
        assert len(scope) <= SCOPE_MAX + 8
        name = plan([], Path("out"), "建议书", ("pdf",), True, scope).combined
        check_path(name, windows=True)  # raises for a name Windows refuses
