"""Reading back what the campaign file holds, checked: the ``meta`` values (JSON of the shape
``create.write_campaign`` writes) and each customer's JSON columns.

A file edited by another program (a database tool, a script) can hold anything SQLite
accepts: a value that is not JSON, an emptied table, a list where an object belongs, text
where a number belongs. Whatever this program did not write is refused here with one
message, ``EDITED`` (a ``CampaignFileError``), so no command or window ends in a traceback;
``store_checks`` does the same for the tables and their rows, in SQL, when the file opens.
No pandas here: opening a campaign stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.base.errors import InvalidInput
from core.campaign.model import CampaignFileError, CampaignInfo

EDITED = "营销活动文件已损坏或被其他程序改动过"
RESTORE = (
    "程序没有改动这个文件。请换用改动之前的备份，或请对方重新发送原来的文件后再打开；"
    "不要用数据库工具等其他程序修改营销活动文件。"
)
# Every value create.write_campaign puts in ``meta`` (the file holds all of them); version 2
# added the sweep's targets and round (a version-1 file is checked without them).
META_KEYS_V1 = ("app", "created_at", "info", "source", "columns", "options", "scheme",
                "catalog", "rules")  # fmt: skip
META_KEYS = (*META_KEYS_V1, "targets", "round")
# values a file may hold and older files do not: checked when present (issue 25: the
# campaign's id, so pushing it to the city database twice changes nothing)
CAMPAIGN_ID = "campaign_id"
TARGET_KEYS = ("signed", "visited")  # the team's targets; "staff": {person: signed}
MAX_TARGET = 10_000_000
_PACKAGE_NUMBERS = ("fee", "data_gb", "voice_min", "broadband_mbps", "contract_months", "landline")
_PACKAGE_FLAGS = ("addon",)
_PACKAGE_KEYS = frozenset({"name", "pitch", "bands", *_PACKAGE_NUMBERS, *_PACKAGE_FLAGS})


def edited(path: Path, what: str) -> CampaignFileError:
    """The error for a campaign file that does not hold what this program wrote."""
    return CampaignFileError(f"{EDITED}：{Path(path).name}（{what}）。", RESTORE)


class _Wrong(ValueError):
    """A meta value has the wrong shape; the text says which."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON this program writes")


def loads(text: Any) -> Any:
    """JSON as this program writes it: text, no NaN/Infinity (ValueError otherwise)."""
    if not isinstance(text, str):
        raise ValueError("not text")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deep") from None


def loads_object(text: Any) -> dict[str, Any]:
    """A JSON object of plain values as this program writes it ({} for anything else: the
    open-time checks refused a file whose objects are not)."""
    try:
        value = loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text(value: Any, what: str, optional: bool = False) -> None:
    if not (isinstance(value, str) or (optional and value is None)):
        raise _Wrong(what)


def _date_text(value: Any, what: str) -> None:
    if value is None:
        return
    _text(value, what)
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise _Wrong(what) from None


def _list(value: Any, what: str) -> list:
    if not isinstance(value, list):
        raise _Wrong(what)
    return value


def _dict(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise _Wrong(what)
    return value


def _info(value: Any) -> None:
    what = "活动名称、日期或走访人员无法读取"
    info = _dict(value, what)
    for key in ("name", "market", "branch"):
        _text(info.get(key), what, optional=key != "name")
    for key in ("start_date", "end_date"):
        _date_text(info.get(key), what)
    for name in _list(info.get("staff", []), what):
        _text(name, what)
    try:
        CampaignInfo.from_dict(info)
    except InvalidInput:  # no name, or the end before the start
        raise _Wrong(what) from None


def _scheme(value: Any) -> None:
    """The shape BandScheme.to_dict writes, and bands that are valid: named, distinct,
    increasing and contiguous (the rule of core.marketing.bands.validate_bands)."""
    what = "分档方案无法读取"
    scheme = _dict(value, what)
    _text(scheme.get("name", ""), what)
    _text(scheme.get("note", ""), what)
    bands = _list(scheme.get("bands"), what)
    if not bands:
        raise _Wrong(what)
    labels: set[str] = set()
    previous_high: float | None = None
    for i, band in enumerate(bands):
        band = _dict(band, what)
        label, low, high = band.get("label"), band.get("low"), band.get("high")
        _text(band.get("strategy", ""), what, optional=True)
        if not isinstance(label, str) or not label.strip() or label in labels:
            raise _Wrong(what)
        labels.add(label)
        last = i == len(bands) - 1
        if not _is_number(low) or not (_is_number(high) or (last and high is None)):
            raise _Wrong(what)
        if high is not None and not low < high:
            raise _Wrong(what)
        if previous_high is not None and previous_high != low:
            raise _Wrong(what)
        previous_high = high


def _catalog(value: Any) -> None:
    what = "套餐库无法读取"
    catalog = _dict(value, what)
    _text(catalog.get("source", ""), what)
    packages = _list(catalog.get("packages"), what)
    if not packages:
        raise _Wrong(what)
    for package in packages:
        package = _dict(package, what)
        if not set(package) <= _PACKAGE_KEYS or "fee" not in package:
            raise _Wrong(what)
        name = package.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _Wrong(what)
        if not all(_is_number(package.get(k, 0)) and package.get(k, 0) >= 0
                   for k in _PACKAGE_NUMBERS):  # fmt: skip
            raise _Wrong(what)
        if not all(isinstance(package.get(k, False), bool) for k in _PACKAGE_FLAGS):
            raise _Wrong(what)
        _text(package.get("pitch", ""), what)
        for band in _list(package.get("bands", []), what):
            _text(band, what)


def _rules(value: Any) -> None:
    what = "主推套餐规则无法读取"
    for rule in _dict(value, what).values():
        rule = _dict(rule, what)
        _text(rule.get("main"), what)
        _text(rule.get("alt"), what, optional=True)
        _text(rule.get("strategy"), what, optional=True)


def _columns(value: Any) -> None:
    what = "客户清单的列无法读取"
    keys: set[str] = set()
    for pair in _list(value, what):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str)
                                                                   for x in pair)):  # fmt: skip
            raise _Wrong(what)
        if pair[0] in keys:
            raise _Wrong(what)
        keys.add(pair[0])


