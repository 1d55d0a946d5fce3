"""The campaign as the window's document: what it holds, back the way the window works with it.

``load_document(campaign)`` rebuilds, from the file alone, the list (an ``ImportResult``
of the customers the campaign keeps, with the import's problems), the inputs (band
scheme, catalogue, each band's 主推/备选, the offer options), the offers exactly as they
were recorded, and the settings that sign its letters. The window shows and prints
these: nothing is recomputed from today's settings or catalogue. ``save_recommendation``
writes a new recommendation (after an edit in the window) back into the campaign, in one
transaction.

Dtypes: the campaign records each column's pandas dtype (``frame_dtypes``) so a frame
read back is the frame that was written (letters built from it are the same letters);
older files fall back to the canonical fields' kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.fields import BY_KEY, DATE, SOURCE_ROW, TEXT
from core.campaign import decode
from core.campaign.create import DTYPES_KEY, OFFER_KEYS, SETTINGS_KEY, frame_dtypes, records

if TYPE_CHECKING:
    import pandas as pd

    from core.base.settings import Settings
    from core.campaign.campaign import Campaign
    from core.importing.result import ImportResult
    from core.marketing.catalog import Rules
    from core.marketing.workspace import Analysis, Inputs

# offer columns that are true/false (older files: no recorded dtypes)
FLAG_COLUMNS = ("tag_seed", "tag_spreader", "tag_expiring", "tag_overpaying", "services_kept",
                "renewal", "contract_locked", "top_band", "usage_known")  # fmt: skip
TEXT_OFFER_COLUMNS = ("strategy", "alt_package", "offer_package", "offer_pitch", "offer_addon",
                      "addon_pitch", "services", "offer_kind", "gain_basis", "offer_reason",
                      "tags", "tag_reason", "tag_offer", "band")  # fmt: skip


@dataclass
class Document:
    """A campaign opened as the window's document (see the module docstring)."""

    path: Path
    result: ImportResult
    inputs: Inputs
    offers: pd.DataFrame
    rules: Rules
    settings: Settings | None = None  # None: a file made before campaigns kept them
    notes: list[str] = field(default_factory=list)


def load_document(campaign: Campaign, today: dt.date | None = None) -> Document:
    """Everything the window shows for ``campaign``, from the file alone."""
    from core.marketing.policy import OfferOptions
    from core.marketing.workspace import Inputs

    meta = campaign.meta()
    rows = campaign.customer_rows()
    path = campaign.path
    dtypes = meta.get(DTYPES_KEY) or {}
    data = [decode.record(r[11], path, f"客户“{r[0]}”的数据无法读取") for r in rows]
    offer = [decode.record(r[12], path, f"客户“{r[0]}”的数据无法读取") for r in rows]
    data_keys = [k for k, _label in campaign.columns()]
    customers = _frame(data, data_keys, dtypes)
    offers = _with_offers(customers, offer, dtypes, campaign.scheme().labels)
    rules = campaign.rules()
    inputs = Inputs(customers=customers, scheme=campaign.scheme(), catalog=campaign.catalog(),
                    choices=dict(rules.rules), options=OfferOptions.from_dict(meta.get("options")),
                    today=today or dt.date.today())  # fmt: skip
    return Document(path=Path(path), result=_result(campaign, meta, customers), inputs=inputs,
                    offers=offers, rules=rules, settings=_settings(meta.get(SETTINGS_KEY)))  # fmt: skip


