"""Step 5, 走访: the campaign's customers, the visit form, the results."""

from ui.pages.visits.page import VisitsPage

__all__ = ["VisitsPage"]
