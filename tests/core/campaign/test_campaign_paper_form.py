"""The printed 信息反馈表 is the import's form (issue 22): every field the import reads, the
closed ones with exactly the options the import accepts, in the same words, and nothing
the import cannot read; completed after the visit, never signed by the customer. Both are
read from one definition (core.campaign.values), and what is ticked on paper imports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.base.settings import Settings
from core.campaign import values as v
from core.campaign.visit_files import parse_visit
from core.documents.letter_parts import Checks, Fill, Lines, Signature
from core.documents.letters import build_letters
from core.documents.templates import Template, load_template
from core.marketing import make_offers

TODAY = dt.date(2026, 12, 3)


def _customers(**extra) -> pd.DataFrame:
    frame = pd.DataFrame({"source_row": [2, 3], "customer_id": ["KH1", "KH2"],
                          "phone": ["13812345678", "13900001111"], "name": ["甲店", "乙店"],
                          "spend": [88.0, 35.0], "package": [None, None]})  # fmt: skip
    offers = make_offers(frame, today=TODAY)
    for name, values in extra.items():
        offers[name] = values
    return offers


def _sheet(offers: pd.DataFrame, template: Template | None = None):
    return build_letters(offers, "反馈表", template=template, settings=Settings(), today=TODAY)


def test_the_printed_form_offers_exactly_what_the_import_accepts():
    (sheet, _) = _sheet(_customers())
    checks = {p.label: tuple(p.options) for p in sheet.parts if isinstance(p, Checks)}
    assert checks == v.CLOSED  # the same fields, the same options, the same words
    blanks = [x for p in sheet.parts if isinstance(p, Fill) for x in p.labels]
    lines = [p.label for p in sheet.parts if isinstance(p, Lines)]
    printed = [*checks, *blanks, *lines]
    assert sorted(printed) == sorted(v.VISIT_FIELDS)  # every field the import reads, once
    text = " ".join(b.text for b in sheet.parts if hasattr(b, "text"))
    assert "拜访结束后" in text and "请勿在客户处当面填写" in text
    assert not any(isinstance(p, Signature) for p in sheet.parts)
    for gone in ("办理渠道", "换号成本", "客户签字", "未见到决策人"):
        assert gone not in str(sheet.parts)


def test_every_option_on_paper_imports_as_written():
    """Tick any box on the printed form, copy it into the sheet: the import takes it."""
    (sheet, _) = _sheet(_customers())
    checks = {p.label: p.options for p in sheet.parts if isinstance(p, Checks)}
    for header, options in checks.items():
        for option in options:
            cells = {"走访日期": "2026-12-01", "走访人": "张三", "意向": "有意向", header: option}
            if header == "是否见到决策人" and option == v.YES:
                cells["意向"] = "有意向"
            if header == "意向" and option == v.SIGNED:
                cells["签约套餐"] = "畅享59元套餐"
            visit = parse_visit(cells, TODAY)
            got = {"方式": visit.method, "是否见到决策人": visit.met, "意向": visit.intent,
                   "异议": visit.objections}[header]  # fmt: skip
            assert got in (option, (option,), option == v.YES), (header, option, got)
    # several objections ticked at once, written as on paper
    assert parse_visit({"走访日期": "12月1日", "走访人": "张三", "意向": "考虑中",
                        "异议": "价格、换号麻烦"}, TODAY).objections == ("价格", "换号麻烦")  # fmt: skip


def test_the_letter_fields_read_the_definition():
    """The template's option fields come from values.CLOSED: change the list there and the
    printed form follows (no second copy of the words anywhere)."""
    from core.documents.letter_values import OPTION_TEXTS

    assert {f"{h}选项": "/".join(o) for h, o in v.CLOSED.items()} == OPTION_TEXTS
    builtin = load_template(None, "反馈表").source
    ticks = [ln for ln in builtin.splitlines() if ln.startswith("[勾选")]
    assert sorted(ticks) == sorted(f"[勾选 {h}: {{{h}选项}}]" for h in v.CLOSED)


@pytest.mark.parametrize("with_campaign", [False, True])
def test_a_persons_form_comes_with_their_name_and_the_campaign_number(with_campaign):
    extra = {"key": ["K1234567", "K7654321"], "分配给": ["张三", ""],
             "客户来源": ["清单", "潜在客户"]} if with_campaign else {}  # fmt: skip
    first, second = _sheet(_customers(**extra))
    fill = next(p for p in first.parts if isinstance(p, Fill) and "走访人" in p.labels)
    assert fill.value(fill.labels.index("走访人")) == ("张三" if with_campaign else "")
    assert fill.value(fill.labels.index("走访日期")) == ""  # the rest is left to write in
    heading = " ".join(b.text for b in first.parts if getattr(b, "kind", "") == "right")
    assert ("K1234567" in heading) == with_campaign
    title = " ".join(b.text for b in second.parts if getattr(b, "kind", "") == "heading")
    assert ("潜在客户" in title) == with_campaign


def test_the_html_and_word_forms_show_the_prefilled_name():
    pytest.importorskip("docx")
    import io

    from docx import Document

    from core.documents.docx_out import docx_bytes
    from core.documents.letter_html import to_html

    sheets = _sheet(_customers(key=["K1", "K2"], 分配给=["李四", "李四"], 客户来源=["清单"] * 2))
    assert "李四" in to_html(sheets[0])
    doc = Document(io.BytesIO(docx_bytes(sheets[:1])))
    assert any("走访人" in p.text and "李四" in p.text for p in doc.paragraphs)
