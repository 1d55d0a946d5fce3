"""Step 4, the paper: 《客户建议书》 and 《信息反馈表》 for a batch of customers — text templates
with fields and conditions, each customer's field texts, the parts of a page, and those
parts as HTML (for Qt's PDF/print path in ui.render) and as Word files.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from typing import TYPE_CHECKING

from core.base.lazy import lazy_exports

if TYPE_CHECKING:  # the package's face for editors and type checkers; loaded lazily below
    from core.documents.docx_out import docx_bytes, write_docx
    from core.documents.letter_html import to_html
    from core.documents.letter_parts import Letter, Logo, letter_parts
    from core.documents.letter_values import (
        DEFAULT_PROMISES,
        FIELD_HELP,
        FORBIDDEN_FIELDS,
        KIND_TITLES,
        PROPOSAL,
        SHEET,
        field_names,
        field_values,
        file_stem,
        known_fields,
        mask_phone,
        promise_for,
    )
    from core.documents.letters import (
        LetterBatch,
        band_labels,
        build_letters,
        prepare_template,
        select,
    )
    from core.documents.signature import unsigned, unsigned_text
    from core.documents.templates import Template, builtin_path, load_template, read_text

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "LetterBatch": "letters",
        "build_letters": "letters",
        "select": "letters",
        "band_labels": "letters",
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
        "read_text": "templates",
        "unsigned": "signature",
        "unsigned_text": "signature",
    },
)