def _source(value: Any) -> None:
    what = "客户清单的来源信息无法读取"
    source = _dict(value, what)
    for key in ("file", "sha256", "format"):
        _text(source.get(key, ""), what, optional=True)
    for key in ("header_row", "rows", "problems"):
        if key in source and not (source[key] is None or _is_number(source[key])):
            raise _Wrong(what)
    sheet = source.get("sheet")
    if not (sheet is None or isinstance(sheet, str) or _is_number(sheet)):
        raise _Wrong(what)
    _list(source.get("headers", []), what)
    _dict(source.get("mapping", {}), what)


def _count(value: Any, what: str) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_TARGET):
        raise _Wrong(what)


def _targets(value: Any) -> None:
    """{"signed": 30, "visited": 200, "staff": {"张三": 10}} (every part optional)."""
    what = "走访目标无法读取"
    targets = _dict(value, what)
    if not set(targets) <= {*TARGET_KEYS, "staff"}:
        raise _Wrong(what)
    for key in TARGET_KEYS:
        if targets.get(key) is not None:
            _count(targets[key], what)
    for name, n in _dict(targets.get("staff", {}), what).items():
        if not name.strip() or len(name) > 40:
            raise _Wrong(what)
        _count(n, what)


def _round(value: Any) -> None:
    """{"number": 2, "previous": {"file", "name", "created_at"} or null, "rule": "…"}."""
    what = "营销活动的轮次无法读取"
    rnd = _dict(value, what)
    number = rnd.get("number")
    if not (isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= 1000):
        raise _Wrong(what)
    _text(rnd.get("rule", ""), what)
    previous = rnd.get("previous")
    if previous is not None:
        for key in ("file", "name", "created_at"):
            _text(_dict(previous, what).get(key), what)
    if (previous is None) != (number == 1):
        raise _Wrong(what)


def _campaign_id(value: Any) -> None:
    """32 hexadecimal digits (uuid4().hex, written when the campaign is created)."""
    if not (isinstance(value, str) and len(value) == 32
            and all(c in "0123456789abcdef" for c in value)):  # fmt: skip
        raise _Wrong("营销活动的编号无法读取")


_CHECKS = {
    "app": lambda x: _text(x, "程序名称无法读取"),
    "created_at": lambda x: _text(x, "创建时间无法读取"),
    "info": _info,
    "source": _source,
    "columns": _columns,
    "options": lambda x: _dict(x, "活动选项无法读取"),
    "scheme": _scheme,
    "catalog": _catalog,
    "rules": _rules,
    "targets": _targets,
    "round": _round,
}
_OPTIONAL_CHECKS = {CAMPAIGN_ID: _campaign_id}


def meta(rows: Iterable[tuple[Any, Any]], path: Path, version: int = 2) -> dict[str, Any]:
    """The ``meta`` table's (name, value) rows as a dict of checked values; EDITED (a
    CampaignFileError) for a value that is not JSON, a missing one, or a wrong shape.
    ``version``: the file's schema version (a version-1 file has no targets and round)."""
    keys = META_KEYS if version >= 2 else META_KEYS_V1
    values: dict[str, Any] = {}
    for name, value in rows:
        if not isinstance(name, str):
            raise edited(path, "活动信息表里有无法识别的内容")
        try:
            values[name] = loads(value)
        except ValueError:
            raise edited(path, f"活动信息“{name}”不是本程序写入的内容") from None
    missing = [k for k in keys if k not in values]
    if missing:
        raise edited(path, "活动信息不完整" if len(missing) < len(keys) else "活动信息是空的")
    try:
        for name in keys:
            _CHECKS[name](values[name])
        for name, check in _OPTIONAL_CHECKS.items():
            if name in values:
                check(values[name])
    except _Wrong as wrong:
        raise edited(path, str(wrong)) from None
    return values


def _plain(value: Any) -> bool:
    """A value create writes in a customer's JSON: text, a finite number within 64 bits, a
    truth value or nothing — never a list, an object or a number Python cannot use."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return True
    if kind is float:
        return math.isfinite(value)
    return kind is int and -(2**63) <= value < 2**63


def record(text: Any, path: Path, what: str) -> dict[str, Any]:
    """A customer's ``data`` or ``offer`` column: a JSON object of plain values (EDITED
    otherwise; ``store_checks`` has checked the rest when the file opened)."""
    try:
        value = loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(map(_plain, value.values())):
        raise edited(path, what)
    return value


__all__ = [
    "CAMPAIGN_ID",
    "EDITED",
    "META_KEYS",
    "META_KEYS_V1",
    "RESTORE",
    "edited",
    "loads",
    "meta",
    "record",
]
