"""What kind of file is this, really? (by its bytes, not its name)"""

from __future__ import annotations

import zipfile
from pathlib import Path

from core.base.errors import EncryptedFile, FileLocked, ImportFailed

XLSX = "xlsx"
XLS = "xls"
ODS = "ods"
CSV = "csv"
HTML = "html"
XML2003 = "xml2003"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def open_failed(path: Path, exc: OSError) -> ImportFailed:
    """Turn an OS error on opening the file into a Chinese message."""
    if isinstance(exc, FileNotFoundError):
        return ImportFailed(f"找不到文件：{path}", "请检查文件名和所在文件夹是否正确。")
    if isinstance(exc, IsADirectoryError):
        return ImportFailed(f"这是一个文件夹，不是文件：{path}", "请选择文件夹里的客户清单文件。")
    if isinstance(exc, PermissionError):
        return FileLocked(
            f"无法读取文件：{path.name}（文件正被其他程序占用，或没有读取权限）。",
            "如果文件在 Excel/WPS 中打开着，请先关闭它再导入；否则请把文件复制到桌面后重试。",
        )
    return ImportFailed(
        f"无法读取文件：{path.name}（{exc.strerror or exc}）。",
        "请确认文件没有损坏，或重新从系统导出。",
    )


def corrupt(path: Path) -> ImportFailed:
    return ImportFailed(
        f"文件已损坏或格式不完整，无法读取：{path.name}。",
        "请在 Excel/WPS 中打开并“另存为”新的 .xlsx 文件后再导入，或从系统重新导出。",
    )


def encrypted_error(path: Path) -> EncryptedFile:
    return EncryptedFile(
        f"文件已加密（设置了打开密码）：{path.name}。",
        "请在 Excel/WPS 中输入密码打开，选择“文件 → 信息 → 保护工作簿 → 用密码进行加密”并清空密码，"
        "保存后再导入；或另存为一个不加密的新文件。",
    )


def sniff(path: Path) -> str:
    """Return one of XLSX, XLS, ODS, CSV, HTML, XML2003, or raise ImportFailed."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise open_failed(path, exc) from exc
    if not head:
        raise ImportFailed(f"文件是空的（0 字节）：{path.name}。", "请重新从系统导出客户清单。")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path)
    text_head = _decode_head(head)
    if text_head is None:
        raise _not_a_list(path)
    stripped = text_head.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in stripped:
        return XML2003
    if stripped.startswith("<"):
        # web systems save HTML tables as ".xls"; the <table> may start after 8 KB
        return HTML
    return CSV


def _is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for UTF-16 text without a byte order mark, else None.

    Excel's "Unicode 文本" and some exports write UTF-16 with no BOM. Text in UTF-8 or
    GBK never holds a zero byte; UTF-16 has one in every ASCII character (digits, tabs,
    commas, line breaks), always on the same side of the pair.
    """
    if len(head) < 4 or b"\x00" not in head:
        return None
    even = head[0::2].count(0)  # the high byte of LE ASCII is the odd one
    odd = head[1::2].count(0)
    pairs = len(head) // 2
    for enc, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros < max(2, pairs // 10) or others * 4 > zeros:
            continue
        data = head[: pairs * 2]
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start < len(data) - 4:  # a pair cut at the end of the sample is fine
                continue
            text = data[: exc.start].decode(enc)
        if "\x00" in text or not any(ch in text for ch in "\t,;\n"):
            continue
        if sum(1 for ch in text if ch < " " and ch not in "\t\r\n") > len(text) // 100:
            continue  # binary that happens to have zeros on one side
        return enc
    return None


def _decode_head(head: bytes) -> str | None:
    if _is_utf16(head):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        enc = utf16_without_bom(head)
        return head.decode(enc, errors="ignore") if enc else None  # else binary
    for enc in ("utf-8", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the 8 KB boundary is fine
            if exc.start >= len(head) - 4:
                return head[: exc.start].decode(enc)
    return head.decode("latin-1")


def _not_a_list(path: Path) -> ImportFailed:
    return ImportFailed(
        f"无法识别文件格式：{path.name} 不是 Excel 表格（.xlsx/.xls）或 CSV 文本。",
        "请从系统重新导出为 Excel 或 CSV 格式；如果是别的文件改了扩展名，请找到原始的客户清单。",
    )


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and zf.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"
            ):
                return ODS
    except zipfile.BadZipFile as exc:
        raise ImportFailed(
            f"文件已损坏，无法打开：{path.name}（可能没有下载或复制完整）。",
            "请重新下载或从系统重新导出，再导入新的文件。",
        ) from exc
    except OSError as exc:
        raise open_failed(path, exc) from exc
    if any(n.startswith("xl/") for n in names):
        return XLSX
    if any(n.startswith("word/") for n in names):
        raise ImportFailed(
            f"这是一个 Word 文档，不是 Excel 表格：{path.name}。",
            "请选择从系统导出的客户清单（.xlsx/.xls/.csv）。",
        )
    if any(n.startswith("ppt/") for n in names):
        raise ImportFailed(
            f"这是一个 PowerPoint 文件，不是 Excel 表格：{path.name}。",
            "请选择从系统导出的客户清单（.xlsx/.xls/.csv）。",
        )
    raise _not_a_list(path)


def _ole_kind(path: Path) -> str:
    """Old .xls, or an encrypted .xlsx (which is an OLE container with EncryptionInfo)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise open_failed(path, exc) from exc
    if _ENCRYPTION_INFO in data and _ENCRYPTED_PACKAGE in data:
        raise encrypted_error(path)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return XLS
    if "WordDocument".encode("utf-16-le") in data:
        raise ImportFailed(
            f"这是一个 Word 文档，不是 Excel 表格：{path.name}。",
            "请选择从系统导出的客户清单（.xlsx/.xls/.csv）。",
        )
    raise _not_a_list(path)
