"""Undoable edits of the campaign's choices (撤销/重做, Ctrl+Z / Ctrl+Y).

One command type: it keeps the value before and after and a setter, so undo is setting
the old value back. Setters are AppState's (``set_scheme``, ``set_catalog``, a band's
``set_choice``, ``set_options``), so an undo recomputes like any edit. Values are
immutable snapshots (BandScheme, Catalog, Rule, OfferOptions are never changed in place).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack


class SetValueCommand(QUndoCommand):
    def __init__(self, setter: Callable[[Any], None], before: Any, after: Any, text: str) -> None:
        super().__init__(text)
        self.setter = setter
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.setter(self.after)

    def undo(self) -> None:
        self.setter(self.before)


def set_value(stack: QUndoStack, setter: Callable[[Any], None], before: Any, after: Any,
              text: str) -> bool:  # fmt: skip
    """Apply ``after`` as one undoable step (``text``: the 撤销 menu text); a step that
    changes nothing is not recorded. True if it was applied."""
    if before == after:
        return False
    stack.push(SetValueCommand(setter, before, after, text))  # push() runs redo()
    return True
