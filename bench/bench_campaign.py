"""Bench: campaigns and visits (issue 14).

    python bench/bench_campaign.py [--files 20] [--visits 1000] [--campaigns 20]
                                   [--customers 10000] [--keep DIR]

1. Import: one campaign of files × visits customers; ``files`` filled 走访记录 workbooks of
   ``visits`` rows each (one per visitor), imported with ``visits-import`` in one command;
   then the same files again (all duplicates).
2. Results: ``campaigns`` campaign files of ``customers`` customers each (one per county,
   about 40 % visited), combined with ``results A B C … --by branch``.

The timed steps run the real command (``python main.py …``) in a child process, so the
figures include start-up, as a user or a script sees them; the in-process call is timed too.
Targets: the 20 × 1,000 import < 30 s, results over 20 × 10,000 < 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMPORT_TARGET_S = 30.0
RESULTS_TARGET_S = 10.0
TODAY = dt.date(2026, 12, 2)
INTENTS = ["已成交", "有意向", "考虑中", "无意向", "未见到"]
WEIGHTS = [0.15, 0.25, 0.25, 0.2, 0.15]


def make_campaign(path: Path, n: int, seed: int, branch: str) -> None:
    from bench.bench_report import synthetic_customers
    from core.campaign import Campaign, CampaignInfo
    from core.marketing import default_catalog, default_scheme, make_offers

    customers = synthetic_customers(n, seed=seed)
    offers = make_offers(customers, default_scheme(), default_catalog())
    info = CampaignInfo(
        name=f"{branch}扫场", branch=branch, staff=tuple(f"员工{i}" for i in range(20))
    )
    Campaign.create(path, offers, info, force=True).close()


def write_filled(path: Path, rows: list[list]) -> None:
    """A filled 走访记录 workbook as staff return it (header row 1, one visit a row)."""
    import openpyxl

    from core.campaign import VISIT_HEADERS

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("走访记录")
    ws.append(list(VISIT_HEADERS))
    for row in rows:
        ws.append(row)
    wb.save(path)


def visit_rows(customers: list, visitor: str, rng: random.Random) -> list[list]:
    rows = []
    for c in customers:
        intent = rng.choices(INTENTS, WEIGHTS)[0]
        if intent == "已成交" and not c.offer_package:  # no band, no offer: a sale names a package
            intent = "有意向"
        day = TODAY - dt.timedelta(days=rng.randint(1, 40))
        follow = day + dt.timedelta(days=rng.randint(3, 20)) if intent in INTENTS[1:3] else None
        fee = f"{c.offer_fee:.0f}元" if intent == "已成交" and c.offer_fee else None
        rows.append([
            c.key, c.name, c.shown_phone(), c.band, c.offer_package, day, visitor,
            rng.choice(["上门", "电话", "微信", "现场活动"]),
            "否" if intent == "未见到" else rng.choice(["是", "否"]), intent,
            c.offer_package if intent == "已成交" else None, fee,
            rng.choice([None, None, "价格", "信号", "价格、换号麻烦"]), None, None, follow,
        ])  # fmt: skip
    return rows


def run(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"命令失败（{proc.returncode}）：{' '.join(args)}\n{proc.stderr}")
    return elapsed, proc.stdout


def bench_import(folder: Path, n_files: int, n_visits: int) -> dict:
    from core.campaign import Campaign

    camp = folder / "导入.jzt"
    t0 = time.perf_counter()
    make_campaign(camp, n_files * n_visits, seed=1, branch="城东分公司")
    create_s = time.perf_counter() - t0
    rng = random.Random(5)
    with Campaign.open(camp, readonly=True) as c:
        customers = c.customers()
    files = []
    for i in range(n_files):
        path = folder / f"员工{i}.xlsx"
        write_filled(
            path, visit_rows(customers[i * n_visits : (i + 1) * n_visits], f"员工{i}", rng)
        )
        files.append(str(path))
    first_s, out = run("visits-import", str(camp), *files, "--json")
    first = json.loads(out)
    again_s, out = run("visits-import", str(camp), *files, "--json")
    again = json.loads(out)
    export_s, _ = run("visits-export", str(camp), "--out", str(folder / "走访表.xlsx"), "--force")
    return {
        "customers": n_files * n_visits, "files": n_files, "visits_per_file": n_visits,
        "create_s": round(create_s, 2), "import_s": round(first_s, 2),
        "imported": first["imported"], "again_s": round(again_s, 2),
        "duplicates": again["duplicates"], "export_s": round(export_s, 2),
        "file_mb": round(camp.stat().st_size / 1e6, 1),
    }  # fmt: skip


def bench_results(folder: Path, n_campaigns: int, n_customers: int) -> dict:
    from core.campaign import Campaign, combined_results

    paths = []
    t0 = time.perf_counter()
    for i in range(n_campaigns):
        path = folder / f"县{i:02d}.jzt"
        make_campaign(path, n_customers, seed=100 + i, branch=f"第{i + 1}县分公司")
        rng = random.Random(i)
        with Campaign.open(path) as c:
            customers = [x for x in c.customers() if rng.random() < 0.4]
        filled = folder / f"县{i:02d}走访.xlsx"
        write_filled(filled, visit_rows(customers, f"员工{i % 20}", rng))
        with Campaign.open(path) as c:
            c.import_visits([filled], today=TODAY)
        paths.append(str(path))
    setup_s = time.perf_counter() - t0
    start = time.perf_counter()
    combined = combined_results(paths, by="branch", today=TODAY)
    inproc_s = time.perf_counter() - start
    cli_s, out = run("results", *paths, "--by", "branch", "--json", "--today", TODAY.isoformat())
    data = json.loads(out)
    band_s, _ = run("results", *paths, "--by", "band", "--today", TODAY.isoformat())
    assert data["total"]["planned"] == combined.total.planned == n_campaigns * n_customers
    return {
        "campaigns": n_campaigns, "customers_each": n_customers,
        "visits": sum(f.visited for _, f in combined.rows()[:-1]),
        "setup_s": round(setup_s, 1), "results_inprocess_s": round(inproc_s, 2),
        "results_cli_s": round(cli_s, 2), "results_by_band_cli_s": round(band_s, 2),
        "signed": data["total"]["signed"], "revenue_change": data["total"]["revenue_change"],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--campaigns", type=int, default=20)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        imp = bench_import(folder, args.files, args.visits)
        print(
            f"导入：{imp['files']} 个走访表 × {imp['visits_per_file']:,} 条走访"
            f"（活动 {imp['customers']:,} 位客户，{imp['file_mb']} MB）："
            f"visits-import 一条命令 {imp['import_s']} 秒，导入 {imp['imported']:,} 条；"
            f"同样的文件再导入一次 {imp['again_s']} 秒，{imp['duplicates']:,} 条重复、0 条新增"
        )
        print(
            f"      新建活动 {imp['create_s']} 秒；visits-export 导出 {imp['customers']:,} 位客户的"
            f"走访表 {imp['export_s']} 秒"
        )
        res = bench_results(folder, args.campaigns, args.customers)
        print(
            f"统计：{res['campaigns']} 个活动文件 × {res['customers_each']:,} 位客户"
            f"（已走访 {res['visits']:,} 位）：results --by branch {res['results_cli_s']} 秒"
            f"（命令，含启动），进程内 {res['results_inprocess_s']} 秒；--by band "
            f"{res['results_by_band_cli_s']} 秒；准备数据 {res['setup_s']} 秒"
        )
        ok = imp["import_s"] < IMPORT_TARGET_S and res["results_cli_s"] < RESULTS_TARGET_S
        print(
            f"{'达标' if ok else '未达标'}（目标：导入 < {IMPORT_TARGET_S:.0f} 秒，"
            f"统计 < {RESULTS_TARGET_S:.0f} 秒）"
        )
        print(json.dumps({"import": imp, "results": res}, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
