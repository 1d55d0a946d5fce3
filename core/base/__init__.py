"""What every step shares: typed errors with Chinese messages, progress and cancel, money
rounding, the canonical customer fields, safe output files and staging folders, the data
folder, the letters' sender settings and the shipped resources.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from core.base.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "UserError": "errors",
        "ImportFailed": "errors",
        "EncryptedFile": "errors",
        "FileLocked": "errors",
        "InvalidInput": "errors",
        "OutputExists": "errors",
        "OutputFailed": "errors",
        "MappingNeeded": "errors",
        "FontMissing": "errors",
        "Progress": "progress",
        "Cancelled": "progress",
        "MAX_MONTHLY_SPEND": "money",
        "plausible_spend": "money",
        "round2": "money",
        "round2_series": "money",
        "fmt_yuan": "money",
        "FIELDS": "fields",
        "BY_KEY": "fields",
        "SECRET": "fields",
        "SOURCE_ROW": "fields",
        "Field": "fields",
        "label": "fields",
        "field_keys": "fields",
        "safe_filename": "files",
        "check_writable": "files",
        "check_folder": "files",
        "folder_failed": "files",
        "atomic_path": "files",
        "atomic_write_text": "files",
        "atomic_write_bytes": "files",
        "data_dir": "appdata",
        "load_json": "appdata",
        "save_json": "appdata",
        "Settings": "settings",
        "load_settings": "settings",
        "save_settings": "settings",
        "staging_dir": "staging",
        "remove_stale": "staging",
        "xml_safe": "safe_text",
        "without_controls": "safe_text",
        "app_root": "resources",
        "resources_dir": "resources",
        "resource": "resources",
    },
)
