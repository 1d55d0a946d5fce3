"""Write a new campaign file from what the earlier steps produced: the imported list (its
file name, SHA-256, sheet, column mapping and problems), the customers with their offers,
the band scheme, and a snapshot of the catalog and the band rules.

The file is built under a temporary name next to the target and appears only when
complete (core.base.files.atomic_path): a crash while creating leaves no half campaign.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.fields import BY_KEY, SECRET, label
from core.base.files import atomic_path, check_writable
from core.base.progress import Progress
from core.campaign.campaign_id import new_campaign_id
from core.campaign.decode import CAMPAIGN_ID
from core.campaign.keys import clean_id, customer_keys, identities
from core.campaign.model import CampaignInfo
from core.campaign.store import Store, now
from core.campaign.store_schema import version_2_meta
from core.campaign.values import LISTED

if TYPE_CHECKING:
    import pandas as pd

    from core.base.settings import Settings
    from core.importing.result import ImportResult
    from core.marketing.bands import BandScheme
    from core.marketing.catalog import Catalog, Rules

# Columns of make_offers' frame that describe the offer, not the customer.
OFFER_KEYS = (
    "band", "strategy", "offer_package", "offer_fee", "offer_data_gb", "offer_voice_min",
    "offer_broadband_mbps", "offer_landline", "offer_contract_months", "offer_pitch",
    "alt_package", "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "offer_reason",
    "usage_known", "cur_data_gb", "cur_voice_min", "gain_basis", "tags", "tag_seed",
    "tag_spreader", "tag_expiring", "tag_overpaying", "tag_reason", "tag_offer",
    "expected_bill", "offer_kind", "offer_addon", "addon_fee", "addon_pitch", "cur_fee",
    "outside_charges", "expected_overage", "services", "services_kept", "renewal",
    "contract_locked", "top_band",
)  # fmt: skip
SECRET_WORDS = ("证件", "身份证")
DTYPES_KEY = "dtypes"  # meta: column → pandas dtype name, of the customers and their offers
SETTINGS_KEY = "letter_settings"  # meta: the settings that sign the campaign's letters
WRITE_CHUNK = 2000
ROW_OVERHEAD = 200  # bytes per customer besides its JSON: the columns, the key index
FILE_OVERHEAD = 64 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _secret(key: str) -> bool:
    f = BY_KEY.get(key)
    return (f is not None and f.kind == SECRET) or any(w in key for w in SECRET_WORDS)


def _plain(value: Any) -> Any:
    """A cell as a JSON value: numbers, text, ISO dates, None for anything missing."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        try:
            text = value.isoformat()
        except ValueError:  # NaT
            return None
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    text = str(value)
    return None if text in ("nan", "NaT", "<NA>") else text


def frame_dtypes(frame: pd.DataFrame) -> dict[str, str]:
    """Each column's dtype name, recorded so a frame read back from the campaign is the
    frame that was written (core.campaign.document)."""
    return {str(c): str(t) for c, t in frame.dtypes.items()}


