"""The short Chinese reason beside every offer: which rule chose it, what the policy
stopped, what it does to the bill, and the notes a visit needs (资费偏高, 续约).

Built once per distinct combination of codes (a few dozen to a few hundred), never per
customer; the amounts themselves are in the offer's columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.marketing import choose as c
from core.marketing.bands import BandScheme
from core.marketing.policy import (
    CAP,
    CONTRACT,
    MORE_FOR_LESS,
    OVERPAYING,
    SERVICE,
    TOP,
    OfferOptions,
)
from core.marketing.segment import UNBANDED_REASONS

KEEP_MARK = "建议保持"  # in the reason of every offer that is the customer's own package
KINDS = ("", "升档", "精打细算", "保持", "加装", "降档", "维系", "平移")
(K_NONE, K_UP, K_SMART, K_KEEP, K_ADDON, K_DOWN, K_RETAIN, K_SAME) = range(len(KINDS))
DOWN_KINDS = ("降档", "维系")
_FEE_ONLY = "（缺少流量和通话数据，仅按月费比较）"
_BY_PACKAGE = "（缺少用量数据，流量通话按现套餐比较）"
_ESTIMATED = {
    1: "（现套餐不在套餐库，办理后每月费用按套餐月费加超出用量估算）",
    2: "（清单里没有现套餐，办理后每月费用按套餐月费加超出用量估算）",
}
# by gain_basis (1 现套餐, 2 月均用量) and the sign of the data gain; never "多" unless > 0
_GAIN_TEXT = {
    1: {0: "，流量比现套餐少", 1: "，流量与现套餐相同", 2: "，流量比现套餐多", 3: ""},
    2: {0: "，流量低于月均用量", 1: "，流量与月均用量持平", 2: "，流量比月均用量多", 3: ""},
}
SVC_TEXT = ("", "宽带", "固话", "宽带和固话")


@dataclass
class Codes:
    """Per customer, the codes a reason is made of (all int arrays of one length)."""

    band: np.ndarray  # band index + 1 (0 = unbanded)
    pkg: np.ndarray  # offered package + 1 (0 = the present package, not in the catalog)
    case: np.ndarray
    why_main: np.ndarray
    retain_why: np.ndarray
    addon: np.ndarray  # add-on + 1
    addon_kind: np.ndarray
    kind: np.ndarray
    money: np.ndarray  # sign of expected − spend: 0 less, 1 equal, 2 more, 3 unknown
    basis: np.ndarray  # gain basis: 0 none, 1 现套餐, 2 月均用量
    more: np.ndarray  # sign of the data gain (as money)
    usage: np.ndarray  # usage known
    estimated: np.ndarray  # no present package to split the bill: 1 not in catalog, 2 blank
    renewal: np.ndarray
    overpaying: np.ndarray
    services: np.ndarray  # the customer's present services: 1 broadband + 2 landline
    adds: np.ndarray  # services the offer adds: 1 broadband + 2 landline
    unbanded: np.ndarray  # index into UNBANDED_REASONS (len = unknown)


def sign_code(values: np.ndarray) -> np.ndarray:
    """0 = less, 1 = equal, 2 = more, 3 = unknown."""
    return np.where(np.isnan(values), 3, np.sign(np.nan_to_num(values)).astype("int64") + 1)


def reasons(codes: Codes, scheme: BandScheme, names: list[str], main_idx: np.ndarray,
            options: OfferOptions, index: pd.Index) -> pd.Series:  # fmt: skip
    fields = list(vars(codes))
    matrix = np.stack([np.asarray(getattr(codes, f), dtype="int64") for f in fields], axis=1)
    if len(matrix) == 0:
        return pd.Series([], index=index, dtype="object")
    dims = [int(matrix[:, j].max()) + 1 for j in range(matrix.shape[1])]
    if np.prod(np.array(dims, dtype=object)) < 2**62:  # one int64 key per customer: fast
        key = np.ravel_multi_index(tuple(matrix.T), tuple(dims))
        uniq_keys, inverse = np.unique(key, return_inverse=True)
        uniq = np.stack(np.unravel_index(uniq_keys, tuple(dims)), axis=1)
    else:
        uniq, inverse = np.unique(matrix, axis=0, return_inverse=True)
    texts = []
    for values in uniq:  # one iteration per distinct case, not per customer
        row = dict(zip(fields, (int(x) for x in values), strict=True))
        texts.append(_text(Codes(**row), scheme, names, main_idx, options))  # type: ignore[arg-type]
    table = np.array(texts, dtype=object)
    return pd.Series(table[inverse.reshape(-1)], index=index, dtype="object")


def _why(code: int, band: str, main: str, svc: str, cap: float) -> str:
    return {
        TOP: f"{band}客户不降档（本档主推{main}比现套餐小）",
        CONTRACT: f"合约期内不降档（本档主推{main}比现套餐小）",
        CAP: f"本档主推{main}会让每月费用降低超过{cap:.0%}",
        MORE_FOR_LESS: f"本档主推{main}装不下客户的用量，办理后反而多花钱",
        OVERPAYING: f"资费偏高，不推更贵的{main}",
        SERVICE: f"现套餐含{svc}，本档主推{main}不含",
        c.ON_MAIN: f"已在使用本档主推套餐{main}",
    }.get(code, f"本档主推{main}")


def _text(x: Codes, scheme: BandScheme, names: list[str], main_idx: np.ndarray,
          options: OfferOptions) -> str:  # fmt: skip
    if x.band == 0:
        why = list(UNBANDED_REASONS)
        reason = UNBANDED_REASONS[why[x.unbanded]] if x.unbanded < len(why) else "无法分档"
        return f"无法推荐：{reason}，请先核实月均消费。"
    band = scheme.bands[x.band - 1].label
    main = names[int(main_idx[x.band - 1])]
    name = names[x.pkg - 1] if x.pkg else ""
    svc = SVC_TEXT[x.services]
    why = _why(x.why_main, band, main, svc, options.max_cut)
    own = f"现套餐{name}"
    keep_tail = "做好维系服务"
    if x.case == c.CASE_KEEP:
        head = {
            c.ON_MAIN: f"已在使用本档主推套餐{name}，{KEEP_MARK}并{keep_tail}",
            TOP: f"{band}客户不降档：{KEEP_MARK}{own}，以高品质服务维系",
            CONTRACT: f"合约期内不降档：{KEEP_MARK}{own}，{keep_tail}",
            CAP: f"{why}，不建议降档：{own}{KEEP_MARK}，{keep_tail}",
            MORE_FOR_LESS: f"{why}：{KEEP_MARK}{own}",
            SERVICE: f"现套餐含{svc}，本档没有保留{svc}的合适套餐：{KEEP_MARK}{own}",
            OVERPAYING: f"资费偏高，不推更贵的套餐：{KEEP_MARK}{own}，{keep_tail}",
        }.get(x.why_main, f"{KEEP_MARK}{own}，{keep_tail}")
    elif x.case == c.CASE_FIT_KEEP:
        head = f"按实际用量，现套餐{name}正合适，{KEEP_MARK}并{keep_tail}"
    elif x.case == c.CASE_MAIN:
        head = f"{band}客户主推{name}"
    elif x.case == c.CASE_MAIN_FUSION:
        head = f"{why}，推荐保留{svc}的{name}"
    elif x.case == c.CASE_ALT:
        head = f"已在使用本档主推套餐{main}，推荐备选套餐{name}"
    elif x.case == c.CASE_ALT_GUARD:
        head = f"{why}，推荐备选套餐{name}"
    elif x.case == c.CASE_ALT_FUSION:
        head = f"{why}，推荐保留{svc}的{name}"
    elif x.case == c.CASE_FIT:
        head = f"按实际用量推荐{name}，流量通话够用"
    else:  # CASE_RETAIN
        head = f"资费偏高（维系）：降一档到{name}，少收的部分计入维系成本"
    if x.services and x.case in (c.CASE_KEEP, c.CASE_FIT_KEEP) and svc not in head:
        head += f"（{svc}照常保留）"
    if x.addon_kind == c.ADDON_SAVES:
        head += f"，加装{names[x.addon - 1]}，不再按超出用量计费"
    elif x.addon_kind == c.ADDON_SPEED:
        head += f"，可加装{names[x.addon - 1]}"
    keep = x.kind in (K_KEEP, K_ADDON) or x.case in (c.CASE_KEEP, c.CASE_FIT_KEEP)
    money = ""
    if x.kind == K_SMART:
        money = "，每月反而更省（精打细算）"
    elif not keep or x.addon_kind:
        money = {0: "，每月更省钱", 1: "，每月费用不变", 2: "，每月费用增加"}.get(x.money, "")
    gain = "" if keep else _GAIN_TEXT.get(x.basis, {}).get(x.more, "")
    if x.adds and not keep:
        gain += f"，另含{SVC_TEXT[x.adds]}"
    tail = "" if x.usage else (_BY_PACKAGE if x.basis == 1 else _FEE_ONLY)
    if x.estimated and not keep and x.usage:
        tail += _ESTIMATED.get(x.estimated, "")
    notes = ""
    if x.overpaying and x.case != c.CASE_RETAIN:
        notes += ("；" if "资费偏高" in head else "；资费偏高：") + {
            c.RETAIN_OFF: "以服务维系为主（需要降档维系时开启“维系降档”）",
            c.NO_STEP: "没有更低一档保留现有业务的套餐，以服务维系为主",
            c.NO_SAVING: "降一档并不更省，以服务维系为主",
            MORE_FOR_LESS: "降一档并不更省，以服务维系为主",
            TOP: f"{band}客户不降档，以高品质服务维系",
            CONTRACT: "合约期内不降档，到期前再议",
            CAP: f"降一档会超过维系上限 {options.retention_cap:.0%}，以服务维系为主",
        }.get(x.retain_why, "以服务维系为主")
    if x.renewal:
        notes += "；合约即将到期，" + ("到期前续约现套餐" if keep else "到期前改办并续约")
    return head + money + gain + tail + notes + "。"


__all__ = ["DOWN_KINDS", "KEEP_MARK", "KINDS", "Codes", "reasons", "sign_code"]
