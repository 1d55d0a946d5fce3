"""Any cell may hold anything: the headless commands end with 0, 1 or 2 and Chinese text.

Small customer lists (xlsx as Excel writes them, or CSV) where every cell may be an odd
value — huge, tiny, negative, infinite numbers, "1e308", "-0", control characters,
300-character names, emoji, formula-like text, blanks, dates out of range — go through
the commands in-process. Never exit 3 (程序内部出错), never a traceback. pytest turns
warnings into errors, so an overflow warning on the way fails here too.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_lists import customer_lists, write_list
from tests.paths import ROOT
from ui.cli.main import run_cli

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
            cwd=str(ROOT),
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
