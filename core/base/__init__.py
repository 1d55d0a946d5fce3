"""What every step shares: typed errors with Chinese messages, progress and cancel, money
rounding, the canonical customer fields, safe output files and staging folders, the data
folder, the letters' sender settings and the shipped resources.

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from typing import TYPE_CHECKING

from core.base.lazy import lazy_exports

if TYPE_CHECKING:  # the package's face for editors and type checkers; loaded lazily below
    from core.base.appdata import data_dir, load_json, save_json
    from core.base.errors import (
        EncryptedFile,
        FileLocked,
        FontMissing,
        ImportFailed,
        InvalidInput,
        MappingNeeded,
        OutputExists,
        OutputFailed,
        UserError,
    )
    from core.base.fields import BY_KEY, FIELDS, SECRET, SOURCE_ROW, Field, field_keys, label
    from core.base.files import (
        atomic_path,
        atomic_write_bytes,
        atomic_write_text,
        check_folder,
        check_writable,
        folder_failed,
        fsync_folder,
        fsync_path,
        incomplete_error,
        looks_complete,
        make_folders,
        remove_empty,
        safe_filename,
        translate,
        write_file,
    )
    from core.base.money import MAX_MONTHLY_SPEND, fmt_yuan, plausible_spend, round2, round2_series
    from core.base.paths import check_path
    from core.base.progress import Cancelled, Progress
    from core.base.resources import app_root, resource, resources_dir
    from core.base.safe_text import without_controls, xml_safe
    from core.base.settings import Settings, load_settings, save_settings
    from core.base.staging import remove_stale, staging_dir
    from core.base.write_errors import disk_full, free_space, on_disk

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
        "fsync_folder": "files",
        "make_folders": "files",
        "remove_empty": "files",
        "translate": "files",
        "check_path": "paths",
        "disk_full": "write_errors",
        "free_space": "write_errors",
        "on_disk": "write_errors",
        "incomplete_error": "files",
        "fsync_path": "files",
        "looks_complete": "files",
        "write_file": "files",
    },
)
