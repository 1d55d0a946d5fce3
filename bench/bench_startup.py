"""Bench: time from starting the program to its main window being painted (issue 15).

Targets on this 2-core machine: within 1 s from source, within 3 s for the packaged program.

python bench/bench_startup.py                              # from source (python main.py)
python bench/bench_startup.py --frozen dist/价值金字塔营销助手   # the PyInstaller folder
python bench/bench_startup.py --xvfb                       # a real X server instead of offscreen
python bench/bench_startup.py --importtime                 # what loads before the window

Every run is a new process with a new, empty data folder (a first start: the welcome page).
The program writes the time of the window's first paint event to a file
(JINZITA_PROBE_FILE, see ui/app.py) and quits (JINZITA_PROBE_QUIT=1); the time counted is
from just before the process was created to that paint, so it includes starting Python
(or unpacking nothing: the frozen build is one folder), Qt, the imports and the window.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "价值金字塔营销助手"
HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl")


def command(frozen: Path | None) -> list[str]:
    if frozen is None:
        return [sys.executable, str(ROOT / "main.py")]
    exe = frozen / (APP_NAME + (".exe" if sys.platform == "win32" else ""))
    if not exe.is_file():
        sys.exit(f"找不到 {exe}：请先运行 python packaging/build.py")
    return [str(exe)]


def one_start(cmd: list[str], display: str | None) -> tuple[float, float, str]:
    """Seconds to the first paint, seconds to exit, heavy modules loaded at the paint."""
    with tempfile.TemporaryDirectory(prefix="jinzita-start-") as tmp:
        probe = Path(tmp) / "probe.txt"
        env = {**os.environ, "JINZITA_DATA_DIR": str(Path(tmp) / "data"),
               "JINZITA_PROBE_FILE": str(probe), "JINZITA_PROBE_QUIT": "1"}  # fmt: skip
        if display:
            env["DISPLAY"] = display
            env.pop("QT_QPA_PLATFORM", None)
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"
        started = time.time()
        proc = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, timeout=120)
        ended = time.time()
        if proc.returncode != 0 or not probe.exists():
            sys.exit(
                f"程序没有正常启动（退出码 {proc.returncode}）：{proc.stderr.decode()[-2000:]}"
            )
        _, stamp, _pid, heavy = probe.read_text(encoding="utf-8").split()[:4]
        return float(stamp) - started, ended - started, heavy


def start_xvfb() -> tuple[subprocess.Popen, str]:
    if shutil.which("Xvfb") is None:
        sys.exit(
            "没有 Xvfb：apt-get install -y xvfb xauth libxcb-cursor0 …（见 ../shared/NOTES.md）"
        )
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24",
                               "-nolisten", "tcp"], pass_fds=(write,))  # fmt: skip
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    return server, f":{number}"


def importtime() -> None:
    """Modules imported on the way to the window (from source), slowest first."""
    code = "import ui.app, ui.main_window, ui.single_instance"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit():
            rows.append((int(cumulative), name.rstrip()))
    top = [(us, name) for us, name in rows if not name.startswith("  ")]
    print("窗口模块（ui.app、ui.main_window、ui.single_instance）载入时间，最慢的 10 个顶层模块：")
    for us, name in sorted(top, reverse=True)[:10]:
        print(f"  {us / 1000:7.1f} ms  {name.strip()}")
    names = {name.strip() for _, name in rows}
    loaded = [m for m in HEAVY if m in names]
    print(f"打开窗口前载入的重型模块：{'、'.join(loaded) if loaded else '无'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=Path, metavar="DIR", help="打包出的程序文件夹")
    parser.add_argument("--runs", type=int, default=7, help="启动次数（默认 7，另有 1 次预热）")
    parser.add_argument("--xvfb", action="store_true", help="在 Xvfb 上显示（默认 offscreen）")
    parser.add_argument("--importtime", action="store_true", help="只看打开窗口前载入了什么")
    args = parser.parse_args()
    if args.importtime:
        importtime()
        return 0
    cmd = command(args.frozen.resolve() if args.frozen else None)
    server, display = start_xvfb() if args.xvfb else (None, None)
    try:
        cold = one_start(cmd, display)  # the first start after a build or boot reads from disk
        runs = [one_start(cmd, display) for _ in range(args.runs)]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    shown = [r[0] for r in runs]
    where = "打包程序" if args.frozen else "源代码"
    screen = f"Xvfb {display}" if display else "offscreen"
    print(f"{where}（{screen}，{os.cpu_count()} 核）：从启动进程到窗口第一次绘制")
    print(f"  预热那一次 {cold[0]:.2f} 秒；之后 {args.runs} 次：中位数 {statistics.median(shown):.2f} 秒，"
          f"最快 {min(shown):.2f} 秒，最慢 {max(shown):.2f} 秒")  # fmt: skip
    print(
        f"  进程退出（关窗口、等后台载入结束）中位数 {statistics.median(r[1] for r in runs):.2f} 秒"
    )
    heavy = {r[2] for r in runs}
    print(f"  第一次绘制时已载入（含后台预载线程）：{'；'.join(sorted(heavy))}")
    target = 3.0 if args.frozen else 1.0
    print(f"  目标 {target:.0f} 秒以内：{'达到' if max(shown) <= target else '没有达到'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
