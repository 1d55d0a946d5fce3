"""Bench: 1,000 proposal letters — per-customer PDFs, the combined print PDF, memory, size.

    python bench/bench_letters.py [--letters 1000] [--keep] [--no-baseline]

The customers are the sample list (resources/示例客户清单.xlsx) repeated to the wanted
count. The work runs in a child process so peak memory can be measured: the child's
own peak RSS and the largest PDF worker process it started (workers run at the same
time, so the total is roughly child + workers × worker).

Targets: 1,000 per-customer PDFs ≤ 20 s, combined PDF of 1,000 letters ≤ 6 s,
peak memory ≤ 400 MB, each per-customer PDF ≤ 100 KB.

Baseline for comparison (same script, 20 letters): docxtpl renders a .docx per letter,
then LibreOffice converts the 20 files to PDF in one call. Skipped with a message when
docxtpl or soffice is not installed (``pip install docxtpl``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"per_file_s": 20.0, "combined_s": 6.0, "peak_mb": 400.0, "max_pdf_kb": 100.0}
TODAY = dt.date(2026, 11, 20)


def customers(n: int):
    import pandas as pd

    from core.importing import import_file

    base = import_file(ROOT / "resources" / "示例客户清单.xlsx").customers
    reps = -(-n // len(base))
    frame = pd.concat([base] * reps, ignore_index=True).iloc[:n].copy()
    frame["name"] = [f"{name}{i // len(base) or ''}" for i, name in enumerate(frame["name"])]
    return frame


def child(n: int, out: Path) -> dict:
    from core.base import Progress, Settings
    from core.documents import build_letters, select
    from core.marketing import make_offers
    from ui.render.generate import generate
    from ui.render.pdf import ensure_app

    ensure_app()
    settings = Settings(branch="中国电信某某县分公司", staff_name="王磊", staff_phone="13900001111")
    t0 = time.perf_counter()
    offers = select(make_offers(customers(n * 2), today=TODAY)).iloc[:n]
    letters = build_letters(offers, "建议书", settings=settings, today=TODAY)
    t_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    files = generate(letters, out / "each", "建议书", ("pdf",), progress=Progress())
    t_each = time.perf_counter() - t0
    sizes = [p.stat().st_size for p in files.files]

    t0 = time.perf_counter()
    comb = generate(letters, out / "combined", "建议书", (), combined=True)
    t_comb = time.perf_counter() - t0

    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    from ui.render.worker import worker_count

    return {
        "letters": len(letters),
        "build_s": t_build,
        "per_file_s": t_each,
        "combined_s": t_comb,
        "max_pdf_kb": max(sizes) / 1024,
        "mean_pdf_kb": sum(sizes) / len(sizes) / 1024,
        "combined_mb": comb.combined.stat().st_size / 1024 / 1024,
        "child_mb": self_mb,
        "worker_mb": kids_mb,
        "workers": worker_count(len(letters)),
    }


DOCXTPL_TEXT = [
    "客户建议书",
    "尊敬的{{ name }}：",
    "您好！您当前使用{{ package }}，月均消费 {{ spend }} 元。我们为您推荐{{ offer }}，"
    "每月 {{ fee }} 元，{{ pitch }}。",
    "改用后{{ change }}，{{ change_year }}。",
    "优惠有效期至 {{ valid }}。",
    "中国电信某某县分公司　客户经理：王磊　电话：13900001111",
]


def baseline(n: int, out: Path) -> dict | str:
    """docxtpl + LibreOffice for n letters; a message string if it cannot run."""
    try:
        from docx import Document
        from docxtpl import DocxTemplate
    except ImportError:
        return "未安装 docxtpl（pip install docxtpl），跳过对比基线。"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return "未找到 LibreOffice（soffice），跳过对比基线。"
    from core.documents import build_letters, select
    from core.marketing import make_offers

    tpl_path = out / "tpl.docx"
    doc = Document()
    for line in DOCXTPL_TEXT:
        doc.add_paragraph(line)
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, cells in enumerate([("项目", "现在", "推荐"), ("月费", "{{ spend }}", "{{ fee }}"),
                               ("流量", "{{ data }}", "{{ offer_data }}")]):  # fmt: skip
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    doc.save(tpl_path)
    offers = select(make_offers(customers(n * 2), today=TODAY)).iloc[:n]
    letters = build_letters(offers, "建议书", today=TODAY)
    docx_dir = out / "docx"
    docx_dir.mkdir()
    t0 = time.perf_counter()
    for letter in letters:
        v = letter.values
        tpl = DocxTemplate(tpl_path)
        tpl.render({"name": v["客户名称"], "package": v["当前套餐"], "spend": v["月均消费"],
                    "offer": v["推荐套餐"], "fee": v["套餐月费"], "pitch": v["一句话卖点"],
                    "change": v["月费变化"], "change_year": v["年费变化"], "valid": v["有效期至"],
                    "data": v["月均流量"], "offer_data": v["套餐流量"]})  # fmt: skip
        tpl.save(docx_dir / f"{letter.stem}.docx")
    t_docx = time.perf_counter() - t0
    pdf_dir = out / "pdf"
    t0 = time.perf_counter()
    profile = tempfile.mkdtemp(prefix="lo_profile_")
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "pdf", "--outdir", str(pdf_dir), *map(str, sorted(docx_dir.glob("*.docx")))],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        return f"LibreOffice 转换失败（{exc}），跳过对比基线。"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    t_pdf = time.perf_counter() - t0
    return {"letters": n, "docx_s": t_docx, "convert_s": t_pdf,
            "per_letter_s": (t_docx + t_pdf) / n,
            "pdfs": len(list(pdf_dir.glob("*.pdf")))}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--baseline-letters", type=int, default=20)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the output folder")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(child(args.letters, Path(args.child))))
        return 0
    if args.baseline_child:
        print(json.dumps(baseline(args.baseline_letters, Path(args.baseline_child))))
        return 0

    out = Path(tempfile.mkdtemp(prefix="bench_letters_"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    try:
        res = subprocess.run([sys.executable, __file__, "--letters", str(args.letters),
                              "--child", str(out / "main")], env=env, check=True,
                             capture_output=True, text=True)  # fmt: skip
        r = json.loads(res.stdout.strip().splitlines()[-1])
        peak = r["child_mb"] + r["workers"] * r["worker_mb"]
        print(f"客户建议书 {r['letters']} 份（{os.cpu_count()} 核，{r['workers']} 个 PDF 子进程）")
        print(f"  组装内容                 {r['build_s']:6.2f} s")
        ok = "✓" if r["per_file_s"] <= TARGETS["per_file_s"] else "✗"
        print(
            f"  每位客户一个 PDF         {r['per_file_s']:6.2f} s  "
            f"({r['letters'] / r['per_file_s']:.0f} 份/s)  目标 ≤ 20 s {ok}"
        )
        ok = "✓" if r["combined_s"] <= TARGETS["combined_s"] else "✗"
        print(
            f"  合并打印 PDF             {r['combined_s']:6.2f} s  "
            f"({r['letters'] / r['combined_s']:.0f} 份/s, {r['combined_mb']:.1f} MB)  "
            f"目标 ≤ 6 s {ok}"
        )
        ok = "✓" if r["max_pdf_kb"] <= TARGETS["max_pdf_kb"] else "✗"
        print(
            f"  单个 PDF 大小            最大 {r['max_pdf_kb']:.0f} KB，平均 "
            f"{r['mean_pdf_kb']:.0f} KB  目标 ≤ 100 KB {ok}"
        )
        ok = "✓" if peak <= TARGETS["peak_mb"] else "✗"
        print(
            f"  峰值内存                 主进程 {r['child_mb']:.0f} MB + {r['workers']} × "
            f"子进程 {r['worker_mb']:.0f} MB ≈ {peak:.0f} MB  目标 ≤ 400 MB {ok}"
        )
        if not args.no_baseline:
            (out / "baseline").mkdir(exist_ok=True)
            res = subprocess.run([sys.executable, __file__, "--baseline-letters",
                                  str(args.baseline_letters), "--baseline-child",
                                  str(out / "baseline")], env=env, capture_output=True,
                                 text=True)  # fmt: skip
            try:
                b = json.loads(res.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                b = f"基线运行失败：{res.stderr.strip()[-300:]}"
            if isinstance(b, str):
                print(f"对比基线：{b}")
            else:
                ours = r["per_file_s"] / r["letters"]
                print(
                    f"对比基线 docxtpl + LibreOffice，{b['letters']} 份：docx {b['docx_s']:.2f} s"
                    f" + 转 PDF {b['convert_s']:.2f} s = {b['per_letter_s']:.3f} s/份"
                    f"（本程序 {ours:.3f} s/份，快 {b['per_letter_s'] / ours:.0f} 倍）"
                )
    except subprocess.CalledProcessError as exc:
        print(exc.stderr, file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"输出保留在 {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
