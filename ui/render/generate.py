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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.base import OutputExists, OutputFailed, Progress, check_folder, folder_failed, staging_dir
from core.documents import KIND_TITLES, Letter

FORMATS = ("pdf", "docx")


@dataclass
class Outputs:
    folder: Path  # the per-customer files
    files: list[Path] = field(default_factory=list)
    combined: Path | None = None

    @property
    def count(self) -> int:
        return len(self.files) + (1 if self.combined else 0)


def stems_of(letters: Sequence[Letter]) -> list[str]:
    """The file stems of the letters (a LetterBatch knows them without building letters)."""
    stems = getattr(letters, "stems", None)
    return list(stems) if stems is not None else [letter.stem for letter in letters]


def plan(letters: Sequence[Letter], out: Path, kind: str, formats: tuple[str, ...],
         combined: bool) -> Outputs:  # fmt: skip
    title = KIND_TITLES.get(kind, kind)
    folder = Path(out) / title
    result = Outputs(folder)
    for stem in stems_of(letters):
        for fmt in formats:
            result.files.append(folder / f"{stem}.{fmt}")
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
    letters: Sequence[Letter],
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
    from ui.render.pdf import ensure_app

    progress = progress or Progress()
    formats = tuple(f for f in FORMATS if f in formats)
    out = Path(out)
    outputs = plan(letters, out, kind, formats, combined)
    check_outputs(outputs, force)
    check_folder(out)
    check_folder(outputs.folder)
    ensure_app()
    title = KIND_TITLES.get(kind, kind)
    steps = len(letters) * (len(formats) + (1 if combined else 0))
    progress.start(steps, f"正在生成{title}…")
    try:
        with staging_dir(out) as stage:
            staged = _write_staged(letters, stage, outputs, title, formats, parallel, progress)
            progress.check()
            _move_into_place(staged)
    finally:
        with contextlib.suppress(OSError):
            if outputs.folder.exists() and not any(outputs.folder.iterdir()):
                outputs.folder.rmdir()
    return outputs


GROUP = 200  # letters built, laid out and written together: memory stays one group's


def _write_staged(letters: Sequence[Letter], stage: Path, outputs: Outputs, title: str,
                  formats: tuple[str, ...], parallel: bool,
                  progress: Progress) -> list[tuple[Path, Path]]:  # fmt: skip
    """Write every file into ``stage`` in one pass; (staged file, final place) pairs.

    The letters are taken ``GROUP`` at a time (a ``LetterBatch`` builds them only then):
    each group's Word files, its per-customer PDFs (handed to the worker processes) and
    its pages of the combined print file.
    """
    from ui.render.pdf import LetterPainter, font_family, letter_page, pdf_writer
    from ui.render.worker import CHUNK, PdfPool, worker_count

    def after_chunk(n: int) -> None:
        progress.advance(n)
        progress.check()

    def each(_i: int, _doc: object) -> None:
        progress.check()
        progress.advance()

    staged: list[tuple[Path, Path]] = []
    workers = worker_count(len(letters)) if parallel and "pdf" in formats else 0
    writer = pdf_writer(stage / "合并打印.pdf", title) if outputs.combined else None
    try:
        with contextlib.ExitStack() as stack:
            pool = stack.enter_context(PdfPool(workers, font_family(), after_chunk))
            combined = stack.enter_context(LetterPainter(writer)) if writer else None
            for start in range(0, len(letters), GROUP):
                progress.check()
                group = letters[start : start + GROUP]
                pages = [letter_page(letter) for letter in group]
                for page in pages:
                    page.title = f"{title} {page.title}"
                if "docx" in formats:
                    staged += _write_docx(group, stage, outputs.folder, progress)
                if "pdf" in formats:
                    paths = [stage / f"{letter.stem}.pdf" for letter in group]
                    for i in range(0, len(group), CHUNK):
                        pool.submit(list(zip(pages[i : i + CHUNK], paths[i : i + CHUNK],
                                             strict=True)))  # fmt: skip
                    staged += [(path, outputs.folder / path.name) for path in paths]
                if combined is not None:
                    combined.add(pages, each)
            pool.finish()
    finally:
        del writer  # closes the combined file
    if outputs.combined is not None:
        staged.append((stage / "合并打印.pdf", outputs.combined))
    return staged


def _write_docx(letters: list[Letter], stage: Path, folder: Path,
                progress: Progress) -> list[tuple[Path, Path]]:  # fmt: skip
    from core.documents import write_docx

    staged = []
    for letter in letters:
        progress.check()
        tmp = stage / f"{letter.stem}.docx"
        write_docx(tmp, [letter])
        staged.append((tmp, folder / tmp.name))
        progress.advance()
    return staged


def _move_into_place(staged: list[tuple[Path, Path]]) -> None:
    """The batch is complete: move each staged file to its final name."""
    for src, dst in staged:
        try:
            os.replace(src, dst)
        except PermissionError as exc:
            raise OutputFailed(f"无法写入 {dst.name}：文件可能正在被其他程序打开。",
                               "请先关闭该文件（例如 PDF 阅读器），然后重试。") from exc  # fmt: skip
        except OSError as exc:
            raise folder_failed(dst.parent, exc) from exc
        with contextlib.suppress(OSError):
            os.chmod(dst, 0o644)
