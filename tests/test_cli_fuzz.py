"""Any cell may hold anything: the headless commands end with 0, 1 or 2 and Chinese text.

Small customer lists (xlsx as Excel writes them, or CSV) where every cell may be an odd
value — huge, tiny, negative, infinite numbers, "1e308", "-0", control characters,
300-character names, emoji, formula-like text, blanks, dates out of range — go through
the commands in-process. Never exit 3 (程序内部出错), never a traceback. pytest turns
warnings into errors, so an overflow warning on the way fails here too.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui.cli.main import run_cli

HEADER = ["客户编号", "客户名称", "用户号码", "当前套餐", "月均消费", "月均流量(GB)",
          "月均通话(分钟)", "入网时间", "合约到期", "在网时长(月)", "网格", "行业"]  # fmt: skip
# an ordinary value per column, so most lists have customers to band and write to
NORMAL = [
    st.from_regex(r"KH\d{3}", fullmatch=True),
    st.sampled_from(["张记五金店", "李娜服装", "王强", "赵敏茶叶"]),
    st.integers(13_000_000_000, 19_999_999_999).map(str),
    st.sampled_from(["畅享59元套餐", "5G畅享129元套餐", "畅享39元套餐", "未知套餐"]),
    st.floats(0, 500).map(lambda x: round(x, 2)),
    st.floats(0, 80).map(lambda x: round(x, 1)),
    st.integers(0, 2000),
    st.dates(dt.date(2000, 1, 1), dt.date(2026, 1, 1)),
    st.dates(dt.date(2025, 1, 1), dt.date(2030, 1, 1)),
    st.integers(0, 300),
    st.sampled_from(["一网格", "二网格", "三网格"]),
    st.sampled_from(["五金", "服装", "餐饮"]),
]
ODD_NUMBERS = [1e308, -1e308, 1e-308, 5e-324, -0.0, 1e28, 1e25, 1e15, 1_000_000.01, -12.5,
               2**63, -(2**63)]  # fmt: skip
ODD_TEXTS = [
    "1e308", "-1e308", "1e309", "-0", "inf", "-inf", "nan", "NaN", "1e-400", "0x1F",
    "１２８元", "1,2,3", "¥-0.00", "=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")',
    "+1+2", "-3+4", "@SUM(A1:A2)", "\x07", "张\x07三", "李_x0007_四", "a\x00b", "\x1b[31m",
    "名" * 300, "😀", "👨\u200d👩\u200d👧", "\u200b", "\u3000", " ", "", "—", "暂无", "#N/A",
    "0000-00-00", "9999-12-31", "1899-12-31", "2019-02-30", "99999999", "20191340",
    "1.38E+10", "$\\frac{$", "a$b$c", "<b>粗</b>", "&amp;", "\\", '"', "合计", "注：",
]  # fmt: skip
ODD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_NUMBERS),
    st.integers(-(10**20), 10**20),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=12),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)),
)


def _row(odd: bool) -> st.SearchStrategy[list]:
    cells = [st.one_of(ODD, normal) if odd else normal for normal in NORMAL]
    return st.tuples(*cells).map(list)


# (file kind, rows): up to 3 rows where any cell may be odd, up to 2 ordinary ones, mixed
customer_lists = st.tuples(
    st.sampled_from(["xlsx", "csv"]),
    st.tuples(st.lists(_row(True), min_size=1, max_size=3), st.lists(_row(False), max_size=2))
    .map(lambda t: t[0] + t[1])
    .flatmap(st.permutations),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_cell(v: object) -> object:
    """A value as Excel itself would store it: no inf/NaN numbers, control characters
    escaped as _x0007_, dates Excel can hold (others as the text a user typed)."""
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return str(v)
    if isinstance(v, int) and abs(v) >= 2**53:
        return str(v)
    if isinstance(v, str):
        return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", v)
    if isinstance(v, dt.date) and not dt.date(1900, 3, 1) <= _as_date(v) <= dt.date(9999, 12, 31):
        return v.isoformat()
    return v


def _as_date(v: dt.date) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


def write_list(folder: Path, kind: str, rows: list[list]) -> Path:
    if kind == "xlsx":
        path = folder / "客户清单.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(HEADER)
        for row in rows:
            ws.append([_excel_cell(v) for v in row])
        wb.save(path)
        return path
    path = folder / "客户清单.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return path


CJK = re.compile(r"[\u4e00-\u9fff]")


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = run_cli(argv)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _not_json(name: str) -> None:
    raise AssertionError(f"{name} is not valid JSON")


def check(argv: list[str], capsys, appdata: Path) -> int:
    code, out, err = run(argv, capsys)
    assert code in (0, 1, 2), f"{argv[0]} exit {code}: {err}"
    assert "Traceback" not in err and "程序内部出错" not in err
    if code:
        assert CJK.search(err), f"{argv[0]} exit {code} without a Chinese message: {err!r}"
    elif argv[-1] == "--json":
        json.loads(out, parse_constant=_not_json)  # scripts read it: no NaN, no Infinity
    else:
        assert CJK.search(out)
    assert not (appdata / "crash.log").exists()
    return code


FUZZ = settings(
    max_examples=16,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def appdata(monkeypatch, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz_appdata")
    monkeypatch.setenv("JINZITA_DATA_DIR", str(path))
    return path


@FUZZ
@given(data=customer_lists)
def test_reading_commands_never_crash(data, capsys, appdata):
    kind, rows = data
    folder = Path(tempfile.mkdtemp(prefix="fuzz_"))
    try:
        path = str(write_list(folder, kind, rows))
        check(["inspect", path, "--json"], capsys, appdata)
        check(["inspect", path], capsys, appdata)
        check(["segment", path, "--by", "grid"], capsys, appdata)
        check(["segment", path, "--quantiles", "3", "--json"], capsys, appdata)
        check(["segment", path, "--pareto", "80"], capsys, appdata)
        if check(["offers", path, "--out", str(folder / "推荐.xlsx")], capsys, appdata) == 0:
            assert (folder / "推荐.xlsx").stat().st_size > 0
        check(["offers", path, "--json"], capsys, appdata)
        if check(["report", path, "--by", "industry", "--out", str(folder / "报表.xlsx")],
                 capsys, appdata) == 0:  # fmt: skip
            assert openpyxl.load_workbook(folder / "报表.xlsx").sheetnames[-1] == "导入问题"
        for chart in ("pyramid", "pareto"):
            out = folder / f"{chart}.png"
            if check(["chart", path, "--kind", chart, "--out", str(out)], capsys, appdata) == 0:
                assert out.read_bytes()[:4] == b"\x89PNG"
        check(["chart", path, "--kind", "crosstab", "--by", "grid", "--out",
               str(folder / "热力图.svg")], capsys, appdata)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(FUZZ, max_examples=10)
@given(data=customer_lists)
def test_letters_never_crash(data, capsys, appdata, qapp):
    kind, rows = data
    folder = Path(tempfile.mkdtemp(prefix="fuzz_"))
    try:
        path = str(write_list(folder, kind, rows))
        out = folder / "建议书"
        code = check(["proposals", path, "--out", str(out), "--format", "both", "--combined"],
                     capsys, appdata)  # fmt: skip
        if code == 0:
            files = list((out / "客户建议书").iterdir())
            assert files and len({f.suffix for f in files}) == 2
        check(["sheets", path, "--out", str(folder / "反馈表"), "--format", "docx"],
              capsys, appdata)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- any file at all: random bytes, cut workbooks, far cells, repeat bombs, any name ---------

MEMORY_CEILING_MB = 700  # the worker holds pandas already (~150 MB); a dense far block is GBs

far_cells = st.lists(
    st.tuples(
        st.integers(1, 1_048_576),
        st.integers(1, 16_384),
        st.sampled_from(["x", "", 88, "13800138000"]),
    ),
    max_size=4,
)
claims = st.sampled_from(["A1:C3", "A1:XFD1048576", "A1", "XFD1048576", "B2:A1", "A0:ZZZZ9"])
# an .ods row: empty rows and cells repeated freely (they cost nothing), a value repeated
# a little (data, however far out) or beyond any laptop (refused before it is expanded)
ods_rows = st.lists(
    st.tuples(
        st.integers(1, 1_048_576),  # empty rows before it
        st.integers(1, 16_384),  # empty cells before the value
        st.one_of(
            st.tuples(st.integers(1, 20), st.integers(1, 20)),  # copies of the value, rows
            st.tuples(st.integers(5_000, 16_384), st.integers(10_000, 1_048_576)),
        ),
        st.sampled_from(["x", 1.5, None]),
    ),
    max_size=3,
)
random_files = st.one_of(
    st.tuples(st.just("bytes"), st.binary(max_size=4000)),
    st.tuples(st.just("cut"), st.integers(1, 99)),
    st.tuples(st.just("far"), claims, far_cells),
    st.tuples(st.just("ods"), ods_rows),
)


class Worker:
    """``tests.cli_worker`` in a child process, its peak memory sampled while it works."""

    def __init__(self, data_dir: Path) -> None:
        import os
        import subprocess
        import sys

        import psutil

        env = {**os.environ, "JINZITA_DATA_DIR": str(data_dir)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.cli_worker"],
            cwd=str(Path(__file__).resolve().parent.parent),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self.ps = psutil.Process(self.proc.pid)

    def run(self, argv: list[str]) -> tuple[dict, float]:
        import threading

        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                try:
                    peak[0] = max(peak[0], self.ps.memory_info().rss)
                except Exception:
                    return
                done.wait(0.005)

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        try:
            self.proc.stdin.write(json.dumps(argv) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        finally:
            done.set()
            watcher.join()
        assert line, f"the process died: exit {self.proc.wait()} on {argv}"
        return json.loads(line), peak[0] / 2**20

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    w = Worker(tmp_path_factory.mktemp("worker_data"))
    yield w
    w.close()


def _random_file(folder: Path, spec: tuple, suffix: str, base: bytes) -> Path:
    from tests.bad_files import ods_cell, ods_row, raw_xlsx, write_ods

    path = folder / f"文件{suffix}"
    kind = spec[0]
    if kind == "bytes":
        path.write_bytes(spec[1])
    elif kind == "cut":
        path.write_bytes(base[: len(base) * spec[1] // 100])
    elif kind == "far":
        cells = [(1, 1, "用户号码"), (1, 2, "月均消费"), (2, 1, "13800138000"), (2, 2, 88)]
        raw_xlsx(path, spec[1], cells + list(spec[2]))
    else:
        rows = [ods_row([ods_cell("用户号码"), ods_cell("月均消费")])]
        for empty, gap, (copies, repeat), value in spec[1]:
            rows.append(ods_row([ods_cell(repeat=16_384)], empty))
            rows.append(ods_row([ods_cell(repeat=gap), ods_cell(value, repeat=copies)], repeat))
        write_ods(path, {"客户": rows})
    return path


@settings(FUZZ, max_examples=30)
@given(spec=random_files, suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv", ".et"]))
def test_any_file_never_kills_the_process(worker, spec, suffix):
    from tests.import_helpers import write_messy_xlsx

    folder = Path(tempfile.mkdtemp(prefix="fuzz_file_"))
    try:
        base = write_messy_xlsx(folder / "base.xlsx").read_bytes()
        path = _random_file(folder, spec, suffix, base)
        answer, peak_mb = worker.run(["inspect", str(path), "--json"])
        code, err = answer["code"], answer["err"]
        assert code in (0, 1, 2), f"exit {code}: {err}"
        assert "Traceback" not in err and "程序内部出错" not in err
        if code:
            assert CJK.search(err), err
        else:
            json.loads(answer["out"], parse_constant=_not_json)
        assert peak_mb < MEMORY_CEILING_MB, f"{peak_mb:.0f} MB for {spec[0]}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
