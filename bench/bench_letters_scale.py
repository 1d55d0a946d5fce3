"""Bench: ``proposals --combined`` on 1,000 and 10,000 customers, as a user runs it.

    python bench/bench_letters_scale.py [--sizes 1000,10000] [--keep]

For each size a CSV shaped like the public telco churn list (bench/telco_like.py) is
written and ``python main.py proposals LIST --out DIR --combined`` runs in its own
process. The script polls the process tree every 0.1 s and prints wall time, the
program's peak RSS (main process) and the peak of main + PDF worker processes together,
the exit code (an abort at exit shows here), the files written and the combined PDF's
page count. Goal: the 10,000-letter run's peak within 1.5× of the 1,000-letter run's.
Needs psutil and pypdf (installed with the test extras).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pypdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from telco_like import write_telco_like  # noqa: E402


def run(n: int, work: Path) -> dict:
    src = write_telco_like(work / f"telco_{n}.csv", n)
    out = work / f"out_{n}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, str(ROOT / "main.py"), "proposals", str(src), "--out", str(out),
           "--combined"]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    main = psutil.Process(proc.pid)
    peak_main = peak_all = 0
    while proc.poll() is None:
        try:
            rss_main = main.memory_info().rss
            rss_all = rss_main + sum(c.memory_info().rss for c in main.children(recursive=True))
        except psutil.Error:
            rss_main = rss_all = 0
        peak_main, peak_all = max(peak_main, rss_main), max(peak_all, rss_all)
        time.sleep(0.1)
    wall = time.perf_counter() - start
    _, err = proc.communicate()
    files = list((out / "客户建议书").glob("*.pdf")) if (out / "客户建议书").is_dir() else []
    combined = out / "客户建议书_合并打印.pdf"
    pages = len(pypdf.PdfReader(combined).pages) if combined.exists() else 0
    return {"n": n, "wall": wall, "peak_main": peak_main / 2**20, "peak_all": peak_all / 2**20,
            "code": proc.returncode, "files": len(files), "pages": pages,
            "err": err.decode("utf-8", "replace").strip()[-300:]}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--keep", action="store_true", help="keep the lists and letters")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    results = []
    try:
        print(f"proposals --combined（{os.cpu_count()} 核；内存每 0.1 秒取样）")
        for n in (int(x) for x in args.sizes.split(",")):
            r = run(n, work)
            results.append(r)
            ok = "✓" if r["code"] == 0 and r["files"] == n and r["pages"] == n else "✗"
            print(f"  {n:>6} 份：{r['wall']:6.1f} s（{n / r['wall']:.0f} 份/s），主进程峰值 "
                  f"{r['peak_main']:.0f} MB，连同 PDF 子进程 {r['peak_all']:.0f} MB，退出码 "
                  f"{r['code']}，PDF {r['files']} 个，合并文件 {r['pages']} 页 {ok}")  # fmt: skip
            if r["code"]:
                print(f"    stderr：{r['err']}")
        if len(results) >= 2:
            a, b = results[0], results[-1]
            ratio = b["peak_main"] / a["peak_main"]
            ok = "✓" if ratio <= 1.5 else "✗"
            print(f"  峰值内存 {b['n']} 份 / {a['n']} 份 = {ratio:.2f}×（目标 ≤ 1.5×）{ok}；"
                  f"连同子进程 {b['peak_all'] / a['peak_all']:.2f}×")  # fmt: skip
    finally:
        if args.keep:
            print(f"文件保留在 {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r["code"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
