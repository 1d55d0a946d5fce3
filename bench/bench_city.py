"""Bench: the city database (issue 25).

    python bench/bench_city.py [--counties 20] [--customers 10000] [--keep DIR]

``counties`` campaign files of ``customers`` customers each (about 40 % visited, in one
transaction per file) are pushed one after another into a PostgreSQL database with the
real command (``python main.py campaign push F --db URL``, so each figure includes the
program's start-up); then every file again (nothing changes); then ``results --db --by
branch`` next to ``results`` over the same .jzt files (both commands, both ``--json``,
checked equal). The database is JINZITA_TEST_DB when set (emptied first), else a
throw-away cluster started with tests/pg_cluster.py (PostgreSQL's binaries needed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TODAY = dt.date(2026, 12, 2)
INTENTS = ["已成交", "有意向", "考虑中", "无意向", "未见到"]
WEIGHTS = [0.15, 0.25, 0.25, 0.2, 0.15]


def make_county(path: Path, n: int, seed: int, branch: str) -> int:
    """A county's campaign with about 40 % of its customers visited; the visits made."""
    from bench.bench_campaign import make_campaign
    from core.campaign import MANUAL, Campaign, Visit

    make_campaign(path, n, seed, branch)
    rng = random.Random(seed)
    made = 0
    with Campaign.open(path) as campaign:
        store = campaign._store
        with store.transaction():
            for c in campaign.customers():
                if rng.random() >= 0.4:
                    continue
                intent = rng.choices(INTENTS, WEIGHTS)[0]
                day = TODAY - dt.timedelta(days=rng.randint(1, 40))
                visit = Visit(visit_date=day, visitor=f"员工{rng.randint(0, 19)}", intent=intent,
                              met=rng.random() < 0.6,
                              signed_package=c.offer_package if intent == "已成交" else "",
                              signed_fee=c.offer_fee if intent == "已成交" else None,
                              objections=rng.choice([(), (), ("价格",), ("信号",)]))  # fmt: skip
                store.insert_visit(c.key, visit, MANUAL, None)
                made += 1
    return made


def run(*args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"命令失败（{proc.returncode}）：{' '.join(args)}\n{proc.stderr}")
    return elapsed, proc.stdout


def database() -> tuple[str, Path | None]:
    """The URL of an empty database, and the cluster folder to stop (None: not ours)."""
    from city_helpers import empty_database
    from pg_cluster import ENV_URL, start

    if os.environ.get(ENV_URL):
        empty_database(os.environ[ENV_URL])
        return os.environ[ENV_URL], None
    cluster = Path(tempfile.mkdtemp(prefix="jz-pg-bench-"))  # the server's user reaches it
    os.environ.update(start(cluster))
    return os.environ[ENV_URL], cluster


def bench(folder: Path, url: str, n_counties: int, n_customers: int) -> dict:
    paths, visits = [], 0
    t0 = time.perf_counter()
    for i in range(n_counties):
        path = folder / f"县{i:02d}.jzt"
        visits += make_county(path, n_customers, seed=200 + i, branch=f"第{i + 1:02d}县分公司")
        paths.append(str(path))
    setup_s = time.perf_counter() - t0
    push_s = [run("campaign", "push", p, "--db", url)[0] for p in paths]
    again_s = [run("campaign", "push", p, "--db", url)[0] for p in paths]
    today = TODAY.isoformat()
    db_s, db_out = run("results", "--db", url, "--by", "branch", "--json", "--today", today)
    files_s, files_out = run("results", *paths, "--by", "branch", "--json", "--today", today)
    from_db, from_files = json.loads(db_out), json.loads(files_out)
    from_db.pop("files"), from_files.pop("files")
    assert from_db == from_files, "results --db 与 results 文件的结果不同"
    assert from_db["total"]["planned"] == n_counties * n_customers
    return {"counties": n_counties, "customers_each": n_customers, "visits": visits,
            "setup_s": round(setup_s, 1), "push_s": [round(s, 2) for s in push_s],
            "push_total_s": round(sum(push_s), 1), "again_total_s": round(sum(again_s), 1),
            "results_db_s": round(db_s, 2), "results_files_s": round(files_s, 2)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the campaign files in this folder")
    args = parser.parse_args()
    from pg_cluster import stop

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        url, cluster = database()
        try:
            res = bench(folder, url, args.counties, args.customers)
        finally:
            if cluster is not None:
                stop(cluster)
    pushes = "、".join(f"{s:.1f}" for s in res["push_s"])
    print(f"推送：{res['counties']} 个县 × {res['customers_each']:,} 位客户（共 {res['visits']:,} 条走访），"
          f"每个县一条 campaign push 命令（含启动）：{pushes} 秒；合计 {res['push_total_s']} 秒")  # fmt: skip
    print(f"再推送一遍（没有变化）：合计 {res['again_total_s']} 秒")
    print(f"统计 --by branch：results --db {res['results_db_s']} 秒；results {res['counties']} 个文件 "
          f"{res['results_files_s']} 秒（两者 JSON 相同）；准备数据 {res['setup_s']} 秒")  # fmt: skip
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
