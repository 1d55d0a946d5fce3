"""Package catalog (套餐库) and band rules (档位 → 主推套餐, 备选套餐, 策略).

The default catalog ships as resources/catalog.xlsx, a sheet a user can edit in Excel.
Loading validates every row and says which row is wrong and what to do. A row is a
package (套餐) or an add-on (加装包: a data/voice pack or a broadband speed-up sold on top
of the customer's own package); add-ons are never a band's 主推套餐. 宽带 and 固话 say
which services a package includes: a customer who has them is only offered packages
that keep them (core.marketing.policy).
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.base.errors import InvalidInput
from core.base.files import atomic_write_bytes
from core.base.resources import resource
from core.marketing.bands import BandScheme, default_scheme

DEFAULT_CATALOG_PATH = resource("catalog.xlsx")
SHEET_NAME = "套餐库"
MAX_ERRORS_SHOWN = 8

# column key -> (header in the sheet, other accepted headers)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("套餐名称", ("套餐", "名称", "套餐名")),
    "fee": ("月费(元)", ("月费", "月费（元）", "资费", "资费(元)", "套餐月费")),
    "data_gb": ("流量(GB)", ("流量", "流量（GB）", "包含流量", "通用流量(GB)")),
    "voice_min": ("通话(分钟)", ("通话", "通话（分钟）", "语音(分钟)", "包含通话")),
    "broadband_mbps": ("宽带(Mbps)", ("宽带", "宽带（Mbps）", "宽带速率")),
    "landline": ("固话(部)", ("固话", "固话（部）", "含固话", "固话数")),
    "contract_months": ("合约期(月)", ("合约期", "合约期（月）", "合约", "合约月数")),
    "pitch": ("一句话卖点", ("卖点", "营销话术")),
    "bands": ("适用档位", ("目标档位", "档位", "适用客户")),
    "kind": ("类型", ("套餐类型", "种类")),
}
UNLIMITED_WORDS = ("不限", "无限", "无限量")
PLAN = "套餐"
ADDON = "加装包"
ADDON_WORDS = (ADDON, "加装", "叠加包", "附加包", "加油包", "流量包", "语音包", "提速包")


@dataclass
class Package:
    name: str
    fee: float
    data_gb: float = 0.0
    voice_min: float = 0.0
    broadband_mbps: float = 0.0
    contract_months: int = 0
    pitch: str = ""
    bands: tuple[str, ...] = ()
    landline: int = 0  # 固话 lines included
    addon: bool = False  # 加装包: sold on top of a package, never a package by itself

    @property
    def is_fusion(self) -> bool:
        """融合 package (mobile + broadband)."""
        return self.broadband_mbps > 0

    @property
    def kind(self) -> str:
        return ADDON if self.addon else PLAN


DEFAULT_PACKAGES: tuple[Package, ...] = (
    Package("畅享19元套餐", 19, 3, 50, 0, 0, "每月19元，接电话、扫码付款足够用", ()),
    Package("畅享29元套餐", 29, 5, 100, 0, 0, "29元5GB流量，日常聊天刷短视频不超支", ()),
    Package("畅享39元套餐", 39, 10, 200, 0, 0, "39元享10GB+200分钟，小店日常经营够用", ("低端",)),
    Package("畅享59元套餐", 59, 30, 300, 0, 12, "每天不到2元，30GB流量看店直播不心疼", ("低端",)),
    Package("畅享79元套餐", 79, 40, 500, 0, 12, "40GB+500分钟，进货联系、客户回访一步到位", ("中端",)),
    Package("畅享99元套餐", 99, 60, 600, 0, 12, "60GB大流量，微信视频谈生意不卡顿", ("中端",)),
    Package("融合99元（含300M宽带）", 99, 40, 500, 300, 24, "手机+300M宽带99元，店里收银监控一起用", ()),
    Package("5G畅享129元套餐", 129, 80, 800, 0, 12, "5G高速网络，80GB流量，直播带货更流畅", ()),
    Package("商务融合139元（宽带+固话）", 139, 60, 1000, 300, 24, "一部固话+300M宽带+手机，店里接单不漏单", (), 1),
    Package("5G畅享159元套餐", 159, 100, 1000, 0, 12, "100GB+1000分钟，全家多部手机共享更划算", ("中高端",)),
    Package("5G畅享199元套餐", 199, 150, 1500, 0, 24, "150GB+1500分钟，商务出行全国畅打畅用", ()),
    Package("5G融合199元（含千兆宽带）", 199, 100, 1000, 1000, 24, "手机+千兆宽带一起办，店里家里都是高速网", ("中高端",)),
    Package("5G畅享299元套餐", 299, 200, 2000, 0, 24, "200GB+2000分钟，专属客户经理高品质服务", ("高端",)),
    Package("5G尊享399元套餐", 399, 300, 3000, 1000, 24, "尊享千兆宽带+固话+300GB，VIP专线优先服务", ("高端",), 1),
    Package("流量加油包20GB", 20, 20, 0, 0, 0, "每月加20元多20GB，用超了不再按量计费", (), 0, True),
    Package("通话加油包300分钟", 15, 0, 300, 0, 0, "每月加15元多300分钟，进货联系不心疼话费", (), 0, True),
    Package("宽带提速至千兆", 20, 0, 0, 1000, 0, "宽带升千兆，收银、监控、直播都不卡", (), 0, True),
)  # fmt: skip


@dataclass
class Catalog:
    packages: list[Package] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        if not any(not p.addon for p in self.packages):
            raise InvalidInput(
                "套餐库里没有任何套餐。", "请在套餐库中至少填写一个套餐（名称和月费）。"
            )

    def get(self, name: str) -> Package:
        for p in self.packages:
            if p.name == name:
                return p
        raise InvalidInput(f"套餐库里没有“{name}”。", "请检查套餐名称，或在套餐库中添加该套餐。")

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.packages]

    @property
    def plans(self) -> list[Package]:
        """The packages a customer can be on (add-ons left out)."""
        return [p for p in self.packages if not p.addon]

    def by_fee(self) -> list[Package]:
        """The plans (no add-ons), cheapest first."""
        return sorted(self.plans, key=lambda p: (p.fee, p.is_fusion, p.name))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "name": [p.name for p in self.packages],
                "fee": [float(p.fee) for p in self.packages],
                "data_gb": [float(p.data_gb) for p in self.packages],
                "voice_min": [float(p.voice_min) for p in self.packages],
                "broadband_mbps": [float(p.broadband_mbps) for p in self.packages],
                "contract_months": [int(p.contract_months) for p in self.packages],
                "pitch": [p.pitch for p in self.packages],
                "bands": ["、".join(p.bands) for p in self.packages],
                "landline": [int(p.landline) for p in self.packages],
                "kind": [p.kind for p in self.packages],
            }
        )


def default_catalog() -> Catalog:
    """The catalog from resources/catalog.xlsx, or the built-in one if the file is missing."""
    if DEFAULT_CATALOG_PATH.exists():
        return load_catalog(DEFAULT_CATALOG_PATH)
    return Catalog(list(DEFAULT_PACKAGES), source="内置套餐库")


# ---- reading and validating ------------------------------------------------------------


def _norm_header(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace(" ", "").replace("\u3000", "").replace("（", "(").replace("）", ")")


def _header_map(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    norm = [_norm_header(h) for h in header]
    for key, (main, others) in COLUMNS.items():
        for cand in (main, *others):
            c = _norm_header(cand)
            if c in norm:
                found[key] = norm.index(c)
                break
    return found


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any, unlimited: bool = False) -> float | None:
    """A number from a cell, or None when it is not one (blank handled by the caller)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(float(value)) else None
    text = str(value).strip().replace(",", "").replace("，", "")
    if unlimited and text in UNLIMITED_WORDS:
        return math.inf
    for unit in ("元/月", "元", "GB", "G", "分钟", "Mbps", "M", "个月", "月"):
        if text.endswith(unit):
            text = text[: -len(unit)].strip()
            break
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _fmt_cell(value: Any) -> str:
    return str(value).strip()


