"""Write a batch of letters: one PDF (and/or DOCX) per customer and a combined print PDF.

Layout of the campaign folder ``out``::

    out/客户建议书/001_雷记五金店（崔欣辉）_0698.pdf   (.docx)
    out/客户建议书_合并打印.pdf

Everything is written into a hidden staging folder inside ``out`` and moved into place
only when the whole batch succeeded, so a cancelled or failed run leaves no file behind
(and never half of an overwritten batch). Existing files are refused unless ``force``.
Runs on a worker thread (QPdfWriter/QPainter on a non-GUI thread is supported).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import OutputExists, OutputFailed
from core.letters import KIND_TITLES, Letter
from core.progress import Progress

FORMATS = ("pdf", "docx")


@dataclass
class Outputs:
    folder: Path  # the per-customer files
    files: list[Path] = field(default_factory=list)
    combined: Path | None = None

    @property
    def count(self) -> int:
        return len(self.files) + (1 if self.combined else 0)


def plan(letters: list[Letter], out: Path, kind: str, formats: tuple[str, ...],
         combined: bool) -> Outputs:  # fmt: skip
    title = KIND_TITLES.get(kind, kind)
    folder = Path(out) / title
    result = Outputs(folder)
    for letter in letters:
        for fmt in formats:
            result.files.append(folder / f"{letter.stem}.{fmt}")
    if combined:
        result.combined = Path(out) / f"{title}_合并打印.pdf"
    return result


def existing(outputs: Outputs) -> list[Path]:
    targets = [*outputs.files, *([outputs.combined] if outputs.combined else [])]
    return [p for p in targets if p.exists()]


def check_outputs(outputs: Outputs, force: bool) -> None:
    found = existing(outputs)
    if found and not force:
        more = f"等 {len(found)} 个文件" if len(found) > 1 else ""
        raise OutputExists(
            f"输出文件已存在：{found[0]}{more}。",
            "请换一个输出文件夹，或确认覆盖（命令行加 --force）。",
        )


def generate(
    letters: list[Letter],
    out: str | Path,
    kind: str,
    formats: tuple[str, ...] = ("pdf",),
    combined: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    parallel: bool = True,
) -> Outputs:
    """Write the files; returns where they are. Raises Cancelled / OutputExists / OutputFailed.

    Per-customer PDFs of a large batch are written by worker processes (``parallel``).
    """
    from ui.render.pdf import ensure_app, font_family, letter_page, pdf_writer, write_pdf
    from ui.render.worker import worker_count, write_pdfs_parallel

    progress = progress or Progress()
    formats = tuple(f for f in FORMATS if f in formats)
    out = Path(out)
    outputs = plan(letters, out, kind, formats, combined)
    check_outputs(outputs, force)
    try:
        outputs.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFailed(f"无法创建文件夹：{outputs.folder}（{exc.strerror}）",
                           "请换一个保存位置。") from exc  # fmt: skip
    ensure_app()
    title = KIND_TITLES.get(kind, kind)
    steps = len(letters) * (len(formats) + (1 if combined else 0))
    progress.start(steps, f"正在生成{title}…")
    stage = Path(tempfile.mkdtemp(prefix=".~生成中_", dir=out))
    try:
        pages = [letter_page(letter) for letter in letters]
        for page in pages:
            page.title = f"{title} {page.title}"
        staged: list[tuple[Path, Path]] = []
        if "docx" in formats:
            from core.docx_out import write_docx

            for letter in letters:
                progress.check()
                tmp = stage / f"{letter.stem}.docx"
                write_docx(tmp, [letter])
                staged.append((tmp, outputs.folder / tmp.name))
                progress.advance()
        if "pdf" in formats:
            jobs = [(page, stage / f"{letter.stem}.pdf") for page, letter in zip(
                pages, letters, strict=True)]  # fmt: skip
            workers = worker_count(len(jobs)) if parallel else 0
            if workers >= 1:

                def after_chunk(n: int) -> None:
                    progress.advance(n)
                    progress.check()

                progress.check()
                write_pdfs_parallel(jobs, workers, font_family(), after_chunk)
            else:
                for page, tmp in jobs:
                    progress.check()
                    write_pdf(tmp, [page], title=page.title)
                    progress.advance()
            staged += [(tmp, outputs.folder / tmp.name) for _, tmp in jobs]
        if combined and outputs.combined is not None:
            progress.stage("正在生成合并打印文件…")
            tmp = stage / "合并打印.pdf"
            writer = pdf_writer(tmp, title)
            from ui.render.pdf import draw_letters

            def step(_letter, _doc) -> None:
                progress.check()
                progress.advance()

            try:
                draw_letters(writer, pages, each=step)
            finally:
                del writer
            staged.append((tmp, outputs.combined))
        progress.check()
        for src, dst in staged:  # the batch is complete: move it into place
            try:
                os.replace(src, dst)
            except PermissionError as exc:
                raise OutputFailed(f"无法写入 {dst.name}：文件可能正在被其他程序打开。",
                                   "请先关闭该文件（例如 PDF 阅读器），然后重试。") from exc  # fmt: skip
            with contextlib.suppress(OSError):
                os.chmod(dst, 0o644)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            if outputs.folder.exists() and not any(outputs.folder.iterdir()):
                outputs.folder.rmdir()
    return outputs
