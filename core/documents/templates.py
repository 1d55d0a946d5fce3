"""The letter template language: plain text a county user edits in Notepad or WPS.

One line is one paragraph. What a line starts with says what it is::

    # 客户建议书                 标题（居中、大字）
    ## 为您推荐                  小标题
    > 中国电信××县分公司         靠右的一行（落款、日期）
    [推荐对比]                   程序画好的表格或栏目（见 COMPONENTS）
    // 说明文字                  注释，不打印
    尊敬的{客户名称}：           其余都是普通段落；**两个星号** 之间的字加粗

Inside any line ``{字段}`` is replaced by the customer's value, and a part of the text
(one word or many lines) can be printed only when a condition holds::

    {如果 档位=高端}尊享 VIP 专属服务。{结束}
    {如果 有流量}您上月用了 {月均流量} GB 流量。{否则}…{结束}
    {如果 档位=高端/中高端} … {结束}      （多个值用 / 分开）
    {如果 每月差额<0} … {结束}            （= ≠ != > < >= <= 比较数字或文字）

``{{`` and ``}}`` print a brace. A field the program does not know is refused with
its name and line, before anything is written. Nothing here imports Qt.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.base.errors import InvalidInput
from core.base.resources import resource

TEMPLATE_DIR = resource("templates")
BUILTIN = {"建议书": "建议书.txt", "反馈表": "反馈表.txt"}
KIND_ALIASES = {
    "proposal": "建议书", "proposals": "建议书", "客户建议书": "建议书",
    "sheet": "反馈表", "sheets": "反馈表", "信息反馈表": "反馈表", "走访记录表": "反馈表",
}  # fmt: skip

# Components a line "[名称 参数]" may name; the program draws them (see core.documents.letters).
COMPONENTS: dict[str, str] = {
    "标志": "单位标志图片（在设置中选择；没有设置则不显示）",
    "客户信息": "客户名称、号码、地址等基本信息表",
    "通信现状": "当前套餐、在网时长、月均消费、流量、通话（只列清单里有的项目）",
    "推荐对比": "现在与推荐套餐的对比表：月费、流量、通话、每月/每年差额",
    "推荐套餐": "推荐套餐一览：套餐、月费、流量通话、卖点、差额",
    "勾选": "手工打勾的方框，例：[勾选 走访结果: 已成交/有意向/考虑中]",
    "横线": "手写横线，例：[横线 客户建议 3]（3 行）",
    "填写": "一行手写空格，例：[填写 跟进日期/走访人签名]",
    "签名": "落款：客户经理、联系电话、单位、日期",
    "空行": "留一点空白",
}

_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"
_MARK_RE = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_TAG_RE = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
_COND_RE = re.compile(r"^(.+?)\s*(>=|<=|!=|≠|=|>|<|＝|＞|＜)\s*(.*)$")
_COMPONENT_RE = re.compile(r"^\[\s*([^\s\]:：]+)\s*[:：]?\s*(.*?)\s*\]$")
_NUM_RE = re.compile(r"^[-+−]?\d+(\.\d+)?$")


# ---- the parsed template --------------------------------------------------------------


@dataclass
class _Text:
    text: str


@dataclass
class _Field:
    name: str
    line: int


@dataclass
class _If:
    cond: str
    line: int
    then: list = field(default_factory=list)
    other: list = field(default_factory=list)


@dataclass
class Cond:
    name: str
    op: str  # "" = the field is not empty
    values: tuple[str, ...] = ()
    negate: bool = False


# ---- the output: blocks a renderer (HTML/Qt, DOCX) turns into a page --------------------


@dataclass
class Run:
    text: str
    bold: bool = False


@dataclass
class Block:
    """kind: title | heading | para | right | component. ``runs`` for text blocks."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    name: str = ""  # component name
    args: str = ""  # component arguments, fields already filled in

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class Template:
    """A parsed template: ``fields`` it names, ``render(values)`` → list of Blocks."""

    def __init__(self, text: str, name: str = "模板") -> None:
        self.name = name
        self.source = text
        self._nodes = _parse(_strip_comments(text), name)
        self.fields: dict[str, int] = {}  # field name -> first line it is used on
        self.components: dict[str, int] = {}
        self._collect(self._nodes)
        for number, line in enumerate(text.splitlines(), start=1):
            m = _COMPONENT_RE.match(line.strip())
            if m and not line.strip().startswith("//"):
                self.components.setdefault(m.group(1), number)

    def _collect(self, nodes: list) -> None:
        for node in nodes:
            if isinstance(node, _Field):
                self.fields.setdefault(node.name, node.line)
            elif isinstance(node, _If):
                cond = _parse_cond(node.cond, node.line, self.name)
                self.fields.setdefault(cond.name, node.line)
                self._collect(node.then)
                self._collect(node.other)

    def validate(self, known: Iterable[str], forbidden: Iterable[str] = ()) -> None:
        """Refuse fields the program does not know and components it cannot draw."""
        known = set(known)
        forbidden = set(forbidden)
        secret = [f for f in self.fields if f in forbidden]
        if secret:
            raise InvalidInput(
                f"{self.name}第 {self.fields[secret[0]]} 行使用了字段“{{{secret[0]}}}”，"
                "该字段不允许打印。",
                "证件号码等敏感信息不会出现在建议书和反馈表上，请从模板中删除该字段。",
            )
        unknown = [f for f in self.fields if f not in known]
        if unknown:
            where = "，".join(f"“{{{f}}}”（第 {self.fields[f]} 行）" for f in unknown[:5])
            more = f" 等 {len(unknown)} 个" if len(unknown) > 5 else ""
            every = "、".join(sorted(known, key=_field_order))  # all of them, never a sample
            raise InvalidInput(
                f"{self.name}中有程序不认识的字段：{where}{more}。",
                f"请检查字段名称是否写错（括号内的文字要与字段名完全一致）。可用的字段有：{every}。",
            )
        bad = [c for c in self.components if c not in COMPONENTS]
        if bad:
            raise InvalidInput(
                f"{self.name}第 {self.components[bad[0]]} 行的“[{bad[0]}]”不是程序认识的栏目。",
                f"可用的栏目有：{'、'.join(COMPONENTS)}。不需要栏目时请去掉方括号。",
            )

    def render(self, values: dict[str, str]) -> list[Block]:
        """The blocks of one letter; ``values`` maps every field to display text."""
        pieces: list[str] = []
        filled: list[str] = []
        _emit(self._nodes, values, pieces, filled, self.name)
        text = "".join(pieces)
        return _blocks(text, filled)


