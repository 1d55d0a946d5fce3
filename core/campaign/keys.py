"""Customer keys: who a customer is, and the short 客户编号 printed for them.

A customer's *identity* is their phone number, else the list's customer number, else their
row in the list (``phone:13812345678``, ``id:KH0001``, ``row:12``) — stable when next
month's list comes in the same way. The campaign's customer key (the 客户编号 column of the
走访记录 sheet) is a short code made from the identity, ``K`` + 7 characters
(``K7Q2M9XA``): the same customer always gets the same code, and the printed sheet does
not show the phone number (which it masks). On import, staff may also write the phone
number or the list's customer number in 客户编号; ``Aliases`` finds the customer either way.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

# Crockford's base 32: no I, L, O, U — nothing to misread when typed from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "K"
CODE_LENGTH = 7
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})
_KEY_SHAPE = re.compile(rf"^{PREFIX}[0-9A-Z]{{{CODE_LENGTH},12}}$")


def clean_id(value: Any) -> str:
    """A phone or customer number as text: 13812345678.0 → '13812345678', spaces and
    dashes out, full-width → half-width, upper case; '' when missing."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.lower() in ("nan", "none", "<na>", "nat"):
        return ""
    return re.sub(r"[\s\-‐‑–—_]", "", text).upper()


def identities(rows: Iterable[tuple[Any, Any, Any]]) -> list[str]:
    """The identity of each customer from (phone, customer_id, source_row), in list order.

    A phone (or number) already taken by an earlier customer is not reused: the later
    customer falls back to the next kind, so identities are unique.
    """
    out: list[str] = []
    taken: set[str] = set()
    for phone, customer_id, row in rows:
        candidates = [f"phone:{p}" for p in [clean_id(phone)] if p]
        candidates += [f"id:{c}" for c in [clean_id(customer_id)] if c]
        candidates.append(f"row:{int(row)}" if row is not None else f"seq:{len(out) + 1}")
        ident = next((c for c in candidates if c not in taken), f"seq:{len(out) + 1}")
        taken.add(ident)
        out.append(ident)
    return out


def key_code(identity: str, length: int) -> str:
    """``K`` + ``length`` characters of the identity's SHA-256 (no I, L, O, U)."""
    digest = int.from_bytes(hashlib.sha256(identity.encode("utf-8")).digest()[:8], "big")
    chars = []
    for _ in range(length):
        digest, rem = divmod(digest, 32)
        chars.append(ALPHABET[rem])
    return PREFIX + "".join(chars)


def customer_keys(idents: Sequence[str]) -> list[str]:
    """The 客户编号 of each identity: ``K`` + 7 characters; if two identities of the list
    share a code (rare), the later one gets a longer code."""
    out: list[str] = []
    taken: set[str] = set()
    for ident in idents:
        length = CODE_LENGTH
        key = key_code(ident, length)
        while key in taken:
            length += 1
            key = key_code(ident, length) if length <= 12 else f"{key_code(ident, 12)}{len(out)}"
        taken.add(key)
        out.append(key)
    return out


def typed_key(value: Any) -> str:
    """What a user typed in 客户编号, ready to look up: cleaned, and for key-shaped text
    O→0, I/L→1 (the letters the code never uses)."""
    text = clean_id(value)
    if _KEY_SHAPE.match(text):
        text = PREFIX + text[1:].translate(_TYPO)
    return text


class Aliases:
    """Finds a customer's key from what staff wrote in 客户编号: the key itself, the full
    phone number or the list's customer number. An alias shared by two customers finds
    neither (it is ambiguous)."""

    def __init__(self, rows: Iterable[tuple[str, Any, Any]]) -> None:
        self._keys: set[str] = set()
        self._other: dict[str, str | None] = {}
        for key, phone, customer_id in rows:
            self._keys.add(key)
            for alias in {clean_id(phone), clean_id(customer_id)} - {""}:
                self._other[alias] = key if self._other.get(alias, key) == key else None

    def find(self, value: Any) -> str | None:
        text = typed_key(value)
        if not text:
            return None
        if text in self._keys:
            return text
        return self._other.get(clean_id(value))

    def __len__(self) -> int:
        return len(self._keys)


def mask_phone(phone: Any) -> str:
    """138****5678; 0571-****3456 for a landline (the rule of core.documents.mask_phone)."""
    text = "" if phone is None else " ".join(str(phone).split())
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if len(digits) < 7:
        return "*" * len(text)
    hide = set(digits[-8:-4])
    return "".join("*" if i in hide else ch for i, ch in enumerate(text))


__all__ = ["Aliases", "clean_id", "customer_keys", "identities", "mask_phone", "typed_key"]
