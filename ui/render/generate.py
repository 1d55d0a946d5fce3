"""Write a batch of letters: one PDF (and/or DOCX) per customer and a combined print PDF.

Layout of the campaign folder ``out``::

    out/客户建议书/001_雷记五金店（崔欣辉）_0698.pdf   (.docx)
    out/客户建议书_合并打印.pdf                 (all customers)
    out/客户建议书_高端、中高端_合并打印.pdf     (some bands; a tag; 选中的12位 …)

The print file carries the scope in its name (``scope_label``), so generating band by
band into one folder never asks to overwrite the last band's print file; the window
and the ``proposals``/``sheets`` commands name it the same way.

Everything is written into a hidden staging folder inside ``out`` and moved into place
only when the whole batch succeeded, so a cancelled or failed run leaves no file behind
(and never half of an overwritten batch). Existing files are refused unless ``force``.
Runs on a worker thread (QPdfWriter/QPainter on a non-GUI thread is supported).

A write that fails is never a success: before the run the space the batch needs is
estimated (the first letters made in memory) and compared with the free space; during
it every per-customer file is written with ``os.write`` (errors raised) and the print
file's QFile is checked after every group, since Qt's PDF writer reports nothing. Any
failure is one Chinese OutputFailed naming the folder and the space needed, and the
staging folder, the files and the folders this run made are gone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.base import (
    OutputExists,
    OutputFailed,
    Progress,
    check_folder,
    check_path,
    disk_full,
    free_space,
    fsync_folder,
    make_folders,
    on_disk,
    remove_empty,
    safe_filename,
    staging_dir,
    translate,
)
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


SCOPE_MAX = 16  # characters of a scope in a file name; more bands become "高端等5档"


def scope_label(bands: Sequence[str] = (), all_bands: Sequence[str] = (), tag: str = "",
                selected: int | None = None) -> str:  # fmt: skip
    """Who a batch is for, as its print file names it ("" for every customer).

    ``bands``: the chosen bands (named top band first, in the scheme's order
    ``all_bands``, low→high; all of them is everyone); ``tag``: a tag's name;
    ``selected``: how many customers were picked by hand.
    """
    if selected is not None:
        return f"选中的{selected}位"
    if tag:
        return safe_filename(tag, max_len=SCOPE_MAX)
    chosen = [b for b in dict.fromkeys(str(b).strip() for b in bands) if b]
    order = [str(b) for b in all_bands]
    if not chosen or (order and set(order) <= set(chosen)):
        return ""
    rank = {b: i for i, b in enumerate(order)}
    chosen.sort(key=lambda b: -rank.get(b, -1))  # top band first; unknown ones last
    text = "、".join(chosen)
    if len(text) > SCOPE_MAX:
        text = f"{chosen[0]}等{len(chosen)}档"
    return safe_filename(text, max_len=SCOPE_MAX + 8)


def plan(letters: Sequence[Letter], out: Path, kind: str, formats: tuple[str, ...],
         combined: bool, scope: str = "") -> Outputs:  # fmt: skip
    """Where the files of a batch go; ``scope`` (``scope_label``) names the print file."""
    title = KIND_TITLES.get(kind, kind)
    folder = Path(out) / title
    result = Outputs(folder)
    for stem in stems_of(letters):
        for fmt in formats:
            result.files.append(folder / f"{stem}.{fmt}")
    if combined:
        middle = f"_{scope}" if scope else ""
        result.combined = Path(out) / f"{title}{middle}_合并打印.pdf"
    return result


def existing(outputs: Outputs) -> list[Path]:
    targets = [*outputs.files, *([outputs.combined] if outputs.combined else [])]
    return [p for p in targets if p.exists()]


def check_outputs(outputs: Outputs, force: bool) -> None:
    """Refuse a folder or name the system would refuse, and existing files unless ``force``."""
    check_paths(outputs)
    found = existing(outputs)
    if found and not force:
        more = f"等 {len(found)} 个文件" if len(found) > 1 else ""
        raise OutputExists(
            f"输出文件已存在：{found[0]}{more}。",
            "请换一个输出文件夹，或确认覆盖（命令行加 --force）。",
        )


def check_paths(outputs: Outputs) -> None:
    """Refuse (OutputFailed) a folder where nothing can be saved or a path the system
    refuses: the output folder, and the longest file path (Windows' 259 characters)."""
    check_folder(outputs.folder.parent)
    targets = [*outputs.files, *([outputs.combined] if outputs.combined else [])]
    if targets:
        check_path(max(targets, key=lambda p: len(str(p))))


SAMPLE = 3  # letters rendered in memory to estimate the space a batch needs


def space_needed(letters: Sequence[Letter], formats: tuple[str, ...], combined: bool) -> int:
    """Bytes on the disk the batch will take, from the first letters made in memory."""
    from core.documents import docx_bytes
    from ui.render.pdf import letter_page, pdf_bytes

    n = len(letters)
    sample = list(letters[0:SAMPLE])
    if not sample:
        return 0
    pages = [letter_page(letter) for letter in sample]
    total = 0
    if "pdf" in formats:
        sizes = [len(pdf_bytes([page])) for page in pages]
        total += on_disk(sum(sizes) // len(sizes)) * n
    if "docx" in formats:
        sizes = [len(docx_bytes([letter])) for letter in sample]
        total += on_disk(sum(sizes) // len(sizes)) * n
    if combined:
        first = len(pdf_bytes(pages[:1]))
        per_page = (len(pdf_bytes(pages)) - first) / (len(pages) - 1) if len(pages) > 1 else 0
        total += on_disk(int(first + per_page * (n - 1)))
    return total


def _what(letters: Sequence[Letter], title: str) -> str:
    return f"这 {len(letters):,} 份{title}"


def generate(
    letters: Sequence[Letter],
    out: str | Path,
    kind: str,
    formats: tuple[str, ...] = ("pdf",),
    combined: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    parallel: bool = True,
    then: Callable[[Outputs], object] | None = None,
    scope: str = "",
) -> Outputs:
    """Write the files; returns where they are. Raises Cancelled / OutputExists / OutputFailed.

    Per-customer PDFs of a large batch are written by worker processes (``parallel``).
    Before anything is written the space the batch needs is estimated and compared with
    the free space. ``then(outputs)`` runs once the files are in place (record them in
    a campaign); if it raises, the files of this run are removed (overwritten ones
    restored) and its error propagates. ``scope`` names the print file (see ``plan``). A failed write is one OutputFailed naming the
    folder (and the space needed); nothing of the run is left behind.
    """
    from ui.render.pdf import ensure_app

    progress = progress or Progress()
    formats = tuple(f for f in FORMATS if f in formats)
    out = Path(out)
    outputs = plan(letters, out, kind, formats, combined, scope)
    check_outputs(outputs, force)
    ensure_app()
    title = KIND_TITLES.get(kind, kind)
    need = space_needed(letters, formats, combined)
    free = free_space(out)
    if free is not None and need > free:
        raise disk_full(out, need, _what(letters, title))
    steps = len(letters) * (len(formats) + (1 if combined else 0))
    progress.start(steps, f"正在生成{title}…")
    made = make_folders(outputs.folder)
    try:
        with staging_dir(out) as stage:
            try:
                staged = _write_staged(letters, stage, outputs, title, formats, parallel,
                                       progress)  # fmt: skip
                progress.check()
                moved = _move_into_place(staged, stage / "旧文件")
            except BaseException as exc:
                error = translate(exc, outputs.folder, need, what=_what(letters, title))
                if error is exc:
                    raise
                raise error from exc
            if then is not None:
                try:
                    then(outputs)  # its own error (the campaign's), not a write error here
                except BaseException:
                    _take_back(moved)
                    raise
    except BaseException:
        remove_empty(made)  # the folders this run made; the user's own stay as they were
        raise
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
    from ui.render.pdf import LetterPainter, PdfFile, font_family, letter_page
    from ui.render.worker import CHUNK, PdfPool, worker_count

    def after_chunk(n: int) -> None:
        progress.advance(n)
        progress.check()

    def each(_i: int, _doc: object) -> None:
        progress.check()
        progress.advance()

    staged: list[tuple[Path, Path]] = []
    workers = worker_count(len(letters)) if parallel and "pdf" in formats else 0
    pdf = PdfFile(stage / "合并打印.pdf", title) if outputs.combined else None
    try:
        with contextlib.ExitStack() as stack:
            pool = stack.enter_context(PdfPool(workers, font_family(), after_chunk))
            combined = stack.enter_context(LetterPainter(pdf.writer)) if pdf else None
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
                if combined is not None and pdf is not None:
                    combined.add(pages, each)
                    pdf.check()  # a full disk stops the run now, not after 10,000 letters
            pool.finish()
        if pdf is not None:
            pdf.finish()
    except BaseException:
        if pdf is not None:
            pdf.abandon()
        raise
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


def _move_into_place(staged: list[tuple[Path, Path]],
                     backups: Path) -> list[tuple[Path, Path | None]]:  # fmt: skip
    """The batch is complete: move each staged file to its final name; what was moved.

    All or nothing: if a move fails, the files already moved are taken back. A file being
    overwritten keeps a second name (a hard link) in ``backups`` (inside the staging
    folder, so it goes with it) until the run is over, so ``_take_back`` restores it; a
    disk without hard links (FAT32 USB stick) keeps the new, complete file in that case.
    """
    moved: list[tuple[Path, Path | None]] = []
    try:
        for src, dst in staged:
            old = _keep(dst, backups / str(len(moved))) if dst.exists() else None
            _replace(src, dst, dst.name)
            moved.append((dst, old))
        for folder in {dst.parent for _src, dst in staged}:
            fsync_folder(folder)
    except BaseException:
        _take_back(moved)
        raise
    return moved


def _take_back(moved: list[tuple[Path, Path | None]]) -> None:
    """Undo ``_move_into_place``: new files removed, overwritten ones restored."""
    for dst, old in reversed(moved):
        with contextlib.suppress(OSError):
            if old is not None:
                os.replace(old, dst)
            else:
                dst.unlink(missing_ok=True)


def _keep(path: Path, backup: Path) -> Path | None:
    """A second name for ``path`` (no copy); None where the disk has no hard links."""
    try:
        backup.parent.mkdir(exist_ok=True)
        os.link(path, backup)
    except OSError:
        return None
    return backup


def _replace(src: Path, dst: Path, name: str) -> None:
    try:
        os.replace(src, dst)
    except PermissionError as exc:
        raise OutputFailed(f"无法写入 {name}：文件可能正在被其他程序打开。",
                           "请先关闭该文件（例如 PDF 阅读器），然后重试。") from exc  # fmt: skip
