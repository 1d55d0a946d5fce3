"""Bench: write the Excel report for 200,000 synthetic customers (with offers).

    python bench/bench_report.py [--rows 200000] [--keep]

The work runs in a child process so its peak memory (RSS) can be measured exactly.
Targets: report writing < 60 s, peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
TARGET_MB = 1024.0


def synthetic_customers(n: int, seed: int = 7):
    """A customer DataFrame shaped like the importer's output, built vectorised."""
    import numpy as np
    import pandas as pd

    from tools.synth import GRIDS, INDUSTRIES, MANAGERS, PACKAGE_WEIGHTS, PACKAGES

    rng = np.random.default_rng(seed)
    weights = np.array(PACKAGE_WEIGHTS) / sum(PACKAGE_WEIGHTS)
    pkg = rng.choice(len(PACKAGES), size=n, p=weights)
    fees = np.array([f for _, f in PACKAGES], dtype="float64")[pkg]
    extra = np.where(rng.random(n) < 0.25, np.round(rng.uniform(0, 0.4, n) * fees, 2), 0.0)
    spend = np.round(fees + extra, 2)
    spend[rng.random(n) < 0.01] = np.nan
    names = np.array(PACKAGES, dtype=object)[:, 0]
    today = pd.Timestamp("2026-11-20")
    join = today - pd.to_timedelta(rng.integers(60, 365 * 15, n), unit="D")
    end = today + pd.to_timedelta(rng.integers(-200, 720, n), unit="D")
    end = end.where(rng.random(n) < 0.6)
    frame = pd.DataFrame(
        {
            "source_row": np.arange(2, n + 2),
            "customer_id": [f"KH{880000000 + i}" for i in range(n)],
            "phone": [f"1{p}" for p in rng.integers(3000000000, 9999999999, n)],
            "name": [f"客户{i:06d}五金商行" for i in range(n)],
            "spend": spend,
            "spend_issue": pd.Series([None] * n, dtype="object"),
            "package": names[pkg],
            "data_gb": np.round(np.maximum(rng.normal(fees / 8, fees / 16), 0), 2),
            "voice_min": np.maximum(rng.normal(fees * 2.2, fees), 0).round(),
            "tenure_months": rng.integers(2, 180, n).astype("float64"),
            "join_date": join,
            "contract_end": end,
            "broadband": np.where(rng.random(n) < 0.4, "有", "无"),
            "industry": np.array(INDUSTRIES, dtype=object)[rng.integers(0, len(INDUSTRIES), n)],
            "market": "城东小商品批发市场",
            "grid": np.array(GRIDS, dtype=object)[rng.integers(0, len(GRIDS), n)],
            "address": [f"城东小商品批发市场A区{i % 40 + 1}排{i % 30 + 1}号" for i in range(n)],
            "manager": np.array(MANAGERS, dtype=object)[rng.integers(0, len(MANAGERS), n)],
            "id_number": [f"33010219800101{i % 10000:04d}" for i in range(n)],
        }
    )
    frame.loc[3, "name"] = '=HYPERLINK("http://example.com","点我")'
    return frame


def child(rows: int, out: Path) -> dict:
    from core.marketing import band_summary, crosstab, default_scheme
    from core.reporting import write_report

    t0 = time.perf_counter()
    customers = synthetic_customers(rows)
    scheme = default_scheme()
    try:
        from core.marketing import make_offers

        t1 = time.perf_counter()
        table = make_offers(customers, scheme)
        offers_s = time.perf_counter() - t1
    except ImportError:  # offers not available: report the plain customer list
        table, offers_s = customers, 0.0
    summary = band_summary(customers, scheme)
    cross = crosstab(customers, scheme, "industry")
    prepare_s = time.perf_counter() - t0
    t2 = time.perf_counter()
    write_report(out, table, summary, scheme, crosstab=cross, by="industry",
                 title="基准测试", force=True)  # fmt: skip
    report_s = time.perf_counter() - t2
    return {
        "rows": rows,
        "columns": table.shape[1],
        "prepare_s": round(prepare_s, 2),
        "offers_s": round(offers_s, 2),
        "report_s": round(report_s, 2),
        "file_mb": round(out.stat().st_size / 1e6, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep the written workbook")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.rows, args.child)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.xlsx"
        proc = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--child", str(out)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode:
            print(proc.stdout, proc.stderr, sep="\n")
            return proc.returncode
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        if args.keep:
            keep = ROOT / "bench" / "report_bench.xlsx"
            keep.write_bytes(out.read_bytes())
            result["kept"] = str(keep)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_mb = peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024
    result["peak_rss_mb"] = round(peak_mb, 1)
    ok = result["report_s"] < TARGET_SECONDS and peak_mb < TARGET_MB
    print(
        f"{result['rows']:,} 位客户 × {result['columns']} 列：写报表 {result['report_s']} 秒"
        f"（准备数据 {result['prepare_s']} 秒，其中推荐套餐 {result['offers_s']} 秒），"
        f"文件 {result['file_mb']} MB，峰值内存 {result['peak_rss_mb']} MB — "
        f"{'达标' if ok else '未达标'}（目标 < {TARGET_SECONDS:.0f} 秒，< {TARGET_MB:.0f} MB）"
    )
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
