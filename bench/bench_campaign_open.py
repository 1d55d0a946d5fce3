"""Bench: what opening a campaign costs for its checks (issue 18).

    python bench/bench_campaign_open.py [--customers 20000] [--visits 5000] [--keep DIR]

Opening a campaign checks the file read-only before anything can write to it: SQLite's
``quick_check`` (damaged pages), then ``store_checks`` (tables, columns and every row hold
what this program writes) and ``decode.meta`` (the description). This times each part,
and a whole ``Campaign.open(readonly=True)``, best of 5, on a campaign of synthetic
customers with visits.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _add_visits(path: Path, n: int) -> None:
    conn = sqlite3.connect(path)
    keys = [r[0] for r in conn.execute("SELECT key FROM customers")]
    rnd = random.Random(18)
    rows = [
        (key, f"2026-11-{rnd.randint(1, 28):02d}", f"员工{rnd.randint(0, 19)}", "上门",
         rnd.choice([0, 1, None]), rnd.choice(["有意向", "考虑中", "无意向", "未见到"]), "",
         None, rnd.choice(["", "价格", "价格、信号"]), "", "", None, "走访表.xlsx", i + 2,
         "2026-12-01T09:00:00")
        for i, key in enumerate(rnd.sample(keys, min(n, len(keys))))
    ]  # fmt: skip
    conn.executemany(
        "INSERT INTO visits (customer_key, visit_date, visitor, method, met, intent, "
        "signed_package, signed_fee, objections, suggestion, competitor, follow_up, source, "
        "source_row, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--visits", type=int, default=5_000)
    parser.add_argument("--keep", metavar="DIR", help="keep the campaign in DIR")
    args = parser.parse_args()

    from bench.bench_campaign import make_campaign
    from core.campaign import Campaign, decode
    from core.campaign.store_checks import check_rows, check_tables

    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench_open_"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"活动_{args.customers}.jzt"
    if not path.exists():
        make_campaign(path, args.customers, 1, "城东")
        _add_visits(path, args.visits)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    quick = _best(lambda: conn.execute("PRAGMA quick_check").fetchall())
    tables = _best(lambda: check_tables(conn, path))
    rows = _best(lambda: check_rows(conn, path))
    meta = _best(lambda: decode.meta(conn.execute("SELECT name, value FROM meta"), path))
    conn.close()
    whole = _best(lambda: Campaign.open(path, readonly=True).close())
    size = path.stat().st_size / 1e6
    print(f"{args.customers:,} 位客户、{args.visits:,} 条走访（{size:.1f} MB）：")
    print(f"  quick_check {quick:.3f} s；表和列 {tables:.4f} s；逐行检查 {rows:.3f} s；"
          f"活动信息 {meta:.4f} s；Campaign.open 合计 {whole:.3f} s")  # fmt: skip


if __name__ == "__main__":
    main()
