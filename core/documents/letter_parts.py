"""What a page is made of: text blocks, tables, tick boxes, handwriting lines, a logo.

``letter_parts`` turns a template and one customer's field values into the parts of the
page; ``Letter`` holds them with the customer's file stem. The renderers (HTML for Qt in
core.documents.letter_html, Word in core.documents.docx_out) draw the same parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.base.errors import InvalidInput
from core.base.settings import Settings
from core.documents.letter_values import DASH, PROPOSAL, money
from core.documents.templates import Block, Template
from core.marketing.offers import BASIS_PACKAGE

# ---- parts: what a page is made of -----------------------------------------------------


@dataclass
class Cell:
    text: str
    head: bool = False  # label / header cell (shaded, bold)
    align: str = "left"  # left | center | right
    span: int = 1
    strong: bool = False


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[int]  # percent per column
    header: bool = False


@dataclass
class Checks:
    label: str
    options: list[str]


@dataclass
class Lines:
    label: str
    count: int


@dataclass
class Fill:
    labels: list[str]
    values: list[str] = field(default_factory=list)  # pre-filled (走访人 …), "" = blank

    def value(self, i: int) -> str:
        return self.values[i] if i < len(self.values) else ""


@dataclass
class Signature:
    lines: list[str]


@dataclass
class Logo:
    path: str


@dataclass
class Spacer:
    pass


Part = Block | Table | Checks | Lines | Fill | Signature | Logo | Spacer


@dataclass
class Letter:
    seq: int
    stem: str  # file name without extension: 001_客户名称_5678
    name: str
    values: dict[str, str]
    parts: list[Part] = field(default_factory=list)
    kind: str = PROPOSAL


# ---- components ------------------------------------------------------------------------


def _kv_table(items: list[tuple[str, str]], wide: Iterable[str] = (),
              keep: Iterable[str] = ()) -> Table | None:  # fmt: skip
    """Label/value pairs, two pairs a row; labels in ``wide`` (long text) get a whole row.

    Empty values are left out, except labels in ``keep`` (an empty cell to write in).
    """
    wide = set(wide)
    keep = set(keep)
    items = [(k, v) for k, v in items if v or k in keep]
    if not items:
        return None
    rows: list[list[Cell]] = []
    pending: list[Cell] = []
    for k, val in items:
        if k in wide:
            rows.append([Cell(k, head=True), Cell(val, span=3)])
            continue
        pending += [Cell(k, head=True), Cell(val)]
        if len(pending) == 4:
            rows.append(pending)
            pending = []
    if pending:
        pending[-1].span = 3
        rows.append(pending)
    return Table(rows, [15, 35, 15, 35])


def _unit(value: str, unit: str) -> str:
    return f"{value} {unit}" if value else ""


def _customer_info(v: dict[str, str]) -> Table | None:
    place = "　".join(x for x in (v["聚类市场"], v["网格"]) if x)
    return _kv_table([
        ("客户名称", v["客户名称"]), ("联系电话", v["手机号码"]),
        ("客户编号", v["客户编号"]), ("行业", v["行业"]),
        ("所在市场", place), ("档位", v["档位"]),
        ("地址", v["地址"]),
    ], wide=("地址",), keep=("客户名称",))  # fmt: skip


def _current(v: dict[str, str]) -> Table | None:
    return _kv_table([
        ("当前套餐", v["当前套餐"]), ("在网时长", v["在网时长"]),
        ("月均消费", _unit(v["月均消费"], "元")), ("月均流量", _unit(v["月均流量"], "GB")),
        ("月均通话", _unit(v["月均通话"], "分钟")), ("合约到期", v["合约到期"]),
        ("宽带", v["宽带"]),
    ])  # fmt: skip


def _offer_table(v: dict[str, str]) -> Table | None:
    allow = "，".join(x for x in (_unit(v["套餐流量"], "GB 流量"), _unit(v["套餐通话"], "分钟通话"),
                                  v["套餐宽带"], v["套餐固话"]) if x)  # fmt: skip
    addon = f"{v['加装包']}（{v['加装包月费']} 元/月）" if v["加装包"] else ""
    bills = ""
    if v["现在每月"] and v["办理后每月"]:
        bills = f"现在每月约 {v['现在每月']} 元 → 办理后每月约 {v['办理后每月']} 元"
    return _kv_table([
        ("推荐套餐", v["推荐套餐"]), ("套餐月费", _unit(v["套餐月费"], "元/月")),
        ("套餐内容", allow), ("加装包", addon), ("每月费用", bills),
        ("合约期", v["合约期"]), ("月费变化", v["月费变化"]), ("年费变化", v["年费变化"]),
        ("备选套餐", v["备选套餐"]), ("一句话卖点", v["一句话卖点"]),
    ], wide=("套餐内容", "加装包", "每月费用", "一句话卖点"))  # fmt: skip


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _compare(v: dict[str, str]) -> Table | None:
    """现在 / 推荐 / 变化: the whole monthly bill on both sides (like with like), what it is
    made of, and the allowances."""
    if not v["推荐套餐"]:
        return None
    keep = v["保持现套餐"] == "是"
    new_head = "办理后" if keep else f"推荐：{v['推荐套餐']}"
    head = [Cell("项目", head=True, align="center"), Cell("您现在", head=True, align="center"),
            Cell(new_head, head=True, align="center"),
            Cell("变化", head=True, align="center")]  # fmt: skip

    def row(label: str, now: str, new: str, change: str, strong: bool = False) -> list[Cell]:
        return [Cell(label, head=True), Cell(now or DASH, align="right"),
                Cell(new or DASH, align="right"),
                Cell(change or DASH, align="center", strong=strong)]  # fmt: skip

    def year(text: str) -> str:
        value = _number(text) if text else None
        return money(value * 12) if value is not None else ""

    now, after = v["现在每月"], v["办理后每月"]
    rows = [head,
            row("每月费用（约，元）", now, after, v["月费变化"], strong=True),
            row("全年费用（约，元）", year(now), year(after), v["年费变化"], strong=True)]  # fmt: skip
    # what each bill is made of: the package fee, and the rest (usage beyond the
    # allowance, charges outside the package) — only where there is a rest to show
    fee_now, fee_new = v["现套餐月费"], v["套餐月费"]

    def rest(bill: str, *fees: str) -> str:
        if not bill or not all(fees):
            return ""
        value = (_number(bill) or 0) - sum(_number(f) or 0 for f in fees)
        return money(value) if value > 0.005 else ""

    rest_now = rest(now, fee_now)
    rest_new = rest(after, fee_new, *([v["加装包月费"]] if v["加装包"] else []))
    if fee_now and (not keep or v["加装包"]):  # the present package's fee is known
        rows.append(row("其中：套餐月费（元）", fee_now, fee_new, ""))
        if v["加装包"]:
            rows.append(row(f"加装：{v['加装包']}（元）", "", v["加装包月费"], ""))
        if rest_now or rest_new:
            rows.append(row("超出用量（估算）及套餐外（元）", rest_now, rest_new, ""))
    # a row only where there is something to compare (no rows of "—"): the current
    # package's allowance when it is in the catalog, else the customer's own usage
    by_package = v["比较对象"] == BASIS_PACKAGE
    if v["流量变化"] and not keep:
        rows.append(row("套餐流量（GB）" if by_package else "每月流量（GB）",
                        v["现套餐流量"] if by_package else v["月均流量"], v["套餐流量"],
                        v["流量变化"]))  # fmt: skip
    if v["通话变化"] and not keep:
        rows.append(row("套餐通话（分钟）" if by_package else "每月通话（分钟）",
                        v["现套餐通话"] if by_package else v["月均通话"], v["套餐通话"],
                        v["通话变化"]))  # fmt: skip
    services_now = v["现有业务"] or v["宽带"]
    services_new = "、".join(x for x in (v["套餐宽带"], v["套餐固话"]) if x)
    if (services_now or services_new) and not keep:
        kept = "保留" if v["现有业务"] else ("新增" if services_new else "")
        rows.append(row("宽带、固话", services_now, services_new, kept))
    if v["合约期"] and not keep:
        rows.append(row("合约期", "", v["合约期"], ""))
    return Table(rows, [24, 20, 30, 26], header=True)


def _split_args(args: str) -> list[str]:
    return [a.strip() for a in re.split(r"[/／、]", args) if a.strip()]


def _component(block: Block, v: dict[str, str], settings: Settings, template: str) -> Part | None:
    name, args = block.name, block.args.strip()
    if name == "标志":
        logo = settings.logo
        return Logo(str(logo)) if logo else None
    if name == "客户信息":
        return _customer_info(v)
    if name == "通信现状":
        return _current(v)
    if name == "推荐对比":
        return _compare(v)
    if name == "推荐套餐":
        return _offer_table(v)
    if name == "勾选":
        pieces = re.split(r"[:：]", args, maxsplit=1)
        label, rest = (pieces[0], pieces[1]) if len(pieces) == 2 else ("", args)
        options = _split_args(rest)
        if not options:
            raise InvalidInput(f"{template}的 [勾选] 没有选项。",
                               "例如：[勾选 走访结果: 已成交/有意向/考虑中]。")  # fmt: skip
        return Checks(label.strip(), options)
    if name == "横线":
        m = re.match(r"^(.*?)\s*(\d+)?$", args)
        label = (m.group(1) if m else args).strip()
        count = int(m.group(2)) if m and m.group(2) else 2
        return Lines(label, max(1, min(count, 12)))
    if name == "填写":  # a blank named like a field that has a value comes filled in (走访人)
        labels = _split_args(args) or ["日期"]
        return Fill(labels, [v.get(label, "") for label in labels])
    if name == "签名":
        staff = v["经办人"] or "_" * 10  # blank: a line to write on
        phone = v["经办人电话"] or "_" * 14
        lines = [line for line in (v["单位名称"], f"客户经理：{staff}　联系电话：{phone}",
                                   v["出具日期"]) if line]  # fmt: skip
        return Signature(lines)
    if name == "空行":
        return Spacer()
    raise InvalidInput(f"{template}中的“[{name}]”不是程序认识的栏目。", "")


def letter_parts(template: Template, values: dict[str, str], settings: Settings) -> list[Part]:
    parts: list[Part] = []
    for block in template.render(values):
        if not values.get("客户名称") and block.kind != "component":
            for run in block.runs:  # a user template's 尊敬的{客户名称}： without a name
                run.text = run.text.replace("尊敬的：", "尊敬的客户：")
        if block.kind == "component":
            part = _component(block, values, settings, template.name)
            if part is not None:
                parts.append(part)
        else:
            parts.append(block)
    return parts
