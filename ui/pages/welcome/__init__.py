"""Before a list is open: what the program does, 打开客户清单 and 打开示例清单."""

from ui.pages.welcome.page import WelcomePage

__all__ = ["WelcomePage"]