def _yes_no(value: Any) -> float | None:
    """是/有 → 1, 否/无 → 0 (a 固话 cell may say so instead of a count); None otherwise."""
    text = str(value).strip()
    if text in ("是", "有", "含", "√", "Y", "y", "yes"):
        return 1.0
    if text in ("否", "无", "不含", "×", "N", "n", "no"):
        return 0.0
    return None


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate a 套餐库 .xlsx; InvalidInput lists the wrong rows (Excel row numbers)."""
    if path is None:
        return default_catalog()
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise InvalidInput(
            f"找不到套餐库文件：{path}", "请检查文件路径，或不指定套餐库以使用默认套餐库。"
        )
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidInput(
            f"套餐库文件无法打开：{path.name}",
            "请确认它是 Excel .xlsx 文件，且没有加密或损坏（可在 Excel 中另存为 .xlsx 后重试）。",
        ) from exc
    try:
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return catalog_from_rows(rows, source=str(path))


def catalog_from_rows(rows: list[list[Any]], source: str = "") -> Catalog:
    """Validate sheet rows (first non-blank row = header); collect every error with its row."""
    catalog, errors = check_catalog_rows(rows, source)
    if errors:
        shown = [message for _row, message in errors[:MAX_ERRORS_SHOWN]]
        more = f"\n……另有 {len(errors) - len(shown)} 处问题。" if len(errors) > len(shown) else ""
        raise InvalidInput(
            "套餐库有错误，未能导入：\n" + "\n".join(shown) + more,
            "请在 Excel 中改正这些行（月费填数字，套餐名称不要重复）后重新导入。",
        )
    assert catalog is not None
    return catalog


def check_catalog_rows(
    rows: list[list[Any]], source: str = ""
) -> tuple[Catalog | None, list[tuple[int, str]]]:
    """The catalog the rows describe and every row's problems as (row number, message).

    Row numbers count from 1 like Excel, header included. With problems the catalog is
    None; an empty or headerless table raises InvalidInput (nothing to point at).
    """
    header_idx = next((i for i, r in enumerate(rows) if any(not _blank(v) for v in r)), None)
    if header_idx is None:
        raise InvalidInput(
            "套餐库是空的。", "请在第一行填写表头（套餐名称、月费(元)…），下面每行一个套餐。"
        )
    cols = _header_map(rows[header_idx])
    missing = [COLUMNS[k][0] for k in ("name", "fee") if k not in cols]
    if missing:
        raise InvalidInput(
            f"套餐库第{header_idx + 1}行（表头）缺少列：{'、'.join(missing)}。",
            "表头应包括：" + "、".join(v[0] for v in COLUMNS.values()) + "。",
        )

    def cell(row: list[Any], key: str) -> Any:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else None

    errors: list[tuple[int, str]] = []
    packages: list[Package] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        if all(_blank(v) for v in row):
            continue
        where = f"套餐库第{i}行"
        name_raw = cell(row, "name")
        name = "" if _blank(name_raw) else _fmt_cell(name_raw)
        fee_raw = cell(row, "fee")
        row_errors: list[str] = []
        if not name:
            row_errors.append(f"{where}：缺少套餐名称。")
        elif name in seen:
            row_errors.append(f"{where}：套餐名称“{name}”与第{seen[name]}行重复。")
        if _blank(fee_raw):
            row_errors.append(f"{where}：缺少月费。")
            fee = None
        else:
            fee = _number(fee_raw)
            if fee is None:
                row_errors.append(f"{where}：月费不是数字（“{_fmt_cell(fee_raw)}”）。")
            elif fee < 0:
                row_errors.append(f"{where}：月费是负数（{_fmt_cell(fee_raw)}）。")
        nums: dict[str, float] = {}
        for key, label, unlimited in (
            ("data_gb", "流量", True),
            ("voice_min", "通话分钟", True),
            ("broadband_mbps", "宽带速率", False),
            ("contract_months", "合约期", False),
            ("landline", "固话部数", False),
        ):
            raw = cell(row, key)
            if _blank(raw):
                nums[key] = 0.0
                continue
            v = _yes_no(raw) if key == "landline" else None
            v = _number(raw, unlimited=unlimited) if v is None else v
            if v is None or v < 0:
                row_errors.append(f"{where}：{label}不是有效数字（“{_fmt_cell(raw)}”）。")
            else:
                nums[key] = v
        kind_raw = cell(row, "kind")
        addon = not _blank(kind_raw) and any(w in _fmt_cell(kind_raw) for w in ADDON_WORDS)
        if not _blank(kind_raw) and not addon and PLAN not in _fmt_cell(kind_raw):
            row_errors.append(f"{where}：类型“{_fmt_cell(kind_raw)}”应为“{PLAN}”或“{ADDON}”。")
        if row_errors:
            errors.extend((i, message) for message in row_errors)
            continue
        seen[name] = i
        bands_raw = cell(row, "bands")
        bands = () if _blank(bands_raw) else tuple(
            b.strip()
            for b in str(bands_raw).replace("，", "、").replace(",", "、").replace("/", "、").split("、")
            if b.strip()
        )  # fmt: skip
        pitch = cell(row, "pitch")
        packages.append(
            Package(
                name=name,
                fee=round(float(fee), 2),
                data_gb=nums["data_gb"],
                voice_min=nums["voice_min"],
                broadband_mbps=nums["broadband_mbps"],
                contract_months=int(nums["contract_months"]),
                pitch="" if _blank(pitch) else _fmt_cell(pitch),
                bands=bands,
                landline=int(nums["landline"]),
                addon=addon,
            )
        )
    if errors:
        return None, errors
    if not any(not p.addon for p in packages):
        raise InvalidInput(
            "套餐库里没有任何套餐。", "请在表头下面每行填写一个套餐（至少名称和月费）。"
        )
    return Catalog(packages, source=source), []


def _cell_number(value: float) -> float | str:
    return UNLIMITED_WORDS[0] if math.isinf(value) else value


def write_catalog(catalog: Catalog | list[Package], path: str | Path, force: bool = False) -> Path:
    """Write a catalog as an .xlsx a user can edit in Excel (headers in Chinese)."""
    import openpyxl
    from openpyxl.styles import Font

    packages = catalog.packages if isinstance(catalog, Catalog) else list(catalog)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append([v[0] for v in COLUMNS.values()])
    for c in ws[1]:
        c.font = Font(bold=True)
    for p in packages:
        ws.append(
            [
                p.name, p.fee, _cell_number(p.data_gb), _cell_number(p.voice_min),
                p.broadband_mbps or None, p.landline or None, p.contract_months or None,
                p.pitch, "、".join(p.bands), p.kind,
            ]
        )  # fmt: skip
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"  # never a formula
        ws.cell(ws.max_row, 2).number_format = "0.00"
    for letter, width in zip("ABCDEFGHIJ", (30, 10, 10, 11, 11, 9, 11, 44, 18, 9), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    note = wb.create_sheet("说明")
    for line in (
        "每行一个套餐。套餐名称和月费(元)必须填写，名称不能重复。",
        "流量(GB)、通话(分钟)可填“不限”；宽带(Mbps)只有融合套餐填写；固话(部)填套餐含几部固话。",
        "类型填“套餐”或“加装包”（流量包、语音包、宽带提速等，加在客户现有套餐上，不作主推套餐）；"
        "不填为套餐。",
        "含宽带或固话的客户只会被推荐同样含宽带、固话的套餐，或保持现套餐加装加装包。",
        "适用档位填写分档名称（如 低端、中端），多个用顿号分隔；不填则按月费自动匹配档位。",
        "第一张工作表“套餐库”由程序读取，请勿改动表头。",
    ):
        note.append([line])
    note.column_dimensions["A"].width = 90
    path = Path(path)
    buf = io.BytesIO()  # in memory, then written with every byte checked (a full disk says so)
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue(), force=force)
    return path


# ---- rules -----------------------------------------------------------------------------


@dataclass
class Rule:
    band: str
    main: str
    alt: str = ""
    strategy: str = ""


@dataclass
class Rules:
    rules: dict[str, Rule] = field(default_factory=dict)

    def get(self, band: str) -> Rule | None:
        return self.rules.get(band)

    def to_dict(self) -> dict[str, Any]:
        return {
            k: {"main": r.main, "alt": r.alt, "strategy": r.strategy} for k, r in self.rules.items()
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rules:
        try:
            return cls(
                {
                    str(k): Rule(str(k), str(v["main"]), str(v.get("alt") or ""),
                                 str(v.get("strategy") or ""))
                    for k, v in data.items()
                }
            )  # fmt: skip
        except (AttributeError, KeyError, TypeError) as exc:
            raise InvalidInput("主推套餐规则格式不对。", "请重新设置各档位的主推套餐。") from exc

    def check(self, catalog: Catalog, scheme: BandScheme) -> None:
        """Every package named must exist in the catalog; every band must have a rule."""
        names = set(catalog.names)
        addons = {p.name for p in catalog.packages if p.addon}
        for band in scheme.labels:
            rule = self.rules.get(band)
            if rule is None:
                raise InvalidInput(f"档位“{band}”没有设置主推套餐。", "请为每个档位选择主推套餐。")
            for pkg in (rule.main, rule.alt):
                if pkg and pkg not in names:
                    raise InvalidInput(
                        f"档位“{band}”的套餐“{pkg}”不在套餐库中。",
                        "请在套餐库中添加该套餐，或为该档位另选套餐。",
                    )
                if pkg in addons:
                    raise InvalidInput(
                        f"档位“{band}”选的“{pkg}”是加装包，不能作为主推或备选套餐。",
                        "请为该档位选择一个套餐；加装包会在保持现套餐时自动推荐。",
                    )


def _by_band_range(sorted_pkgs: list[Package], low: float, high: float) -> Package:
    """The package nearest the middle of [low, high) among those not below low."""
    target = (low + high) / 2 if math.isfinite(high) else max(low * 1.25, low + 1)
    pool = [p for p in sorted_pkgs if p.fee >= low] or sorted_pkgs[-1:]
    return min(pool, key=lambda p: (abs(p.fee - target), p.is_fusion, p.fee))


def default_rules(scheme: BandScheme | None = None, catalog: Catalog | None = None) -> Rules:
    """Rules for any scheme: packages that list the band's name win; otherwise by band range.

    The alternative is the next dearer package (an upgrade), or the next cheaper one at
    the top. The strategy text is the band's own, else the playbook's words for its place
    (core.marketing.bands.default_strategies). Add-ons are never chosen.
    """
    from core.marketing.bands import default_strategies

    scheme = scheme or default_scheme()
    catalog = catalog or default_catalog()
    ordered = catalog.by_fee()
    out: dict[str, Rule] = {}
    words = default_strategies(len(scheme.bands))
    for i, band in enumerate(scheme.bands):
        listed = [p for p in catalog.plans if band.label in p.bands]
        main = listed[0] if listed else _by_band_range(ordered, band.low, band.high)
        if len(listed) > 1:
            alt = listed[1]
        else:
            pos = ordered.index(main)
            alt = (
                ordered[pos + 1] if pos + 1 < len(ordered) else (ordered[pos - 1] if pos else main)
            )
        strategy = band.strategy or words[i]
        out[band.label] = Rule(band.label, main.name, "" if alt is main else alt.name, strategy)
    return Rules(out)


# ---- usage fitting ---------------------------------------------------------------------


def cheapest_covering_index(
    catalog: Catalog,
    data_gb: pd.Series,
    voice_min: pd.Series,
    min_fee: pd.Series | None = None,
) -> np.ndarray:
    """Index (into ``catalog.packages``) of the cheapest package covering the usage; -1 if none.

    Unknown data or minutes (NaN) are not required. With ``min_fee`` only packages at or
    above it qualify. Add-ons never qualify. Loops over the packages (a dozen), vectorised
    over customers.
    """
    d = pd.to_numeric(data_gb, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    v = pd.to_numeric(voice_min, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if min_fee is None:
        floor = np.full(d.shape, -np.inf)
    else:
        floor = pd.to_numeric(min_fee, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        floor = np.where(np.isnan(floor), -np.inf, floor)
    result = np.full(d.shape, -1, dtype="int64")
    open_ = np.ones(d.shape, dtype=bool)
    order = sorted((i for i, p in enumerate(catalog.packages) if not p.addon), key=lambda i: (
        catalog.packages[i].fee, catalog.packages[i].is_fusion))  # fmt: skip
    for i in order:
        p = catalog.packages[i]
        ok = open_ & (np.isnan(d) | (d <= p.data_gb)) & (np.isnan(v) | (v <= p.voice_min))
        ok &= p.fee >= floor
        result[ok] = i
        open_ &= ~ok
        if not open_.any():
            break
    return result


def cheapest_covering(
    catalog: Catalog,
    data_gb: pd.Series,
    voice_min: pd.Series,
    min_fee: pd.Series | None = None,
) -> pd.Series:
    """Name of the cheapest package whose allowances cover the usage (None if none)."""
    idx = cheapest_covering_index(catalog, data_gb, voice_min, min_fee)
    names = np.array([*catalog.names, None], dtype=object)
    return pd.Series(names[idx], index=data_gb.index, dtype="object")


# ---- the customer's present package --------------------------------------------------------


def norm_package_name(value: Any) -> str:
    """A package name for comparing: NFKC (全角→半角) and no spaces; '' when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def same_package(a: Any, b: Any) -> bool:
    """Whether two package names are the same package (see ``norm_package_name``)."""
    na, nb = norm_package_name(a), norm_package_name(b)
    return bool(na) and na == nb


def package_index(catalog: Catalog, packages: pd.Series) -> np.ndarray:
    """Index into ``catalog.packages`` of each customer's current package; -1 if not in it.

    Names are compared after NFKC and without spaces. One Python step per distinct
    package name (a few dozen), not per customer.
    """
    lookup: dict[str, int] = {}
    for i, p in enumerate(catalog.packages):
        if not p.addon:
            lookup.setdefault(norm_package_name(p.name), i)
    codes, uniques = pd.factorize(packages.astype("object"), use_na_sentinel=True)
    table = np.array([*(lookup.get(norm_package_name(u), -1) for u in uniques), -1], "int64")
    return table[codes]
