"""The letter template language: fields, conditions, components, refusal of unknowns."""

from __future__ import annotations

import pytest

from core.base.errors import InvalidInput
from core.documents.letter_values import (
    FIELD_HELP,
    FORBIDDEN_FIELDS,
    field_names,
    field_values,
    known_fields,
)
from core.documents.templates import Template, load_template

KNOWN = ["客户名称", "档位", "有流量", "月均流量", "每月差额", "月费变化"]


def render_text(text: str, values: dict[str, str]) -> list[str]:
    t = Template(text)
    t.validate(KNOWN)
    return [f"{b.kind}:{b.text}" if b.kind != "component" else f"[{b.name}|{b.args}]"
            for b in t.render(values)]  # fmt: skip


def test_fields_and_line_kinds():
    out = render_text("# 标题\n## 小标题\n> 靠右\n尊敬的{客户名称}：\n[推荐对比]\n// 注释 {不存在}",
                      {"客户名称": "张三"})  # fmt: skip
    assert out == ["title:标题", "heading:小标题", "right:靠右", "para:尊敬的张三：", "[推荐对比|]"]


def test_conditions_inline_multiline_and_else():
    text = (
        "{如果 档位=高端}VIP{否则}普通{结束}客户\n{如果 有流量}\n流量 {月均流量} GB\n{结束}\n"
        "{如果 档位=高端/中高端}多值{结束}{如果 每月差额<0}省钱{结束}{如果 非 有流量}无流量{结束}"
    )
    high = render_text(
        text, {"档位": "高端", "有流量": "是", "月均流量": "3.5", "每月差额": "-5.00"}
    )
    assert high == ["para:VIP客户", "para:流量 3.5 GB", "para:多值省钱"]
    low = render_text(text, {"档位": "低端", "有流量": "", "每月差额": "1,020.00"})
    assert low == ["para:普通客户", "para:无流量"]


def test_bold_braces_and_values_never_become_markup():
    out = render_text("**{客户名称}** {{原样}}", {"客户名称": "# [推荐对比] **x"})
    t = Template("{客户名称}")
    blocks = t.render({"客户名称": "[推荐对比]"})
    assert blocks[0].kind == "para" and blocks[0].text == "[推荐对比]"
    assert out == ["para:# [推荐对比] **x {原样}"]


def test_unknown_field_is_refused_with_its_name_and_line():
    t = Template("第一行\n您好 {客户名字}，{档位}")
    with pytest.raises(InvalidInput) as err:
        t.validate(KNOWN)
    assert "客户名字" in err.value.message and "第 2 行" in err.value.message
    assert "客户名称" in err.value.hint  # tells what is available


def test_unknown_field_in_condition_and_unknown_component():
    with pytest.raises(InvalidInput, match="有宽带数据"):
        Template("{如果 有宽带数据}x{结束}").validate(KNOWN)
    with pytest.raises(InvalidInput, match="二维码"):
        Template("[二维码]").validate(KNOWN)


def test_id_number_is_never_printable():
    with pytest.raises(InvalidInput, match="证件号码"):
        Template("{证件号码}").validate([*KNOWN, "证件号码"], FORBIDDEN_FIELDS)


@pytest.mark.parametrize(
    "text, word",
    [("{如果 有流量}x", "结束"), ("x{结束}", "结束"), ("{否则}", "否则"), ("{}", "空的"),
     ("a } b", "不成对"), ("{如果 }x{结束}", "条件"), ("{如果 每月差额>abc}x{结束}", "看不懂")],
)  # fmt: skip
def test_syntax_errors_say_what_is_wrong(text, word):
    with pytest.raises(InvalidInput, match=word):
        Template(text)


def test_builtin_templates_are_valid(tmp_path):
    for kind in ("建议书", "反馈表"):
        load_template(None, kind).validate(known_fields(), FORBIDDEN_FIELDS)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("尊敬的{客户名称}".encode("gbk"))
    assert load_template(gbk).fields == {"客户名称": 1}
    with pytest.raises(InvalidInput, match="找不到"):
        load_template(tmp_path / "nope.txt")
    with pytest.raises(InvalidInput, match="文本模板"):
        load_template(tmp_path / "x.docx")


def test_field_list_comes_from_the_renderer_and_every_field_has_help():
    import datetime as dt

    from core.base.settings import Settings

    rendered = set(field_values({}, Settings(), dt.date(2026, 11, 20)))
    assert set(field_names()) == rendered == set(FIELD_HELP)


def test_unknown_field_error_lists_every_field():
    known = known_fields()
    with pytest.raises(InvalidInput) as err:
        Template("尊敬的{客户姓名}：").validate(known, FORBIDDEN_FIELDS)
    hint = err.value.hint
    listed = hint.split("可用的字段有：", 1)[1].rstrip("。").split("、")
    assert listed == known  # all of them, in the help order
    for name in (
        "出具日期",
        "有效期至",
        "单位名称",
        "经办人",
        "经办人电话",
        "序号",
        "有流量",
        "有通话",
        "有用量",
        "每月省钱",
        "含宽带",
        "合约快到期",
        "高端客户",
        "保持现套餐",
    ):
        assert name in listed
