"""A long-lived child process that runs headless commands one at a time, so a fuzz test can
watch each command's memory and survive nothing: an abort or a signal ends the child, and
the test sees it.

    python -m tests.cli_worker       reads one JSON argv per line, answers one JSON line
"""

from __future__ import annotations

import contextlib
import io
import json
import sys


def main() -> None:
    from ui.cli.main import run_cli

    real_out = sys.stdout
    for line in sys.stdin:
        argv = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = run_cli(argv)
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        real_out.write(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}))
        real_out.write("\n")
        real_out.flush()


if __name__ == "__main__":
    main()