@functools.lru_cache(maxsize=1)
def _help_order() -> dict[str, int]:
    from core.documents.letter_values import FIELD_HELP  # the order users see in the help

    return {name: i for i, name in enumerate(FIELD_HELP)}


def _field_order(name: str) -> tuple[int, str]:
    order = _help_order()
    return (order.get(name, len(order)), name)


def _strip_comments(text: str) -> str:
    return "\n".join("" if ln.lstrip().startswith("//") else ln for ln in text.splitlines())


def _parse(text: str, name: str) -> list:
    root: list = []
    stack: list[tuple[_If, bool]] = []  # (node, in_else)

    def target() -> list:
        if not stack:
            return root
        node, in_else = stack[-1]
        return node.other if in_else else node.then

    line = 1
    pos = 0
    for m in _TAG_RE.finditer(text):
        literal = text[pos : m.start()]
        if literal:
            target().append(_Text(literal))
        line += literal.count("\n")
        pos = m.end()
        token = m.group(0)
        if token == "{{":
            target().append(_Text("{"))
            continue
        if token == "}}":
            target().append(_Text("}"))
            continue
        if m.group(1) is None:
            raise InvalidInput(
                f"{name}第 {line} 行有一个不成对的“{token}”。",
                "字段要写成 {客户名称} 这样；要打印大括号本身请写 {{ 或 }}。",
            )
        tag = m.group(1).strip()
        if tag.startswith("如果"):
            cond = tag[2:].strip()
            if not cond:
                raise InvalidInput(f"{name}第 {line} 行的 {{如果}} 后面缺少条件。",
                                   "例如 {如果 档位=高端} 或 {如果 有流量}。")  # fmt: skip
            node = _If(cond, line)
            _parse_cond(cond, line, name)
            target().append(node)
            stack.append((node, False))
        elif tag == "否则":
            if not stack or stack[-1][1]:
                raise InvalidInput(f"{name}第 {line} 行的 {{否则}} 前面没有对应的 {{如果 …}}。",
                                   "请检查 {如果}/{否则}/{结束} 是否成对。")  # fmt: skip
            stack[-1] = (stack[-1][0], True)
        elif tag == "结束":
            if not stack:
                raise InvalidInput(f"{name}第 {line} 行的 {{结束}} 前面没有对应的 {{如果 …}}。",
                                   "请检查 {如果}/{结束} 是否成对。")  # fmt: skip
            stack.pop()
        elif not tag:
            raise InvalidInput(f"{name}第 {line} 行有空的大括号 {{}}。",
                               "请在大括号中写字段名，例如 {客户名称}，或删除它。")  # fmt: skip
        else:
            target().append(_Field(tag, line))
    if text[pos:]:
        target().append(_Text(text[pos:]))
    if stack:
        raise InvalidInput(
            f"{name}第 {stack[-1][0].line} 行的 {{如果 {stack[-1][0].cond}}} 没有对应的 {{结束}}。",
            "每个 {如果 …} 后面都要有一个 {结束}。",
        )
    return root


@functools.lru_cache(maxsize=256)
def _parse_cond_cached(text: str) -> Cond | None:
    text = text.strip()
    negate = False
    for prefix in ("不是 ", "非 ", "!", "！"):
        if text.startswith(prefix):
            negate, text = True, text[len(prefix) :].strip()
            break
    m = _COND_RE.match(text)
    if not m:
        return Cond(text, "", (), negate) if text and " " not in text else None
    name, op, value = m.group(1).strip(), m.group(2), m.group(3).strip()
    op = {"≠": "!=", "＝": "=", "＞": ">", "＜": "<"}.get(op, op)
    values = tuple(v.strip() for v in re.split(r"[/／、]|\s或\s", value) if v.strip())
    if not name or not values:
        return None
    if op in (">", "<", ">=", "<=") and not all(_NUM_RE.match(v) for v in values[:1]):
        return None
    return Cond(name, op, values[:1] if op in (">", "<", ">=", "<=") else values, negate)