def records(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    """Each row's ``keys`` columns as a JSON object (missing values left out)."""
    import pandas as pd

    cols = {}
    for key in keys:
        series = frame[key]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            series = series.dt.strftime("%Y-%m-%d")
        cols[key] = series.astype("object").where(series.notna(), None).tolist()
    out = []
    for i in range(len(frame)):
        obj = {k: _plain(cols[k][i]) for k in keys}
        out.append(json.dumps({k: x for k, x in obj.items() if x is not None},
                              ensure_ascii=False))  # fmt: skip
    return out


def _snapshot(catalog: Catalog | None, rules: Rules | None, scheme: BandScheme | None) -> dict:
    from core.marketing.bands import default_scheme
    from core.marketing.catalog import default_catalog, default_rules

    scheme = scheme or default_scheme()
    catalog = catalog or default_catalog()
    rules = rules or default_rules(scheme, catalog)
    return {
        "scheme": scheme.to_dict(),
        "catalog": {
            "source": catalog.source,
            "packages": [dataclasses.asdict(p) for p in catalog.packages],
        },
        "rules": rules.to_dict(),
    }


def _source(result: ImportResult | None) -> dict[str, Any]:
    if result is None:
        return {}
    path = Path(result.source)
    return {
        "file": path.name,
        "sha256": sha256_of(path) if path.is_file() else "",
        "format": result.kind,
        "sheet": result.sheet,
        "header_row": result.header_row,
        "headers": [str(h) for h in result.headers],
        "mapping": dict(result.mapping),
        "rows": int(result.rows),
        "problems": len(result.problems),
    }


def write_campaign(
    path: Path,
    offers: pd.DataFrame,
    info: CampaignInfo,
    *,
    scheme: BandScheme | None = None,
    catalog: Catalog | None = None,
    rules: Rules | None = None,
    source: ImportResult | None = None,
    options: dict[str, Any] | None = None,
    settings: Settings | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Write the campaign file (see the module docstring); refuses to overwrite unless force.

    ``offers`` is core.marketing.make_offers' frame (customers plus offer columns), computed
    under ``options`` (core.marketing.OfferOptions.to_dict(), stored with the campaign so
    its letters keep saying what was decided); ``settings`` (core.base.Settings: who signs
    the letters, the rates …) is kept too, so the campaign's letters are signed the same
    wherever it is opened. The customers' 证件号码 is never stored.
    """
    path = Path(path)
    progress = progress or Progress()
    check_writable(path, force=force)
    n = len(offers)
    progress.start(n, "正在建立营销活动…")
    none = [None] * n
    phones = offers.get("phone", none)
    ids = offers.get("customer_id", none)
    rows = offers["source_row"] if "source_row" in offers else range(1, n + 1)
    idents = identities(zip(phones, ids, rows, strict=True))
    keys = customer_keys(idents)
    data_keys = [str(c) for c in offers.columns if c not in OFFER_KEYS and not _secret(str(c))]
    offer_keys = [c for c in OFFER_KEYS if c in offers.columns]
    data = records(offers, data_keys)
    offer = records(offers, offer_keys)
    column = {k: offers[k].astype("object").tolist() if k in offers else [None] * n
              for k in ("source_row", "customer_id", "phone", "name", "band", "spend",
                        "offer_package", "offer_fee")}  # fmt: skip
    meta = {
        "app": "价值金字塔营销助手",
        "created_at": now(),
        CAMPAIGN_ID: new_campaign_id(),
        "info": info.to_dict(),
        "source": _source(source),
        "columns": [[k, label(k)] for k in data_keys],
        "options": options or {},
        **_snapshot(catalog, rules, scheme),
        **version_2_meta(),
        DTYPES_KEY: {k: v for k, v in frame_dtypes(offers).items() if k in data_keys + offer_keys},
    }
    if settings is not None:
        meta[SETTINGS_KEY] = settings.to_dict()
    problems = [] if source is None else [
        (p.row, p.field, p.code, p.message) for p in source.problems]  # fmt: skip
    size = sum(map(len, data)) + sum(map(len, offer)) + len(json.dumps(meta, ensure_ascii=False))
    need = int(size * 1.3) + n * ROW_OVERHEAD + FILE_OVERHEAD  # pages, indexes, journal
    with atomic_path(path, force=force, need=need) as tmp:
        store = Store.create(tmp)
        try:
            with store.transaction():
                store.set_meta(meta)
                store.add_problems(problems)
                for start in range(0, n, WRITE_CHUNK):
                    stop = min(start + WRITE_CHUNK, n)
                    store.add_customers(
                        (keys[i], idents[i], i + 1, _int(column["source_row"][i]),
                         clean_id(column["customer_id"][i]) or None,
                         clean_id(column["phone"][i]) or None, _plain(column["name"][i]),
                         _plain(column["band"][i]), _plain(column["spend"][i]),
                         _plain(column["offer_package"][i]), _plain(column["offer_fee"][i]),
                         data[i], offer[i], LISTED, None)
                        for i in range(start, stop)
                    )  # fmt: skip
                    progress.advance(stop - start)
                    progress.check()
        finally:
            store.close()
    return path


def _int(value: Any) -> int | None:
    value = _plain(value)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


__all__ = ["DTYPES_KEY", "OFFER_KEYS", "SETTINGS_KEY", "frame_dtypes", "records", "sha256_of",
           "write_campaign"]  # fmt: skip
