"""Builders for the files of issue 18 (all generated in the test, nothing checked in), and a
way to run a command in a fresh process and learn its peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "示例客户清单.xlsx"
SAMPLE_SHEET = "客户清单"


def corner_xlsx(path: Path, far: str = "XFD1048576") -> Path:
    """The 5 KB list: 用户号码/月均消费, one customer, one stray value at ``far``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["用户号码", "月均消费"])
    ws.append(["13800138000", 88])
    ws[far] = "x"
    wb.save(path)
    return path


def sample_with_stray(path: Path, far: str = "AP1048576") -> Path:
    """The sample customer list (320 customers) with one stray value far below and right."""
    wb = openpyxl.load_workbook(SAMPLE)
    wb[SAMPLE_SHEET][far] = "多余"
    wb.save(path)
    return path


# --- hand-made .ods (no writer library needed) ---------------------------------------------

_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body><office:spreadsheet>"
)
_ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def ods_cell(value: object = None, repeat: int = 1, **attrs: str) -> str:
    """One table cell: text, float, a date (``date=…``), or empty; ``repeat`` copies."""
    extra = "".join(f' table:{k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{rep}{extra}/>"
    if isinstance(value, float | int):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{rep}{extra}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, tuple):  # ("date", "2019-03-05")
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value[1]}"{rep}'
            f"{extra}><text:p>{value[1]}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"{rep}{extra}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods_row(cells: list[str], repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{''.join(cells)}</table:table-row>"


def write_ods(path: Path, sheets: dict[str, list[str]]) -> Path:
    body = "".join(
        f'<table:table table:name="{name}">{"".join(rows)}</table:table>'
        for name, rows in sheets.items()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", _ODS_HEAD + body + _ODS_TAIL)
    return path


# --- a command in a fresh process ----------------------------------------------------------

_WRAP = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from ui.cli.main import run_cli
t0 = time.perf_counter()
code = run_cli(json.loads(sys.argv[1]))
sys.stdout.flush()
try:  # the peak of this program's memory (ru_maxrss also counts the parent before exec)
    with open("/proc/self/status") as fh:
        peak = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"peak_mb": peak, "seconds": time.perf_counter() - t0}}), file=sys.stderr)
sys.exit(code)
"""


class Run:
    def __init__(self, code: int, out: str, err: str, peak_mb: float, seconds: float) -> None:
        self.code, self.out, self.err = code, out, err
        self.peak_mb, self.seconds = peak_mb, seconds

    def json(self) -> dict:
        return json.loads(self.out)


def run_fresh(argv: list[str], env: dict | None = None, timeout: float = 120) -> Run:
    """``python main.py ARGV`` in a new process: exit code, output, peak RSS (MB).

    A process killed by a signal (an abort) has a negative code and no figures.
    """
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _WRAP.format(root=str(ROOT)), json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        encoding="utf-8",
    )
    lines = proc.stderr.strip().splitlines()
    figures = {"peak_mb": float("nan"), "seconds": time.perf_counter() - t0}
    if lines and lines[-1].startswith("{"):
        figures = json.loads(lines[-1])
        lines = lines[:-1]
    return Run(proc.returncode, proc.stdout, "\n".join(lines), **figures)


# --- a raw .xlsx: any dimension claim, any cells ---------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def col_letters(n: int) -> str:
    """Letters of the 1-based column ``n``."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def raw_xlsx(path: Path, dimension: str, cells: list[tuple[int, int, object]]) -> Path:
    """An .xlsx whose sheet claims ``dimension`` and holds ``cells`` (row, col, value), in
    the order given (1-based; text as inline strings)."""
    rows: dict[int, list[str]] = {}
    for r, c, value in cells:
        ref = f"{col_letters(c)}{r}"
        if isinstance(value, str):
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        else:
            cell = f'<c r="{ref}"><v>{value}</v></c>'
        rows.setdefault(r, []).append(cell)
    data = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in rows.items())
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{data}'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path