def _frame(records: list[dict[str, Any]], keys: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """The list's columns in their order, each in the dtype it had (or its field's kind)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=keys)
    for key in keys:
        frame[key] = _typed(frame[key], key, dtypes.get(key))
        if frame[key].dtype == object:  # the importer marks a missing text as pd.NA
            frame[key] = frame[key].where(frame[key].notna(), pd.NA)
    return frame


def _typed(series: pd.Series, key: str, dtype: str | None) -> pd.Series:
    import pandas as pd

    kind = BY_KEY[key].kind if key in BY_KEY else (TEXT if key != SOURCE_ROW else "int")
    wanted = dtype or ("datetime64[ns]" if kind == DATE else "float64"
                       if kind in ("money", "number", "data") else "int64"
                       if kind == "int" else "object")  # fmt: skip
    try:
        if wanted.startswith("datetime64"):
            return pd.to_datetime(series, errors="coerce").astype("datetime64[ns]")
        if wanted == "bool":
            return series.astype("boolean").fillna(False).astype(bool)
        if wanted.startswith(("float", "int")):
            values = pd.to_numeric(series, errors="coerce")
            return values.astype(wanted) if not values.isna().any() else values.astype("float64")
        if wanted == "category":
            return series.astype("object")
        return series.astype(wanted if wanted in ("str", "string") else "object")
    except (TypeError, ValueError):
        return series.astype("object")


def _with_offers(customers: pd.DataFrame, offer: list[dict[str, Any]], dtypes: dict[str, str],
                 labels: list[str]) -> pd.DataFrame:  # fmt: skip
    """The customers with their recorded offer columns (band as the scheme's categories)."""
    import pandas as pd

    columns = [k for k in dtypes if k in OFFER_KEYS] or [k for k in OFFER_KEYS
                                                         if any(k in o for o in offer)]  # fmt: skip
    frame = pd.DataFrame.from_records(offer, columns=columns)
    for key in columns:
        dtype = dtypes.get(key) or ("bool" if key in FLAG_COLUMNS else "object"
                                    if key in TEXT_OFFER_COLUMNS else "float64")  # fmt: skip
        frame[key] = _typed(frame[key], key, dtype)
    if "band" in frame.columns:
        frame["band"] = pd.Categorical(frame["band"], categories=labels, ordered=True)
    for key in frame.columns:  # make_offers marks a missing text as None
        if frame[key].dtype == object:
            frame[key] = frame[key].astype(object).where(frame[key].notna(), None)
    order = [c for c in dtypes if c in customers.columns or c in frame.columns]
    out = pd.concat([customers, frame.drop(columns=[c for c in frame if c in customers])],
                    axis=1)  # fmt: skip
    return out[order + [c for c in out.columns if c not in order]] if order else out


def _result(campaign: Campaign, meta: dict[str, Any], customers: pd.DataFrame) -> ImportResult:
    """The list the campaign was made from, as an import would give it."""
    from core.importing.problems import Problem
    from core.importing.result import ImportResult

    source = meta.get("source") or {}
    problems = [Problem(row=int(r.get("row") or 0), field=str(r.get("field") or ""),
                        code=str(r.get("code") or ""), message=str(r.get("message") or ""))
                for r in campaign.problems()]  # fmt: skip
    name = source.get("file") or f"{campaign.info.name}.xlsx"
    return ImportResult(
        source=Path(campaign.path).with_name(name), kind=str(source.get("format") or "xlsx"),
        sheet=str(source.get("sheet") or ""), sheets=[str(source.get("sheet") or "")],
        header_row=int(source.get("header_row") or 1),
        headers=[str(h) for h in source.get("headers", [])],
        mapping={str(k): str(v) for k, v in (source.get("mapping") or {}).items()},
        rows=int(source.get("rows") or len(customers)), customers=customers, problems=problems,
        notes=[f"客户清单来自营销活动“{campaign.info.name}”（{Path(campaign.path).name}）。"],
        extra_columns=[k for k in customers.columns if k not in BY_KEY and k != SOURCE_ROW],
    )  # fmt: skip


def _settings(value: Any) -> Settings | None:
    from core.base.settings import Settings

    if not isinstance(value, dict):
        return None
    try:
        return Settings.from_dict(value)
    except Exception:  # an odd value in a hand-edited file: the user's own settings sign
        return None


def offers_for_saving(offers: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each customer's offer columns as JSON text, and the offer keys written."""
    keys = [c for c in OFFER_KEYS if c in offers.columns]
    return records(offers, keys), keys


@dataclass(frozen=True)
class Saved:
    """What ``save_recommendation`` did: the version the campaign holds now, and whether
    it is a new one (letters had been made with the one before)."""

    version: int
    new: bool
    note: str = ""


def save_recommendation(campaign: Campaign, analysis: Analysis,
                        settings: Settings | None = None) -> Saved:  # fmt: skip
    """Write ``analysis`` (the window's recommendation after an edit) into the campaign:
    every customer's band and offer, the scheme, catalogue, rules and options, and the
    settings that sign its letters — one transaction. If letters were made with the
    recommendation the file held, this one becomes the next numbered version (第 n 版), so
    every letter can be traced to the recommendation it carried."""
    import dataclasses

    offers = analysis.offers
    keys = campaign.customer_keys()
    if len(keys) != len(offers):
        raise ValueError("the analysis is not of this campaign's customers")
    texts, _offer_keys = offers_for_saving(offers)
    inputs = analysis.inputs
    meta: dict[str, Any] = {
        "scheme": inputs.scheme.to_dict(),
        "catalog": {"source": inputs.catalog.source,
                    "packages": [dataclasses.asdict(p) for p in inputs.catalog.packages]},
        "rules": analysis.rules.to_dict(),
        "options": inputs.options.to_dict(),
        DTYPES_KEY: frame_dtypes(offers),
    }  # fmt: skip
    if settings is not None:
        meta[SETTINGS_KEY] = settings.to_dict()
    band = offers["band"].astype("object").where(offers["band"].notna(), None).tolist()
    package = offers["offer_package"].astype("object").where(offers["offer_package"].notna(),
                                                             None).tolist()  # fmt: skip
    fee = offers["offer_fee"].astype("float64").tolist()
    rows = [(band[i], package[i], None if fee[i] != fee[i] else fee[i], texts[i], keys[i])
            for i in range(len(keys))]  # fmt: skip
    version = campaign.version
    note = ""
    if campaign.documents_of_version(version):
        note = f"第 {version + 1} 版推荐：" + what_changed(campaign.meta(), meta)
    campaign.replace_offers(rows, meta, new_version=note)
    return Saved(version + (1 if note else 0), bool(note), note)


def what_changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    """In words: how a recommendation differs from the one before (scheme, each band's
    主推/备选, catalogue, options)."""
    parts = []
    old_edges = [b.get("low") for b in (before.get("scheme") or {}).get("bands", [])][1:]
    new_edges = [b.get("low") for b in (after.get("scheme") or {}).get("bands", [])][1:]
    if old_edges != new_edges:

        def show(edges: list[Any]) -> str:
            return "/".join(f"{e:g}" if isinstance(e, int | float) else str(e) for e in edges)

        parts.append(f"分档 {show(old_edges) or '一档'} → {show(new_edges) or '一档'}")
    old_rules, new_rules = before.get("rules") or {}, after.get("rules") or {}
    for band, rule in new_rules.items():
        old = old_rules.get(band) or {}
        if (old.get("main"), old.get("alt")) != (rule.get("main"), rule.get("alt")):
            parts.append(f"{band}主推 {old.get('main') or '—'} → {rule.get('main') or '—'}")
    if (before.get("catalog") or {}).get("packages") != (after.get("catalog") or {}).get(
        "packages"
    ):
        parts.append("套餐库有改动")
    if before.get("options") != after.get("options"):
        parts.append("推荐选项有改动")
    if before.get(SETTINGS_KEY) != after.get(SETTINGS_KEY) and SETTINGS_KEY in after:
        parts.append("落款或设置有改动")
    return "；".join(parts[:6]) or "推荐有改动"


__all__ = ["Document", "Saved", "load_document", "save_recommendation", "what_changed"]
