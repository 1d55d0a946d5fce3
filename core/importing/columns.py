"""Find the header row and map source columns to canonical fields.

Headers vary (ARPU值, 近三月ARPU(元), 出账收入, MonthlyCharges …). Synonyms and
fallback patterns live in resources/columns.toml. Normalising a header folds case,
full-width forms and spaces, and sets aside the unit in brackets ("(元)", "(MB)").
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.base.fields import BY_KEY, FIELDS
from core.base.resources import resource

SYNONYMS_FILE = resource("columns.toml")

HEADER_SCAN_ROWS = 60

_BRACKETS = re.compile(r"[\(\[【（](.*?)[\)\]】）]")
_SPACES = re.compile(r"[\s_\-·:：/\\]+")


def normalize(header: object) -> str:
    """Fold a header for comparison: NFKC, lower case, no spaces/punctuation, no units."""
    text = unicodedata.normalize("NFKC", str(header or "")).lower()
    text = _BRACKETS.sub("", text)
    return _SPACES.sub("", text).strip()


def unit_of(header: object) -> str:
    """The unit named in a header: 'mb', 'gb', 'kb', '元', '分', '秒', '分钟', '月', '年' or ''."""
    text = unicodedata.normalize("NFKC", str(header or "")).lower()
    inner = " ".join(_BRACKETS.findall(text))
    probe = inner or text
    for unit, pattern in (
        ("kb", r"\bkb?\b|kb"), ("mb", r"mb|\bm\b|兆"), ("gb", r"gb|\bg\b"),
        ("分钟", r"分钟|min"), ("秒", r"秒"), ("元", r"元|rmb|yuan"),
        ("分", r"^分$"), ("月", r"月"), ("年", r"年"),
    ):  # fmt: skip
        if re.search(pattern, probe):
            return unit
    if not inner:
        # units glued to the header: "DOU_MB", "流量MB"
        for unit, suffix in (("mb", "mb"), ("gb", "gb"), ("kb", "kb")):
            if text.rstrip().endswith(suffix):
                return unit
    return ""


@dataclass(frozen=True)
class FieldRule:
    key: str
    synonyms: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    prefer: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


@functools.lru_cache(maxsize=4)
def load_rules(path: Path = SYNONYMS_FILE) -> tuple[FieldRule, ...]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    rules = []
    for f in FIELDS:
        spec = data.get(f.key, {})
        rules.append(
            FieldRule(
                key=f.key,
                synonyms=tuple(dict.fromkeys(normalize(s) for s in spec.get("synonyms", []))),
                patterns=tuple(re.compile(p, re.I) for p in spec.get("patterns", [])),
                exclude=tuple(re.compile(p, re.I) for p in spec.get("exclude", [])),
                prefer=tuple(spec.get("prefer", [])),
                avoid=tuple(spec.get("avoid", [])),
            )
        )
    return tuple(rules)


def _score(rule: FieldRule, norm: str) -> int:
    """100.. for a synonym (earlier synonyms higher), 7–13 for a pattern, 0 for no match."""
    if not norm:
        return 0
    if norm in rule.synonyms:
        return 200 - rule.synonyms.index(norm)
    if any(p.search(norm) for p in rule.exclude):
        return 0
    if any(p.search(norm) for p in rule.patterns):
        # an average ("近三月平均") beats a single month ("本月出账") when only patterns match
        return (
            10
            + (3 if any(w in norm for w in rule.prefer) else 0)
            - (3 if any(w in norm for w in rule.avoid) else 0)
        )
    return 0


def auto_mapping(headers: list[str]) -> dict[str, int]:
    """Canonical field -> column index, each field and each column used at most once."""
    rules = load_rules()
    norms = [normalize(h) for h in headers]
    candidates = []
    for rule in rules:
        for col, norm in enumerate(norms):
            score = _score(rule, norm)
            if score:
                candidates.append((score, col, rule.key))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _rank, col, key in candidates:
        if key in mapping or col in used:
            continue
        mapping[key] = col
        used.add(col)
    return mapping


def field_candidates(headers: list[str], key: str) -> list[int]:
    """Every column that could be ``key`` (by synonym or pattern), best first."""
    rule = next(r for r in load_rules() if r.key == key)
    scored = [(_score(rule, normalize(h)), i) for i, h in enumerate(headers)]
    return [i for sc, i in sorted(scored, key=lambda t: (-t[0], t[1])) if sc]


def header_score(row: list) -> int:
    """How much a row looks like a header: number of fields its cells name."""
    texts = [c for c in row if isinstance(c, str) and c.strip()]
    if len(texts) < 2:
        return 0
    return len(auto_mapping(texts))


def find_header_row(rows: list[list]) -> tuple[int, int]:
    """(index into rows, score) of the likeliest header among the first rows; (-1, 0) if none."""
    best, best_score = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    return best, best_score


def header_signature(headers: list[str]) -> str:
    """A stable key for 'files with the same headers' (used to remember a mapping)."""
    joined = "\x1f".join(normalize(h) for h in headers if str(h).strip())
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


@dataclass
class ColumnPlan:
    """What the import will do with each column of the header row."""

    headers: list[str]
    mapping: dict[str, int] = field(default_factory=dict)  # field -> column index

    def header_of(self, key: str) -> str | None:
        col = self.mapping.get(key)
        return None if col is None else self.headers[col]

    def as_names(self) -> dict[str, str]:
        return {k: self.headers[c] for k, c in sorted(self.mapping.items(), key=lambda kv: kv[1])}

    def unmapped(self) -> list[int]:
        used = set(self.mapping.values())
        return [i for i, h in enumerate(self.headers) if i not in used and str(h).strip()]


def resolve_field(name: str) -> str | None:
    """A canonical key from a key ('spend'), a Chinese label ('月均消费(元)') or a synonym."""
    name = name.strip()
    if name in BY_KEY:
        return name
    norm = normalize(name)
    for f in FIELDS:
        if normalize(f.label) == norm:
            return f.key
    for rule in load_rules():
        if norm in rule.synonyms:
            return rule.key
    return None


def resolve_header(headers: list[str], name: str, letters: list[str] | None = None) -> int | None:
    """Column index of a header given as written (exact, then normalised), or as a letter
    (``letters``: the sheet's letter of each column, when the grid left columns out)."""
    for i, h in enumerate(headers):
        if str(h).strip() == name.strip():
            return i
    norm = normalize(name)
    for i, h in enumerate(headers):
        if normalize(h) == norm and norm:
            return i
    if letters and name.strip().upper() in letters[: len(headers)]:
        return letters.index(name.strip().upper())
    if letters is None and re.fullmatch(r"[A-Za-z]{1,2}", name.strip()):
        idx = 0
        for ch in name.strip().upper():
            idx = idx * 26 + (ord(ch) - 64)
        if idx - 1 < len(headers):
            return idx - 1
    return None
