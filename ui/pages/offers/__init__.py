"""Step 3, 主推套餐: each band's package, the catalogue, every customer's offer."""

from ui.pages.offers.page import OffersPage

__all__ = ["OffersPage"]
