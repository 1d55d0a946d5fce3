"""Step 2, 分档: the band scheme and the value pyramid it gives."""

from ui.pages.bands.page import BandsPage

__all__ = ["BandsPage"]
