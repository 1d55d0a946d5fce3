"""Step 6, 报表: the report's charts and the Excel workbook for the branch manager."""

from ui.pages.report.page import ReportPage

__all__ = ["ReportPage"]
