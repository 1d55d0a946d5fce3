"""The Qt rendering path: PDF text, page count, a non-blank page, batch outputs, cancel."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest

pytest.importorskip("PySide6.QtGui")
pypdf = pytest.importorskip("pypdf")

from core.base.errors import OutputExists  # noqa: E402
from core.base.progress import Cancelled, Progress  # noqa: E402
from tests.frames import FULL_PHONE, ID, letters  # noqa: E402

# Noto Sans CJK draws some characters with the glyph of a radical; Qt's ToUnicode map
# then names the radical (⼾ for 户, ⻓ for 长). The page looks right; map them back.
RADICALS = str.maketrans({"⻓": "长", "⻅": "见", "⻔": "门", "⻋": "车", "⻚": "页", "⻢": "马"})


def pdf_text(data: bytes) -> list[str]:
    """Text per page: NFKC + radicals mapped back, without spaces or line breaks."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", "", unicodedata.normalize("NFKC", p.extract_text()).translate(
        RADICALS)) for p in reader.pages]  # fmt: skip


def test_pdf_has_names_sums_masked_phone_and_one_page_each(qapp):
    from ui.render.pdf import pdf_bytes

    ls = letters()
    pages = pdf_text(pdf_bytes(ls))
    assert len(pages) == len(ls)
    first = pages[0]
    assert "张三五金店" in first and "138****5678" in first
    assert "59.99" in first and ls[0].values["月费变化"].replace(" ", "") in first
    assert ls[0].values["年费变化"].replace(" ", "") in first
    assert "很长很长" in pages[2]  # the long name wraps, nothing lost
    for text in pages:
        assert FULL_PHONE not in text and ID not in text
        assert "□" not in text[:3]  # sanity: text extracted, not boxes


def test_sheets_fit_one_page_and_have_tick_boxes(qapp):
    from ui.render.pdf import pdf_bytes

    ls = letters("反馈表")
    pages = pdf_text(pdf_bytes(ls))
    assert len(pages) == len(ls)
    # the printed options are the import's, in its words (core.campaign.values.CLOSED)
    assert all(o in pages[0] for o in ("已成交", "未见到", "合约未到期", "换号麻烦", "现场活动"))
    assert "办理渠道" not in pages[0] and "换号成本" not in pages[0] and "签字" not in pages[0]


def test_page_image_is_not_blank(qapp):
    from ui.render.pdf import render_image

    image = render_image(letters()[0], dpi=40)
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 128)  # fmt: skip
    assert dark > 200  # text and table lines are there


def test_generate_outputs_no_overwrite_and_cancel(qapp, tmp_path):
    from ui.render.generate import generate

    ls = letters()
    out = generate(ls, tmp_path, "建议书", ("pdf", "docx"), combined=True, parallel=False)
    names = sorted(p.name for p in out.folder.iterdir())
    assert len(names) == 2 * len(ls) and names[0] == "001_张三五金店_5678.docx"
    assert out.combined.name == "客户建议书_合并打印.pdf"
    assert len(pypdf.PdfReader(out.combined).pages) == len(ls)
    assert max(p.stat().st_size for p in out.files if p.suffix == ".pdf") < 100_000
    with pytest.raises(OutputExists, match="已存在"):
        generate(ls, tmp_path, "建议书", ("pdf",))
    before = {p: p.stat().st_mtime_ns for p in out.files}
    generate(ls, tmp_path, "建议书", ("pdf",), force=True, parallel=False)

    calls = []

    def cancel_midway(done, total, text):
        calls.append(done)
        if done >= 2:
            progress.cancel()

    progress = Progress(cancel_midway)
    target = tmp_path / "cancelled"
    target.mkdir()
    with pytest.raises(Cancelled):
        generate(ls, target, "反馈表", ("pdf",), combined=True, progress=progress,
                 parallel=False)  # fmt: skip
    assert list(target.iterdir()) == []  # nothing half-written, no staging folder
    assert all(p.exists() for p in before)


def test_parallel_workers_write_the_same_files(qapp, tmp_path, monkeypatch):
    from ui.render import worker
    from ui.render.generate import generate

    monkeypatch.setattr(worker, "MIN_LETTERS", 1)
    monkeypatch.setattr(worker, "CHUNK", 1)
    monkeypatch.setattr(worker.os, "cpu_count", lambda: 2)
    ls = letters()
    out = generate(ls, tmp_path, "建议书", ("pdf",))
    assert len(out.files) == len(ls)
    assert "张三五金店" in pdf_text(out.files[0].read_bytes())[0]


def test_pdf_text_layer_is_exact_with_a_truetype_font(qapp):
    """Copying or searching a letter PDF gives the real text (月, 户, digits), not radicals."""
    from ui.render.pdf import font_family, pdf_bytes

    if font_family().startswith(("Noto", "Source Han")):
        pytest.skip("只有 CFF 字形的中文字体：请安装 fonts-wqy-zenhei（.ci/run 会安装）")
    ls = letters()
    raw = re.sub(r"\s+", "", pypdf.PdfReader(io.BytesIO(pdf_bytes(ls[:1]))).pages[0].extract_text())
    assert "客户建议书" in raw and "月均消费" in raw
    assert not set("⼾⽉⻓") & set(raw)
    assert ls[0].values["推荐套餐"] in raw
    assert ls[0].values["客户名称"] in raw
