"""Import speed and memory: this program vs pandas.read_excel(engine="openpyxl").

    python bench/bench_import.py [--rows 200000]

Builds (once, cached in bench/out/) a messy 200,000-row × 10-column customer list,
then times each reader in fresh child processes (best of ``--repeat`` runs, the usual
way to take out noise from other work on the machine) and reports peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

CHILD_OURS = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from core.importing import import_file
r = import_file({path!r}, remember=False)
t1 = time.perf_counter()
print(json.dumps({{"seconds": t1 - t0, "rows": r.rows, "customers": r.customer_count,
    "problems": len(r.problems),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

CHILD_BASELINE = """
import json, resource, time
t0 = time.perf_counter()
import pandas as pd
df = pd.read_excel({path!r}, engine="openpyxl", header=3)
t1 = time.perf_counter()
print(json.dumps({{"seconds": t1 - t0, "rows": len(df),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def build(rows: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from tools.synth import BENCH_HEADERS, make_list, write_xlsx_fast

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"customers_{rows}.xlsx"
    if not path.exists():
        t0 = time.perf_counter()
        lst = make_list(rows, seed=1, messy=True, headers=BENCH_HEADERS)
        write_xlsx_fast(lst, path)
        print(f"生成测试文件 {path.name}：{time.perf_counter() - t0:.1f} 秒", flush=True)
    return path


def run_child(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="run each reader N times in fresh processes and keep the fastest",
    )
    args = ap.parse_args()
    path = build(args.rows)
    ours = min(
        (run_child(CHILD_OURS.format(root=str(ROOT), path=str(path))) for _ in range(args.repeat)),
        key=lambda r: r["seconds"],
    )
    base = min(
        (run_child(CHILD_BASELINE.format(path=str(path))) for _ in range(args.repeat)),
        key=lambda r: r["seconds"],
    )
    speedup = base["seconds"] / ours["seconds"]
    print(
        f"文件：{path.name}（{args.rows} 行 × 10 列，{path.stat().st_size / 1e6:.1f} MB）；"
        f"每种读取方式各在新进程中运行 {args.repeat} 次，取最快一次"
    )
    print(
        f"本程序导入（读取+识别+清洗）：{ours['seconds']:.2f} 秒，峰值内存 {ours['peak_mb']:.0f} MB，"
        f"数据行 {ours['rows']}，可分档客户 {ours['customers']}，问题 {ours['problems']}"
    )
    print(
        f"pandas.read_excel(openpyxl)：{base['seconds']:.2f} 秒，峰值内存 {base['peak_mb']:.0f} MB"
    )
    print(f"加速比：{speedup:.1f}×（目标 ≥ 8×）；峰值内存目标 < 300 MB")


if __name__ == "__main__":
    main()
