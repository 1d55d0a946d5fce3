"""A full sheet (header + 1,048,575 customer rows, Excel's limit) through ``inspect --json``,
and the stray-cell files of issue 18, each in a fresh process: seconds and peak memory.

    python bench/bench_huge_sheet.py [--rows 1048575]

The big file is built once (cached in bench/out/, a few minutes) from tools/synth.py's
messy rows, streamed into the sheet 100,000 at a time. Targets (issue 18): the full sheet
≤ 60 s and ≤ 2 GB; the 5 KB file with a value at XFD1048576 in seconds and < 200 MB; the
320-customer sample with a value at AP1048576 < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CHUNK = 100_000

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from ui.cli.main import run_cli
t0 = time.perf_counter()
with open({out!r}, "w", encoding="utf-8") as fh:
    sys.stdout = fh
    code = run_cli(["inspect", {path!r}, "--json"])
    sys.stdout = sys.__stdout__
seconds = time.perf_counter() - t0
with open("/proc/self/status") as fh:  # VmHWM: this program's peak resident memory
    peak = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
print(json.dumps({{"code": code, "seconds": seconds, "peak_mb": peak}}))
"""


def build(rows: int) -> Path:
    sys.path.insert(0, str(ROOT))
    import openpyxl

    from tools.synth import BENCH_HEADERS, make_list

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"huge_{rows}.xlsx"
    if path.exists():
        return path
    t0 = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("客户清单")
    ws.append(BENCH_HEADERS)
    id_col = BENCH_HEADERS.index("客户编号")
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        part = make_list(max(n, 20), seed=1000 + done, messy=True, headers=BENCH_HEADERS)
        for row in part.rows[:n]:  # the synthetic list's own title and totals rows left out
            row = [None if v == "" else v for v in row]
            row[id_col] = f"KH{done:09d}"
            ws.append(row)
            done += 1
        print(f"  已写 {done:,} 行", flush=True)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    print(f"生成测试文件 {path.name}：{time.perf_counter() - t0:.0f} 秒", flush=True)
    return path


def small_files(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT))
    from tests.bad_files import corner_xlsx, sample_with_stray

    return {
        "5 KB 清单，XFD1048576 有一个值": corner_xlsx(folder / "角落.xlsx"),
        "示例清单（320 位客户），AP1048576 有一个值": sample_with_stray(folder / "多余.xlsx"),
    }


def measure(path: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "inspect.json"
        code = CHILD.format(root=str(ROOT), path=str(path), out=str(out))
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"code": proc.returncode, "seconds": wall, "peak_mb": float("nan")}
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["wall"] = wall
        if result["code"] == 0:
            summary = json.loads(out.read_text(encoding="utf-8"))
            result["rows"] = summary["rows"]
            result["customers"] = summary["customers"]
            result["problems"] = len(summary["problems"])
        return result


def report(label: str, r: dict, seconds: float, mb: float) -> None:
    ok = r["code"] == 0 and r["wall"] <= seconds and r["peak_mb"] <= mb
    found = (
        f"，数据行 {r['rows']:,}，可分档客户 {r['customers']:,}，问题 {r['problems']:,}"
        if "rows" in r
        else ""
    )
    print(
        f"{label}：退出码 {r['code']}，{r['wall']:.1f} 秒（含启动），峰值内存 {r['peak_mb']:.0f} MB"
        f"{found}  目标 ≤ {seconds:g} 秒、≤ {mb:g} MB {'✓' if ok else '✗'}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_048_575)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in small_files(Path(tmp)).items():
            limit = 200 if "5 KB" in label else 300
            report(label, measure(path), 10, limit)
    path = build(args.rows)
    size = path.stat().st_size / 1e6
    report(f"整张工作表（{args.rows:,} 行 × 10 列，{size:.0f} MB）", measure(path), 60, 2048)


if __name__ == "__main__":
    main()
