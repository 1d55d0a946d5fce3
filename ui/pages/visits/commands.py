"""撤销/重做 on the 走访 page: the last saved, corrected or deleted visit.

A visit is saved in the campaign file the moment Enter is pressed; its command is pushed
already done (the first redo does nothing). Undoing a save deletes that visit again (the
campaign's change log says 撤销), undoing a correction puts the old answers back, undoing
a deletion restores the visit; redo does the step again. Every step is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

Refresh = Callable[[str, Any], None]  # re-show a customer (key) after a step; the error if any


class _VisitCommand(QUndoCommand):
    def __init__(self, campaign: Any, stored: Any, refresh: Refresh, text: str) -> None:
        super().__init__(text)
        self.campaign = campaign
        self.stored = stored  # the visit as the file holds it now
        self.refresh = refresh
        self._done = True  # pushed after the change was made

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._step(self.again)

    def undo(self) -> None:
        self._step(self.back)

    def _step(self, step: Callable[[], None]) -> None:
        from core.base import UserError

        try:
            step()
        except UserError as err:  # e.g. another visit took that day meanwhile: said, not raised
            self.refresh(self.stored.customer_key, err)
            return
        self.refresh(self.stored.customer_key, None)

    def again(self) -> None:
        raise NotImplementedError

    def back(self) -> None:
        raise NotImplementedError


class VisitSaved(_VisitCommand):
    """保存走访: undo deletes it (logged as 撤销), redo saves the same answers again."""

    def back(self) -> None:
        self.campaign.delete_visit(self.stored.id, action="撤销")

    def again(self) -> None:
        self.stored = self.campaign.restore_visit(self.stored)


class VisitCorrected(_VisitCommand):
    """修改走访: undo puts the answers it had back, redo the corrected ones."""

    def __init__(self, campaign: Any, before: Any, stored: Any, refresh: Refresh) -> None:
        super().__init__(campaign, stored, refresh, f"修改 {before.visit.visit_date} 的走访")
        self.before = before

    def back(self) -> None:
        self.campaign.update_visit(self.stored.id, self.before.visit)

    def again(self) -> None:
        self.stored = self.campaign.update_visit(self.stored.id, self.stored.visit)


class VisitDeleted(_VisitCommand):
    """删除走访: undo restores it, redo deletes it again."""

    def back(self) -> None:
        self.stored = self.campaign.restore_visit(self.stored)

    def again(self) -> None:
        self.campaign.delete_visit(self.stored.id)
