"""Proposal letters and visit feedback sheets for a batch of customers, without Qt.

``LetterBatch(offers, kind, ...)`` turns the offers frame (core.marketing.make_offers)
into one ``Letter`` per customer, built when read, so 10,000 letters never sit in memory
at once; ``build_letters`` is the same as a list. The content of a letter comes from
core.documents.letter_values (field texts) and core.documents.letter_parts (the page);
core.documents.letter_html and core.documents.docx_out draw it. 证件号码 never reaches a
letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import pandas as pd

from core.base.errors import InvalidInput
from core.base.settings import Settings
from core.documents.letter_parts import Letter, letter_parts
from core.documents.letter_values import (
    FORBIDDEN_FIELDS,
    PROPOSAL,
    extra_columns,
    field_values,
    file_stem,
    known_fields,
    phone_tail,
    text_of,
)
from core.documents.templates import Template, load_template

# ---- the whole batch -------------------------------------------------------------------


def select(offers: pd.DataFrame, bands: Iterable[str] | None = None) -> pd.DataFrame:
    """Customers that get a document: those with an offer, optionally of some bands."""
    sel = offers[offers["offer_package"].notna()] if "offer_package" in offers else offers
    wanted = [b for b in (bands or []) if b]
    if wanted:
        labels = band_labels(offers)
        unknown = [b for b in wanted if b not in labels]
        if unknown:
            raise InvalidInput(f"没有名为“{unknown[0]}”的档位。",
                               f"可用的档位：{'、'.join(labels)}。")  # fmt: skip
        sel = sel[sel["band"].astype("object").isin(wanted)]
    return sel


def band_labels(offers: pd.DataFrame) -> list[str]:
    """The bands of ``offers`` in the scheme's order (low→high) when the column knows it."""
    if hasattr(offers["band"], "cat"):
        return [str(x) for x in offers["band"].cat.categories]
    return sorted({str(x) for x in offers["band"].dropna()})


def prepare_template(template: Template | str | None, kind: str,
                     frame: pd.DataFrame | None = None) -> Template:  # fmt: skip
    if not isinstance(template, Template):
        template = load_template(template, kind)
    template.validate(known_fields(frame), FORBIDDEN_FIELDS)
    return template


class LetterBatch(Sequence[Letter]):
    """The letters of one run, built when they are read (``batch[i]``, slices, iteration).

    A 10,000-letter run never holds 10,000 letters: the writer takes them a chunk at a
    time, so memory stays what one chunk needs. The file stems of all letters are known
    up front (``stems``) for the overwrite check, without building the pages.
    """

    CHUNK = 200  # letters built together when iterating

    def __init__(
        self,
        offers: pd.DataFrame,
        kind: str = PROPOSAL,
        template: Template | str | None = None,
        settings: Settings | None = None,
        today: dt.date | None = None,
        unmask: bool = False,
    ) -> None:
        self.kind = kind
        self.settings = settings or Settings()
        self.today = today or dt.date.today()
        self.unmask = unmask
        self.template = prepare_template(template, kind, offers)
        self.extras = extra_columns(offers)
        self._cols = [c for c in offers.columns if c not in ("id_number", *FORBIDDEN_FIELDS)]
        self._rows = offers  # columns are picked per chunk: no copy of a big frame up front
        self._width = max(3, len(str(len(offers))))
        self._stems: list[str] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Letter: ...
    @overload
    def __getitem__(self, index: slice) -> list[Letter]: ...
    def __getitem__(self, index: int | slice) -> Letter | list[Letter]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._build(start, stop)
        i = index + len(self) if index < 0 else index
        if not 0 <= i < len(self):
            raise IndexError(index)
        return self._build(i, i + 1)[0]

    def __iter__(self) -> Iterator[Letter]:
        for start in range(0, len(self), self.CHUNK):
            yield from self._build(start, min(start + self.CHUNK, len(self)))

    def _build(self, start: int, stop: int) -> list[Letter]:
        records = self._rows.iloc[start:stop][self._cols].astype("object").to_dict("records")
        letters = []
        for seq, row in enumerate(records, start=start + 1):
            values = field_values(row, self.settings, self.today, seq, self.unmask, self.extras)
            stem = file_stem(seq, self._width, values)
            letters.append(Letter(seq, stem, values["客户名称"] or stem, values,
                                  letter_parts(self.template, values, self.settings),
                                  self.kind))  # fmt: skip
        return letters

    @property
    def stems(self) -> list[str]:
        """Every letter's file stem, in order (from the name, number and phone columns)."""
        if self._stems is None:
            g = self._rows.get
            n = len(self)
            names = g("name", pd.Series([None] * n)).to_numpy()
            ids = g("customer_id", pd.Series([None] * n)).to_numpy()
            phones = g("phone", pd.Series([None] * n)).to_numpy()
            self._stems = [
                file_stem(i + 1, self._width, {"客户名称": text_of(names[i]),
                          "客户编号": text_of(ids[i]), "号码尾号": phone_tail(phones[i])})
                for i in range(n)
            ]  # fmt: skip
        return self._stems


def build_letters(
    offers: pd.DataFrame,
    kind: str = PROPOSAL,
    template: Template | str | None = None,
    settings: Settings | None = None,
    today: dt.date | None = None,
    unmask: bool = False,
) -> list[Letter]:
    """One Letter per row of ``offers`` (already selected), in order, numbered from 1.

    For big runs use ``LetterBatch`` (same arguments), which builds letters as needed.
    """
    return list(LetterBatch(offers, kind, template, settings, today, unmask))