def _parse_cond(text: str, line: int, name: str) -> Cond:
    cond = _parse_cond_cached(text)
    if cond is None:
        raise InvalidInput(
            f"{name}第 {line} 行的条件“{text}”看不懂。",
            "条件的写法：{如果 有流量}、{如果 档位=高端}、{如果 档位=高端/中高端}、"
            "{如果 每月差额<0}。",
        )
    return cond


def _number(text: str) -> float | None:
    text = text.replace(",", "").replace("−", "-").strip()
    for unit in ("元", "GB", "分钟", "个月", "月"):
        text = text.removesuffix(unit).strip()
    try:
        return float(text)
    except ValueError:
        return None


def check(cond: Cond, values: dict[str, str]) -> bool:
    value = str(values.get(cond.name, "") or "").strip()
    if not cond.op:
        result = bool(value) and value not in ("否", "0")
    elif cond.op in ("=", "!="):
        result = value in cond.values
        if cond.op == "!=":
            result = not result
    else:
        a, b = _number(value), _number(cond.values[0])
        if a is None or b is None:
            result = False
        else:
            result = {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[cond.op]
    return not result if cond.negate else result


def _emit(nodes: list, values: dict[str, str], out: list[str], filled: list[str],
          name: str) -> None:  # fmt: skip
    for node in nodes:
        if isinstance(node, _Text):
            out.append(node.text)
        elif isinstance(node, _Field):
            value = str(values.get(node.name, "") or "")
            out.append(f"{_MARK_OPEN}{len(filled)}{_MARK_CLOSE}")
            filled.append(" ".join(value.split()))  # a value never breaks the line
        else:
            cond = _parse_cond(node.cond, node.line, name)
            _emit(node.then if check(cond, values) else node.other, values, out, filled, name)


def _fill(text: str, filled: list[str]) -> str:
    return _MARK_RE.sub(lambda m: filled[int(m.group(1))], text)


def _runs(text: str, filled: list[str]) -> list[Run]:
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an unpaired ** is printed as is
        parts = [text]
    runs = [Run(_fill(p, filled), bold=i % 2 == 1) for i, p in enumerate(parts)]
    return [r for r in runs if r.text]


def _blocks(text: str, filled: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            blocks.append(Block("heading", _runs(line[3:].strip(), filled)))
        elif line.startswith("# "):
            blocks.append(Block("title", _runs(line[2:].strip(), filled)))
        elif line.startswith(">"):
            blocks.append(Block("right", _runs(line[1:].strip(), filled)))
        else:
            m = _COMPONENT_RE.match(line)
            if m:
                blocks.append(Block("component", name=m.group(1), args=_fill(m.group(2), filled)))
            else:  # leading spaces (two full-width spaces = Chinese indent) are kept
                blocks.append(Block("para", _runs(raw.rstrip(), filled)))
    return [b for b in blocks if b.kind == "component" or b.runs]


# ---- loading ---------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A template file as text: UTF-8 (with or without BOM) or GBK as Notepad/WPS save it."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"无法读取模板文件 {path.name}：文字编码无法识别。",
                       "请在记事本中“另存为”，编码选择 UTF-8。")  # fmt: skip


def builtin_path(kind: str) -> Path:
    kind = KIND_ALIASES.get(kind, kind)
    return TEMPLATE_DIR / BUILTIN[kind]


def load_template(spec: str | Path | None, kind: str = "建议书") -> Template:
    """A built-in template by kind (None, "建议书", "反馈表") or a user's template file."""
    if spec is None or str(spec) in BUILTIN or str(spec) in KIND_ALIASES:
        path = builtin_path(str(spec) if spec is not None else kind)
        return Template(read_text(path), name=f"内置{KIND_ALIASES.get(str(spec), path.stem)}模板")
    path = Path(spec)
    if path.suffix.lower() in (".docx", ".doc", ".wps"):
        raise InvalidInput(
            f"模板 {path.name} 是 Word/WPS 文档，这里需要文本模板（.txt）。",
            "请复制程序自带的 resources/templates/建议书.txt 修改文字后使用；"
            "需要逐份修改的建议书请用 --format docx 生成 Word 文件。",
        )
    if not path.is_file():
        raise InvalidInput(f"找不到模板文件：{path}",
                           "请检查路径，或不加 --template 使用内置模板。")  # fmt: skip
    try:
        text = read_text(path)
    except OSError as exc:
        raise InvalidInput(f"无法读取模板文件 {path.name}（{exc.strerror}）。",
                           "请确认文件没有被其他程序占用。") from exc  # fmt: skip
    return Template(text, name=f"模板 {path.name} ")
