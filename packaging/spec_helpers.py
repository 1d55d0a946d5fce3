"""What ``jinzita.spec`` needs besides PyInstaller: names, what to leave out, icon, version.

Imported by the spec (PyInstaller puts nothing of this into the program).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "价值金字塔营销助手"  # the folder and the program users double-click
CLI_NAME = "jinzita"  # the same program with a console, for the headless commands
COMPANY = "县分公司"
ICON_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

# imported only inside functions or by the window another engineer adds: make sure they are in
HIDDEN_IMPORTS = ["PySide6.QtPrintSupport", "PySide6.QtNetwork"]

# Never used by the program; some are pulled in by optional imports of libraries.
EXCLUDES = [
    "tkinter", "_tkinter", "turtle", "idlelib", "pydoc_data", "lib2to3", "test",
    "IPython", "ipykernel", "jupyter_client", "jupyter_core", "notebook", "traitlets",
    "pytest", "_pytest", "hypothesis", "pytestqt", "pypdf", "psutil", "xlwt", "xlsxwriter",
    "msoffcrypto", "cryptography", "import_linter", "importlinter", "grimp", "ruff",
    "setuptools", "pkg_resources", "pip", "wheel", "docutils", "sphinx", "jinja2",
    "scipy", "pyarrow", "sqlalchemy", "tables", "bs4", "html5lib", "numba", "fsspec",
    "matplotlib.backends.backend_qt", "matplotlib.backends.backend_qtagg",
    "matplotlib.backends.backend_qtcairo", "matplotlib.backends.backend_tkagg",
    "matplotlib.backends.backend_tkcairo", "matplotlib.backends.backend_webagg",
    "matplotlib.backends.backend_wx", "matplotlib.backends.backend_wxagg",
    "matplotlib.backends.backend_gtk3agg", "matplotlib.backends.backend_gtk4agg",
    "matplotlib.backends.backend_macosx", "matplotlib.backends.backend_nbagg",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuick3D", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel", "PySide6.QtWebSockets",
    "PySide6.QtWebView", "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DExtras",
    "PySide6.Qt3DInput", "PySide6.Qt3DLogic", "PySide6.Qt3DAnimation", "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio", "PySide6.QtCharts",
    "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtUiTools",
    "PySide6.QtHelp", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvgWidgets",
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSensors", "PySide6.QtSerialPort", "PySide6.QtSerialBus", "PySide6.QtScxml",
    "PySide6.QtStateMachine", "PySide6.QtRemoteObjects", "PySide6.QtTextToSpeech",
    "PySide6.QtHttpServer", "PySide6.QtNetworkAuth", "PySide6.QtAxContainer",
    "PySide6.QtConcurrent", "PySide6.QtXml",
    "pandas.tests", "numpy.tests", "numpy.f2py", "numpy.distutils", "matplotlib.tests",
    "lxml.isoschematron", "openpyxl.tests", "PIL.ImageQt", "PIL.ImageTk",
]  # fmt: skip
# The city database's driver (issue 25, the "server" extra) is never imported at module level;
# the laptops' bundle leaves it out even when the build machine has it, unless asked for
# (JINZITA_BUNDLE_SERVER=1: a build for the machines that push or read the city database).
SERVER_MODULES = ["psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool"]
if os.environ.get("JINZITA_BUNDLE_SERVER") != "1":
    EXCLUDES += SERVER_MODULES


# Qt plugins QtNetwork brings that a program talking only to itself (QLocalSocket) never loads,
# and image formats no letter logo or icon uses (PNG and BMP are built in).
UNUSED_QT_PLUGINS = ("tls", "networkinformation", "qtiff", "qwebp", "qtga", "qwbmp", "qicns")


def app_modules() -> list[str]:
    """Every module of core/ and ui/: commands and core's public names are imported by name
    (importlib), which PyInstaller cannot see."""
    names = []
    for package in ("core", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


DOCS = ROOT / "docs"
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")  # ![说明](images/x.png)


def manual_datas() -> list[tuple[str, str]]:
    """The manuals (docs/*.md) and the pictures they show, as (file, folder) for the spec:
    帮助 → 使用手册 shows docs/用户手册.md, read from beside the program."""
    datas: dict[str, str] = {}
    for md in sorted(DOCS.glob("*.md")):
        datas[str(md)] = "docs"
        for ref in IMAGE_RE.findall(md.read_text(encoding="utf-8")):
            image = (md.parent / ref).resolve()
            if image.is_file() and DOCS in image.parents:
                datas[str(image)] = str(Path("docs") / image.parent.relative_to(DOCS))
    return sorted(datas.items())


def keep_binary(dest: str) -> bool:
    """Leave out the Qt plugins listed in ``UNUSED_QT_PLUGINS`` (a folder or one file)."""
    parts = dest.replace("\\", "/").split("/")
    if "plugins" not in parts[:-1]:
        return True
    stem = parts[-1].split(".")[0].removeprefix("lib")
    return parts[-2] not in UNUSED_QT_PLUGINS and stem not in UNUSED_QT_PLUGINS


def version() -> str:
    """The program's version, from pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def keep_data(dest: str) -> bool:
    """Drop Qt's translations other than Simplified Chinese (the program is Chinese only)."""
    parts = dest.replace("\\", "/").split("/")
    if "translations" in parts[:-1] and parts[-1].endswith(".qm"):
        return parts[-1] in ("qtbase_zh_CN.qm", "qt_zh_CN.qm")
    return True


def make_icon(path: Path) -> Path:
    """A Windows .ico with the app's pyramid drawn by Qt at every size (Pillow packs it)."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    from ui.render.pdf import ensure_app  # offscreen only on Linux without a display
    from ui.widgets.icons import pyramid_pixmap

    _app = ensure_app()
    images = []
    for size in ICON_SIZES:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        pyramid_pixmap(size).save(buf, "PNG")
        images.append(Image.open(io.BytesIO(bytes(buf.data()))).convert("RGBA"))
    path.parent.mkdir(parents=True, exist_ok=True)
    largest = images[-1]
    largest.save(path, format="ICO", sizes=[(s, s) for s in ICON_SIZES], append_images=images[:-1])
    return path


def version_info(exe_name: str, description: str):
    """Windows version resource (Properties → Details) in Chinese; None elsewhere."""
    if sys.platform != "win32":
        return None  # only .exe files carry one (and pefile is installed only on Windows)
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    text = version()
    numbers = tuple(([int(p) for p in text.split(".") if p.isdigit()] + [0, 0, 0, 0])[:4])
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": description,
        "FileVersion": text,
        "InternalName": exe_name,
        "LegalCopyright": f"{COMPANY} 内部使用",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": text,
    }
    return VSVersionInfo(
        ffi=FixedFileInfo(
            filevers=numbers,
            prodvers=numbers,
            mask=0x3F,
            flags=0x0,
            OS=0x40004,
            fileType=0x1,
            subtype=0x0,
            date=(0, 0),
        ),
        kids=[
            StringFileInfo(
                [StringTable("080404B0", [StringStruct(k, v) for k, v in strings.items()])]
            ),
            VarFileInfo([VarStruct("Translation", [0x0804, 1200])]),  # Simplified Chinese
        ],
    )


def resources_next_to_the_program(app_dir: Path) -> None:
    """Move resources/ and docs/ out of _internal/ so users find the catalog, templates,
    fonts folder and the manual next to the program (core.base.resources looks there
    first when frozen; 帮助 → 使用手册 reads docs/用户手册.md from there)."""
    for name in ("resources", "docs"):
        inner = app_dir / "_internal" / name
        outer = app_dir / name
        if inner.is_dir():
            if outer.exists():
                shutil.rmtree(outer)
            shutil.move(str(inner), str(outer))
    (app_dir / "resources" / "fonts").mkdir(exist_ok=True)
