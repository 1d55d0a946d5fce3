"""Steps 6 and 7, results for the branch manager: matplotlib charts (pyramid, 2/8 curve,
band bars, heat map, visit funnel) with a Chinese font, and the Excel report written with
openpyxl plus a streaming writer for big sheets; the 走访记录 sheet staff fill in and the
campaign's 走访结果; one print setup (A4, one page wide, header on every page) for them all.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from core.base.lazy import lazy_exports

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
        "write_offers_xlsx": "offers_xlsx",
        "setup_print": "print_setup",
        "write_visits_xlsx": "visits_xlsx",
        "funnel_counts": "visit_results",
    },
)
