"""Step 4, the paper: 《客户建议书》 and 《信息反馈表》 for a batch of customers — text templates
with fields and conditions, each customer's field texts, the parts of a page, and those
parts as HTML (for Qt's PDF/print path in ui.render) and as Word files.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from core.base.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "LetterBatch": "letters",
        "build_letters": "letters",
        "select": "letters",
        "prepare_template": "letters",
        "PROPOSAL": "letter_values",
        "SHEET": "letter_values",
        "KIND_TITLES": "letter_values",
        "FIELD_HELP": "letter_values",
        "FORBIDDEN_FIELDS": "letter_values",
        "field_names": "letter_values",
        "known_fields": "letter_values",
        "field_values": "letter_values",
        "promise_for": "letter_values",
        "DEFAULT_PROMISES": "letter_values",
        "file_stem": "letter_values",
        "mask_phone": "letter_values",
        "Letter": "letter_parts",
        "Logo": "letter_parts",
        "letter_parts": "letter_parts",
        "to_html": "letter_html",
        "write_docx": "docx_out",
        "docx_bytes": "docx_out",
        "Template": "templates",
        "load_template": "templates",
        "builtin_path": "templates",
    },
)
