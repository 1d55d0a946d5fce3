"""Letters at real scale: no lost references, a dead worker ends the run, no leftovers."""

from __future__ import annotations

import datetime as dt
import sys
import time

import pandas as pd
import pytest

from tests.paths import ROOT

pytest.importorskip("PySide6.QtGui")
psutil = pytest.importorskip("psutil")

from core.base.errors import OutputFailed  # noqa: E402
from core.base.progress import Progress  # noqa: E402
from tests.processes import kill_a_worker, worker_pids  # noqa: E402

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _survive_a_leaking_binding():
    """With a binding that leaks, fail with the count instead of aborting pytest."""
    from ui.refcounts import protect_singletons

    protect_singletons()


def many_offers(n: int) -> pd.DataFrame:
    """Offers for ``n`` customers: the sample list repeated, names made unique."""
    from core.documents.letters import select
    from core.importing.importer import import_file
    from core.marketing.offers import make_offers

    base = import_file(ROOT / "resources" / "示例客户清单.xlsx").customers
    frame = pd.concat([base] * (-(-2 * n // len(base))), ignore_index=True)
    frame["name"] = [f"{name}{i}" for i, name in enumerate(frame["name"])]
    return select(make_offers(frame, today=TODAY)).iloc[:n]


def many_letters(n: int):
    from core.documents.letters import build_letters

    return build_letters(many_offers(n), "建议书", today=TODAY)


LETTER_PATH_CALLS = {
    # every Qt call the per-letter PDF, the combined PDF and printing make, by object
    "QPdfWriter.setResolution": lambda o: o["writer"].setResolution(1200),
    "QPdfWriter.setCreator": lambda o: o["writer"].setCreator("价值金字塔营销助手"),
    "QPdfWriter.setTitle": lambda o: o["writer"].setTitle("客户建议书"),
    "QPdfWriter.setPageLayout": lambda o: o["writer"].setPageLayout(o["layout"]),
    "QPdfWriter.newPage": lambda o: o["writer"].newPage(),
    "QTextDocument.setHtml": lambda o: o["doc"].setHtml("<p>您好</p>"),
    "QTextDocument.setPageSize": lambda o: o["doc"].setPageSize(o["size"]),
    "QTextDocument.setDefaultFont": lambda o: o["doc"].setDefaultFont(o["font"]),
    "QTextDocument.setDocumentMargin": lambda o: o["doc"].setDocumentMargin(0),
    "QTextDocument.drawContents": lambda o: o["doc"].drawContents(o["painter"], o["rect"]),
    "QPainter.save/restore": lambda o: (o["painter"].save(), o["painter"].restore()),
    "QPainter.translate": lambda o: o["painter"].translate(0.0, 0.0),
    "QPainter.scale": lambda o: o["painter"].scale(1.0, 1.0),
    "QFont.setPointSizeF": lambda o: o["font"].setPointSizeF(10.5),
    "QPrinter.setPageLayout": lambda o: o["printer"].setPageLayout(o["layout"]),
    "QPrinter.setOutputFileName": lambda o: o["printer"].setOutputFileName(o["pdf"]),
    "QPrinter.setDocName": lambda o: o["printer"].setDocName("客户建议书"),
}


def test_no_qt_call_on_the_letter_path_drops_references(qapp, tmp_path):
    """Python 3.11 dies when None's count reaches 0: each call must give back what it takes."""
    from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSizeF
    from PySide6.QtGui import QFont, QImage, QPainter, QPdfWriter, QTextDocument
    from PySide6.QtPrintSupport import QPrinter

    from ui.render.pdf import page_layout

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image = QImage(50, 50, QImage.Format.Format_RGB32)
    objs = {"writer": QPdfWriter(buf), "doc": QTextDocument(), "font": QFont("x"),
            "painter": QPainter(image), "rect": QRectF(0, 0, 10, 10), "size": QSizeF(50, 50),
            "layout": page_layout(), "printer": QPrinter(), "pdf": str(tmp_path / "p.pdf")}  # fmt: skip
    leaks = {}
    try:
        for name, call in LETTER_PATH_CALLS.items():
            call(objs)
            for singleton in (None, True, False):
                before = sys.getrefcount(singleton)
                for _ in range(1000):
                    call(objs)
                lost = before - sys.getrefcount(singleton)
                if lost > 10:
                    leaks[f"{name} ({singleton})"] = lost
    finally:
        objs["painter"].end()
    assert leaks == {}, f"这些 Qt 调用每 1000 次少计引用：{leaks}"


def test_thousand_letters_in_one_process_keep_none_alive(qapp, tmp_path):
    from ui.render.generate import generate

    letters = many_letters(1000)
    before = sys.getrefcount(None)
    out = generate(letters, tmp_path / "combined", "建议书", (), combined=True)
    each = generate(letters[:300], tmp_path / "each", "建议书", ("pdf",), parallel=False)
    lost = before - sys.getrefcount(None)
    assert lost <= 50, f"写 1300 份建议书后 None 少了 {lost} 个引用"
    assert len(each.files) == 300 and all(p.stat().st_size > 10_000 for p in each.files)
    import pypdf

    assert len(pypdf.PdfReader(out.combined).pages) == 1000


def test_a_killed_worker_ends_the_run_with_a_clear_error_and_no_files(qapp, tmp_path):
    from ui.render.generate import generate

    letters = many_letters(400)
    killed: list[int] = []

    def on_progress(done: int, total: int, text: str) -> None:
        if done and not killed:
            pid = kill_a_worker()
            if pid is not None:
                killed.append(pid)

    out = tmp_path / "out"
    start = time.monotonic()
    with pytest.raises(OutputFailed) as err:
        generate(letters, out, "建议书", ("pdf",), combined=True, progress=Progress(on_progress))
    assert killed, "no worker process was started"
    assert time.monotonic() - start < 30
    assert "后台进程意外退出" in err.value.message and "没有留下任何文件" in err.value.message
    assert "重新生成" in err.value.hint
    assert not out.exists()  # no file, no staging folder, not even the folder it made
    assert worker_pids() == []  # no orphan workers left running


def test_cancel_stops_the_workers_and_leaves_nothing(qapp, tmp_path):
    from core.base.progress import Cancelled
    from ui.render.generate import generate

    letters = many_letters(300)
    progress = Progress()
    progress._callback = lambda done, total, text: done and progress.cancel()
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        generate(letters, out, "建议书", ("pdf",), progress=progress)
    assert [p for p in out.rglob("*") if p.is_file()] == []
    assert worker_pids() == []


def test_letter_batch_builds_the_same_letters_on_demand():
    from core.documents.letters import LetterBatch, build_letters

    offers = many_offers(450)
    letters = build_letters(offers, "建议书", today=TODAY)
    batch = LetterBatch(offers, "建议书", today=TODAY)
    assert len(batch) == 450
    assert batch.stems == [letter.stem for letter in letters]
    assert [x.stem for x in batch[200:203]] == [x.stem for x in letters[200:203]]
    assert batch[-1].values == letters[-1].values and batch[0].seq == 1
    assert [x.values["客户名称"] for x in batch] == [x.values["客户名称"] for x in letters]
    assert build_letters(offers.iloc[:5], "建议书", today=TODAY)[4].stem == letters[4].stem


def test_the_installed_binding_does_not_leak_and_the_guard_holds_if_one_does(monkeypatch):
    import ui.refcounts as rc

    assert rc.leaked_per_call() < 0.5  # pyproject.toml keeps PySide6 6.12.0 off Python 3.11
    monkeypatch.setattr(rc, "leaked_per_call", lambda: 1.0)
    before = sys.getrefcount(None)
    protected = rc.protect_singletons.__wrapped__()
    if sys.version_info < (3, 12):
        assert protected and sys.getrefcount(None) - before >= rc.RESERVE
    else:
        assert not protected  # None is immortal there
