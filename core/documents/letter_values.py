"""What a letter says about one customer: every template field as display text.

``field_values`` turns one record of the offers frame into the text of every field a
template may use (masked phone, money with 2 decimals, "每月省 15.00 元" wording). The
sums are the offer's own: 现在每月 is the present spend, 办理后每月 the expected bill on
the offer (core.marketing.bills), 每月差额 their difference — a saving is claimed only
when the expected bill is lower;
``FIELD_HELP`` lists those fields in the order users see them. ``file_stem`` names the
customer's file. 证件号码 is never a field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from core.base.fields import BY_KEY, SECRET
from core.base.files import safe_filename
from core.base.money import round2
from core.base.settings import Settings
from core.campaign.values import (
    ASSIGNEE_COLUMN,
    CLOSED,
    NEW_ORIGINS,
    OPTION_FIELD,
    ORIGIN_COLUMN,
    PAPER_NOTE,
)
from core.marketing.bands import TOP_STRATEGY
from core.marketing.offers import BASIS_PACKAGE
from core.marketing.offers import same_package as _same_package

KEEP_KINDS = ("保持", "加装")  # offer_kind of an offer that keeps the present package

PROPOSAL = "建议书"
SHEET = "反馈表"
KIND_TITLES = {PROPOSAL: "客户建议书", SHEET: "信息反馈表"}
DASH = "—"

# Every field a template may use, in the order users see them, with a short help text.
# known_fields() takes the names from field_values() itself, so the two cannot drift; a
# test checks that every one of them has a help text here.
FIELD_HELP: dict[str, str] = {
    "客户名称": "客户名称（店名或姓名；清单里没填时为空）",
    "称呼": "信里的称呼：客户名称，没填时为“客户”（尊敬的{称呼}：）",
    "客户编号": "客户编号",
    "手机号码": "手机号码（默认打码，如 138****5678）",
    "号码尾号": "号码后四位",
    "地址": "地址 / 商铺位置",
    "聚类市场": "聚类市场",
    "网格": "网格",
    "行业": "行业",
    "客户经理": "清单中的客户经理",
    "当前套餐": "当前套餐",
    "月均消费": "月均消费（元，两位小数）",
    "月均流量": "月均流量（GB）",
    "月均通话": "月均通话（分钟）",
    "入网时间": "入网时间（年月日）",
    "在网时长": "在网时长，如“6年3个月”",
    "合约到期": "合约到期日期",
    "宽带": "清单中的宽带信息",
    "档位": "所在档位，如 高端",
    "营销策略": "档位的营销策略",
    "客户标签": "客户标签，如 资费偏高",
    "推荐套餐": "推荐套餐名称",
    "套餐月费": "推荐套餐月费（元）",
    "套餐流量": "推荐套餐流量（GB）",
    "套餐通话": "推荐套餐通话（分钟）",
    "套餐宽带": "推荐套餐含的宽带，如“1000M宽带”",
    "合约期": "推荐套餐合约期，如“12个月”",
    "一句话卖点": "推荐套餐的一句话卖点",
    "备选套餐": "备选套餐",
    "推荐理由": "推荐理由（程序生成）",
    "推荐类型": "升档 / 精打细算 / 保持 / 加装 / 降档 / 维系 / 平移",
    "加装包": "建议加装的加装包（保持现套餐时；没有时为空）",
    "加装包月费": "加装包每月多少元",
    "加装包卖点": "加装包的一句话卖点",
    "套餐固话": "推荐套餐含固话时为“含固话”",
    "现有业务": "客户现有的宽带、固话（如“宽带、固话”；没有时为空）",
    "现在每月": "现在每月约多少钱（元，即月均消费）",
    "办理后每月": "办理推荐后每月约多少钱（元）：套餐月费 + 超出用量 + 套餐外费用（+ 加装包）",
    "现套餐月费": "当前套餐的月费（元；当前套餐不在套餐库时为空）",
    "超出费用": "办理后超出套餐用量的估算费用（元；没有时为空）",
    "套餐外费用": "现在套餐外的消费（元，办理后照常；没有或无法拆分时为空）",
    "每月差额": "办理后每月减现在每月（元，负数表示省钱）",
    "每年差额": "每月差额 × 12（元）",
    "月均节省": "每月节省的金额（元；不省钱时为空）",
    "每年节省": "每年节省的金额（元；不省钱时为空）",
    "月费变化": "“每月省 15.00 元” / “每月多 20.00 元” / “月费不变”",
    "年费变化": "“每年省 180.00 元” / “每年多 240.00 元” / “年费不变”",
    "现套餐流量": "当前套餐所含流量（GB；当前套餐不在套餐库时为空）",
    "现套餐通话": "当前套餐所含通话（分钟；当前套餐不在套餐库时为空）",
    "比较对象": "流量、通话变化和谁比：“现套餐”（当前套餐在套餐库中）或“月均用量”",
    "流量增加": "推荐套餐流量减现套餐流量（现套餐不在套餐库时减月均流量；GB，可为负数）",
    "通话增加": "推荐套餐通话减现套餐通话（现套餐不在套餐库时减月均通话；分钟，可为负数）",
    "流量变化": "“多 9.07 GB” / “少 2 GB” / “持平”（无从比较时为空）",
    "通话变化": "“多 194 分钟” / “少 20 分钟” / “持平”（无从比较时为空）",
    "用量对比": "“与您现在的套餐相比，推荐套餐流量多 10 GB、通话少 100 分钟”（无从比较时为空）",
    "标签说明": "客户标签的依据，如“种子用户（按年销售额：850万，城东市场内前5%）”",
    "标签优惠": "种子用户、传播型用户的优惠（在设置中修改）",
    "服务承诺": "本档位的服务承诺（可在设置中修改）",
    "出具日期": "建议书日期，如 2026年11月20日",
    "有效期至": "优惠有效期截止日期",
    "单位名称": "落款单位（设置中填写）",
    "经办人": "客户经理姓名（设置中填写）",
    "经办人电话": "客户经理电话（设置中填写，完整显示）",
    "序号": "本批次中的序号",
    "有流量": "条件用：清单里有流量数据时为“是”",
    "有通话": "条件用：清单里有通话数据时为“是”",
    "有用量": "条件用：有流量或通话数据时为“是”",
    "每月省钱": "条件用：推荐套餐比现在便宜时为“是”",
    "保持现套餐": "条件用：推荐的就是客户现在的套餐（建议保持、做好维系）时为“是”",
    "用量更宽裕": "条件用：推荐套餐的流量、通话都不比比较对象少，且至少一项更多时为“是”",
    "用量够用": "条件用：有用量数据，且推荐套餐的流量、通话都够用时为“是”",
    "含宽带": "条件用：推荐套餐含宽带时为“是”",
    "合约快到期": "条件用：合约即将到期时为“是”",
    "续约": "条件用：合约即将到期、建议续约时为“是”",
    "高端客户": "条件用：最高档位（高投入、高品质服务、高价位）时为“是”",
    "精打细算": "条件用：换更大的套餐或加装包、不再按超出用量计费而每月更省时为“是”",
    "维系": "条件用：资费偏高客户降一档维系时为“是”",
    "有加装包": "条件用：建议加装加装包时为“是”",
    "种子用户": "条件用：种子用户（市场里的领头店）时为“是”",
    "传播型用户": "条件用：传播型用户（中等规模、带动同行）时为“是”",
    "活动客户编号": "营销活动里的客户编号（K 开头；为营销活动生成时才有，走访表和导入认它）",
    "客户来源": "营销活动里客户从哪来：清单 / 潜在客户 / 现场新增（为营销活动生成时才有）",
    "潜在客户": "条件用：潜在客户或现场新增（还不是在网客户，没有消费记录，不分档）时为“是”",
    "走访人": "分给谁走访（campaign assign；为营销活动生成时才有，反馈表的走访人一栏预先填好）",
    **{
        OPTION_FIELD.format(header=h): f"反馈表用：{h}的可选项（与导入走访表认的完全一样）"
        for h in CLOSED
    },
    "填写说明": "反馈表用：拜访结束后整理填写、不在客户处当面填写的提示",
}
# the 信息反馈表's options, exactly the import's (core.campaign.values.CLOSED): 方式选项 …
OPTION_TEXTS = {OPTION_FIELD.format(header=h): "/".join(opts) for h, opts in CLOSED.items()}
FORBIDDEN_FIELDS = ("证件号码", "身份证号", "身份证号码", "id_number")

DEFAULT_PROMISES = {
    TOP_STRATEGY: "尊享 VIP 专属服务：专属客户经理一对一对接，业务优先办理，"
    "网络故障优先响应、优先上门处理。",
    "": "贴心满意服务：资费透明、无隐形消费，客户经理随时上门服务，"
    "办理后按月提醒用量，确保您用得明白、花得放心。",
}


# ---- formatting helpers ----------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text_of(value: Any) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | pd.Timestamp):
        return fmt_date(value)
    return " ".join(str(value).split())


def _finite(value: Any) -> float:
    """The value as a finite float, or NaN (missing, not a number, ±inf)."""
    if _missing(value):
        return math.nan
    return round2(value)  # NaN for anything that is not a finite number


def money(value: Any) -> str:
    """'128.50', '1,280.00'; '' if missing or not finite (never 19.990000000000002)."""
    value = _finite(value)
    return "" if math.isnan(value) else f"{value:,.2f}"


def number(value: Any, decimals: int = 2) -> str:
    """'10', '9.07' (trailing zeros dropped), '' if missing or not finite."""
    value = _finite(value)
    if math.isnan(value):
        return ""
    text = f"{value:.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_date(value: Any) -> str:
    if _missing(value):
        return ""
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value)
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


def mask_phone(phone: Any) -> str:
    """138****5678; 0571-****3456 for a landline: the 4 digits before the last 4 hidden."""
    text = text_of(phone)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if len(digits) < 7:
        return "*" * len(text) if text else ""
    hide = set(digits[-8:-4])
    return "".join("*" if i in hide else ch for i, ch in enumerate(text))


def phone_tail(phone: Any) -> str:
    digits = re.sub(r"\D", "", text_of(phone))
    return digits[-4:] if len(digits) >= 4 else ""


def tenure_text(months: Any) -> str:
    months = _finite(months)
    if math.isnan(months) or months < 0:
        return ""
    months = int(months)
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    return f"{years}年" if years else f"{rest}个月"


def _months_between(start: Any, today: dt.date) -> float:
    if _missing(start):
        return math.nan
    start = pd.Timestamp(start)
    months = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        months -= 1
    return float(months) if months >= 0 else math.nan


def change_text(diff: Any, period: str = "每月", what: str = "月费") -> str:
    """'每月省 15.00 元' / '每月多 20.00 元' / '月费不变'; '' if unknown."""
    value = _finite(diff)
    if math.isnan(value):
        return ""
    if value == 0:
        return f"{what}不变"
    return f"{period}{'多' if value > 0 else '省'} {money(abs(value))} 元"


def gain_text(gain: Any, unit: str, decimals: int = 2) -> str:
    """'多 9.07 GB' / '少 2 GB' / '持平'; '' if unknown or not finite."""
    value = _finite(gain)
    if math.isnan(value):
        return ""
    if value == 0:
        return "持平"
    return f"{'多' if value > 0 else '少'} {number(abs(value), decimals)} {unit}"


# ---- field values ----------------------------------------------------------------------

_CANON_LABELS = {f.label: f.key for f in BY_KEY.values()}
_INTERNAL = {
    "source_row", "spend_issue", "usage_known", "tags", "offer_reason", "tag_seed",
    "tag_spreader", "tag_expiring", "tag_overpaying", "tag_reason", "tag_offer",
}  # fmt: skip


def extra_columns(frame: pd.DataFrame) -> list[str]:
    """Unmapped columns of the list (original Chinese headers) a template may use."""
    from core.marketing.offers import OFFER_COLUMNS

    skip = set(BY_KEY) | set(OFFER_COLUMNS) | _INTERNAL
    out = []
    for col in frame.columns:
        name = str(col)
        if col in skip or name in FIELD_HELP or name in FORBIDDEN_FIELDS:
            continue
        if name in _CANON_LABELS and BY_KEY[_CANON_LABELS[name]].kind == SECRET:
            continue
        out.append(name)
    return out


def field_names() -> list[str]:
    """Every field name field_values() fills (the renderer's own list), in help order."""
    names = list(field_values({}, Settings(), dt.date(2000, 1, 1)))
    order = {name: i for i, name in enumerate(FIELD_HELP)}
    return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def known_fields(frame: pd.DataFrame | None = None) -> list[str]:
    """Every field a template may use: field_names() and the list's unmapped columns."""
    return [*field_names(), *(extra_columns(frame) if frame is not None else [])]


def strategy_is_top(strategy: Any) -> bool:
    """A strategy in the top band's words (高投入…), for offers without ``top_band``."""
    return text_of(strategy).startswith(TOP_STRATEGY[:3])


def _flag(value: Any) -> bool:
    return not _missing(value) and bool(value) and value not in ("否", "False", "false", 0)


def _positive(value: Any) -> bool:
    v = _finite(value)
    return not math.isnan(v) and v > 0


def promise_for(band: str, strategy: str, settings: Settings, top: bool = False) -> str:
    """The band's 服务承诺: the settings' words for it, else the default for the top band
    (``top``, or a strategy in the top band's words) or for the others."""
    if band and band in settings.promises:
        return settings.promises[band]
    if top or (strategy or "").startswith(TOP_STRATEGY[:3]):
        return DEFAULT_PROMISES[TOP_STRATEGY]
    return DEFAULT_PROMISES[""]


def field_values(row: dict[str, Any], settings: Settings, today: dt.date, seq: int = 1,
                 unmask: bool = False, extras: Iterable[str] = ()) -> dict[str, str]:  # fmt: skip
    """Display text for every field of one customer (``row``: one record of the offers)."""
    g = row.get
    tenure = g("tenure_months")
    if _missing(tenure):
        tenure = _months_between(g("join_date"), today)
    diff = g("diff_month")
    diff_year = g("diff_year")
    saving = not _missing(diff) and round2(float(diff)) < 0
    kind = text_of(g("offer_kind"))
    addon = text_of(g("offer_addon"))
    top = _flag(g("top_band")) or (_missing(g("top_band")) and strategy_is_top(g("strategy")))
    renewal = _flag(g("renewal")) or (_missing(g("renewal")) and _flag(g("tag_expiring")))
    spend_now = g("spend")
    after = g("expected_bill")
    if _missing(after) and not _missing(spend_now) and not _missing(diff):
        after = float(spend_now) + float(diff)  # offers made before the expected bill existed
    band = text_of(g("band"))
    strategy = text_of(g("strategy"))
    mbps = g("offer_broadband_mbps")
    has_bb = not _missing(mbps) and float(mbps) > 0
    months = g("offer_contract_months")
    data_known = not _missing(g("data_gb"))
    voice_known = not _missing(g("voice_min"))
    name = text_of(g("name"))
    keep = kind in KEEP_KINDS or bool(addon) or _same_package(g("offer_package"), g("package"))
    basis = text_of(g("gain_basis"))
    data_gain, voice_gain = g("data_gain_gb"), g("voice_gain_min")
    if basis != BASIS_PACKAGE:  # compared with usage: only where the usage is known
        data_gain = data_gain if data_known else None
        voice_gain = voice_gain if voice_known else None
    gains = [float(x) for x in (data_gain, voice_gain) if not _missing(x)]
    changes = [f"{what}{gain_text(x, unit, d)}" for what, x, unit, d in (
        ("流量", data_gain, "GB", 2), ("通话", voice_gain, "分钟", 0)) if not _missing(x)]  # fmt: skip
    compare = ""
    if changes and not keep:
        whom = "您现在的套餐" if basis == BASIS_PACKAGE else "您的月均用量"
        compare = f"与{whom}相比，推荐套餐{'、'.join(changes)}"
    enough = (data_known or voice_known) and all(
        _missing(use) or (not _missing(has) and float(has) >= float(use))
        for use, has in ((g("data_gb"), g("offer_data_gb")), (g("voice_min"), g("offer_voice_min")))
    )  # fmt: skip
    v = {
        "客户名称": name,
        "称呼": name or "客户",
        "客户编号": text_of(g("customer_id")),
        "手机号码": text_of(g("phone")) if unmask else mask_phone(g("phone")),
        "号码尾号": phone_tail(g("phone")),
        "地址": text_of(g("address")),
        "聚类市场": text_of(g("market")),
        "网格": text_of(g("grid")),
        "行业": text_of(g("industry")),
        "客户经理": text_of(g("manager")),
        "当前套餐": text_of(g("package")),
        "月均消费": money(g("spend")),
        "月均流量": number(g("data_gb")),
        "月均通话": number(g("voice_min"), 0),
        "入网时间": fmt_date(g("join_date")),
        "在网时长": tenure_text(tenure),
        "合约到期": fmt_date(g("contract_end")),
        "宽带": text_of(g("broadband")),
        "档位": band,
        "营销策略": strategy,
        "客户标签": text_of(g("tags")),
        "推荐套餐": text_of(g("offer_package")),
        "套餐月费": money(g("offer_fee")),
        "套餐流量": number(g("offer_data_gb")),
        "套餐通话": number(g("offer_voice_min"), 0),
        "套餐宽带": f"{number(mbps, 0)}M宽带" if has_bb else "",
        "合约期": f"{number(months, 0)}个月" if not _missing(months) and months > 0 else "",
        "一句话卖点": text_of(g("offer_pitch")),
        "备选套餐": text_of(g("alt_package")),
        "推荐理由": text_of(g("offer_reason")),
        "推荐类型": kind,
        "加装包": addon,
        "加装包月费": money(g("addon_fee")) if addon else "",
        "加装包卖点": text_of(g("addon_pitch")) if addon else "",
        "套餐固话": "含固话" if _positive(g("offer_landline")) else "",
        "现有业务": text_of(g("services")),
        "现在每月": money(spend_now),
        "办理后每月": money(after),
        "现套餐月费": money(g("cur_fee")),
        "超出费用": money(g("expected_overage")) if _positive(g("expected_overage")) else "",
        "套餐外费用": money(g("outside_charges")) if _positive(g("outside_charges")) else "",
        "每月差额": money(diff),
        "每年差额": money(diff_year),
        "月均节省": money(-float(diff)) if saving else "",
        "每年节省": money(-float(diff_year)) if saving and not _missing(diff_year) else "",
        "月费变化": change_text(diff),
        "年费变化": change_text(diff_year, "每年", "年费"),
        "现套餐流量": number(g("cur_data_gb")),
        "现套餐通话": number(g("cur_voice_min"), 0),
        "比较对象": basis,
        "流量增加": number(data_gain),
        "通话增加": number(voice_gain, 0),
        "流量变化": gain_text(data_gain, "GB"),
        "通话变化": gain_text(voice_gain, "分钟", 0),
        "用量对比": compare,
        "标签说明": text_of(g("tag_reason")),
        "标签优惠": text_of(g("tag_offer")),
        "服务承诺": promise_for(band, strategy, settings, top),
        "出具日期": fmt_date(today),
        "有效期至": fmt_date(today + dt.timedelta(days=settings.validity_days)),
        "单位名称": settings.branch,
        "经办人": settings.staff_name,
        "经办人电话": settings.staff_phone,
        "序号": str(seq),
        "有流量": "是" if data_known else "",
        "有通话": "是" if voice_known else "",
        "有用量": "是" if data_known or voice_known else "",
        "每月省钱": "是" if saving else "",
        "保持现套餐": "是" if keep else "",
        "用量更宽裕": "是" if gains and min(gains) >= 0 and max(gains) > 0 and not keep else "",
        "用量够用": "是" if enough and not _missing(g("offer_package")) else "",
        "含宽带": "是" if has_bb else "",
        "合约快到期": "是" if _flag(g("tag_expiring")) else "",
        "续约": "是" if renewal else "",
        "高端客户": "是" if top else "",
        "精打细算": "是" if kind == "精打细算" else "",
        "维系": "是" if kind == "维系" else "",
        "有加装包": "是" if addon else "",
        "种子用户": "是" if _flag(g("tag_seed")) else "",
        "传播型用户": "是" if _flag(g("tag_spreader")) else "",
        "活动客户编号": text_of(g("key")),
        "客户来源": text_of(g(ORIGIN_COLUMN)),
        "潜在客户": "是" if text_of(g(ORIGIN_COLUMN)) in NEW_ORIGINS else "",
        "走访人": text_of(g(ASSIGNEE_COLUMN)),
        **OPTION_TEXTS,
        "填写说明": PAPER_NOTE,
    }
    for col in extras:
        v.setdefault(col, text_of(g(col)))
    return v


NO_NAME = "未填名称"


def file_stem(seq: int, width: int, values: dict[str, str]) -> str:
    """'007_雷记五金店（崔欣辉）_0698': safe on Windows, short enough for any folder.

    Without a name: the 客户编号 ('011_KH001_5678'), else '011_未填名称_5678'.
    """
    label = values.get("客户名称", "") or values.get("客户编号", "") or NO_NAME
    name = safe_filename(label, max_len=40, fallback=NO_NAME)
    tail = values.get("号码尾号", "")
    stem = f"{seq:0{width}d}_{name}" + (f"_{tail}" if tail else "")
    return safe_filename(stem, max_len=60)
