"""Undoable edits of the campaign's choices (window-level 撤销/重做, Ctrl+Z / Ctrl+Y).

Each command keeps the value before and after, so undo is setting the old value back;
both go through the AppState setters, so an undo recomputes like any edit. Values are
immutable snapshots (BandScheme, Catalog, Rule, OfferOptions are never changed in place).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from core.marketing import BandScheme, Catalog, OfferOptions, Rule
    from ui.state import AppState


class SetSchemeCommand(QUndoCommand):
    def __init__(self, state: AppState, scheme: BandScheme, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.before = state.scheme
        self.after = scheme

    def redo(self) -> None:
        self.state.set_scheme(self.after)

    def undo(self) -> None:
        self.state.set_scheme(self.before)


class SetCatalogCommand(QUndoCommand):
    def __init__(self, state: AppState, catalog: Catalog, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.before = state.catalog
        self.after = catalog

    def redo(self) -> None:
        self.state.set_catalog(self.after)

    def undo(self) -> None:
        self.state.set_catalog(self.before)


class SetChoiceCommand(QUndoCommand):
    """The 主推/备选 picked for one band (None: back to the default rule)."""

    def __init__(self, state: AppState, band: str, rule: Rule | None, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.band = band
        self.before = state.choices.get(band)
        self.after = rule

    def redo(self) -> None:
        self.state.set_choice(self.band, self.after)

    def undo(self) -> None:
        self.state.set_choice(self.band, self.before)


class SetOptionsCommand(QUndoCommand):
    def __init__(self, state: AppState, options: OfferOptions, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.before = state.options
        self.after = options

    def redo(self) -> None:
        self.state.set_options(self.after)

    def undo(self) -> None:
        self.state.set_options(self.before)


def push(stack: Any, command: QUndoCommand) -> None:
    """Push (and so apply) ``command``; a command that changes nothing is not pushed."""
    if getattr(command, "before", None) == getattr(command, "after", object()):
        return
    stack.push(command)
