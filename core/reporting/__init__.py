"""Steps 6 and 7, results for the branch manager: matplotlib charts (pyramid, 2/8 curve,
band bars, heat map, visit funnel) with a Chinese font, and the Excel report written with
openpyxl plus a streaming writer for big sheets; the 走访记录 sheet staff fill in and the
campaign's 走访结果; one print setup (A4, one page wide, header on every page) for them all.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from typing import TYPE_CHECKING

from core.base.lazy import lazy_exports

if TYPE_CHECKING:  # the package's face for editors and type checkers; loaded lazily below
    from core.reporting.charts import (
        BAND_GID,
        CHART_KINDS,
        PRINT_DPI,
        band_bars_chart,
        chart_for,
        crosstab_heatmap,
        figure_png,
        pareto_chart,
        pyramid_chart,
        save_figure,
        visit_funnel_chart,
    )
    from core.reporting.fonts import cjk_font, font_install_hint, require_cjk_font, setup_fonts
    from core.reporting.offers_xlsx import write_offers_xlsx
    from core.reporting.print_setup import setup_print
    from core.reporting.report import write_report
    from core.reporting.stage_funnel import stage_funnel_chart
    from core.reporting.visit_results import funnel_counts
    from core.reporting.visits_xlsx import write_visits_xlsx

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "CHART_KINDS": "charts",
        "PRINT_DPI": "charts",
        "BAND_GID": "charts",
        "pyramid_chart": "charts",
        "pareto_chart": "charts",
        "band_bars_chart": "charts",
        "crosstab_heatmap": "charts",
        "visit_funnel_chart": "charts",
        "figure_png": "charts",
        "save_figure": "charts",
        "chart_for": "charts",
        "setup_fonts": "fonts",
        "cjk_font": "fonts",
        "require_cjk_font": "fonts",
        "font_install_hint": "fonts",
        "write_report": "report",
        "stage_funnel_chart": "stage_funnel",
        "write_offers_xlsx": "offers_xlsx",
        "setup_print": "print_setup",
        "write_visits_xlsx": "visits_xlsx",
        "funnel_counts": "visit_results",
    },
)
