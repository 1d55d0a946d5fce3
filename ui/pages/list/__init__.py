"""Step 1, 客户清单: the imported list, its summary and its import problems."""

from ui.pages.list.page import ListPage

__all__ = ["ListPage"]
