"""A throw-away PostgreSQL server for the city-database tests (issue 25): Debian's
``postgresql`` package, a cluster in a temp folder (initdb + pg_ctl, as the ``postgres``
user when run as root: initdb refuses root), listening on 127.0.0.1 at a free port, a
login role with a random password (scram-sha-256 over TCP) and a pgpass file (0600).

.ci/run starts one before pytest and exports what ``start`` prints::

    eval "$(python3 tests/pg_cluster.py start /tmp/jz-pg)"   # JINZITA_TEST_DB, PGPASSFILE …
    python3 tests/pg_cluster.py stop /tmp/jz-pg

Without JINZITA_TEST_DB, ``test_url()`` starts one for the test process (stopped at exit)
when the binaries are there, else says why the tests skip. Standard library only.
"""

from __future__ import annotations

import atexit
import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROLE = "jinzita"
DATABASE = "jinzita_test"
ENV_URL = "JINZITA_TEST_DB"
ENV_PASSWORD = "JINZITA_TEST_DB_PASSWORD"  # only the password test embeds it in a URL
ENV_ADMIN = "JINZITA_TEST_DB_ADMIN"  # the superuser over the cluster's socket (role tests)


def binaries() -> Path | None:
    """The newest installed server's bin folder (/usr/lib/postgresql/NN/bin), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name or 0))  # fmt: skip
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(_as_server_user(args), check=True, capture_output=True, text=True,
                          timeout=120, **kw)  # fmt: skip


def start(folder: Path) -> dict[str, str]:
    """Start a cluster in ``folder`` (made if missing); the environment tests need."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("没有安装 PostgreSQL（Debian：apt-get install postgresql）")
    folder = Path(folder)
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
          "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256"])  # fmt: skip
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c full_page_writes=off -c synchronous_commit=off")  # fmt: skip
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
          "-t", "60", "-o", options, "start"])  # fmt: skip
    password = secrets.token_urlsafe(18)
    sql = (f"CREATE ROLE {ROLE} LOGIN PASSWORD '{password}';"
           f"CREATE DATABASE {DATABASE} OWNER {ROLE};")  # fmt: skip
    for statement in sql.split(";")[:-1]:
        _run([str(bin_dir / "psql"), "-h", str(folder), "-p", str(port), "-U", "postgres",
              "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", statement])  # fmt: skip
    pgpass = folder / "pgpass"
    fd = os.open(pgpass, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"127.0.0.1:{port}:*:{ROLE}:{password}\n")
    return {ENV_URL: f"postgresql://{ROLE}@127.0.0.1:{port}/{DATABASE}",
            "PGPASSFILE": str(pgpass), ENV_PASSWORD: password,
            ENV_ADMIN: f"host={folder} port={port} user=postgres dbname=postgres"}  # fmt: skip


def stop(folder: Path) -> None:
    bin_dir = binaries()
    data = Path(folder) / "data"
    if bin_dir is not None and data.is_dir():
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                        "-w", "stop"]), capture_output=True, timeout=60)  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


_started: dict[str, object] = {}


def test_url() -> tuple[str, str]:
    """(the URL of a database the tests may empty, '') or ('', why there is none)."""
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL], ""
    if "error" in _started:
        return "", str(_started["error"])
    if binaries() is None:
        return (
            "",
            "本机没有 PostgreSQL 服务器程序（apt-get install postgresql），跳过城市数据库的测试",
        )
    folder = Path(tempfile.mkdtemp(prefix="jz-pg-"))
    try:
        env = start(folder)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        _started["error"] = f"无法在本机启动临时 PostgreSQL（{str(detail).strip()[:300]}），跳过"
        stop(folder)
        return "", str(_started["error"])
    atexit.register(stop, folder)
    os.environ.update(env)
    return env[ENV_URL], ""


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("用法：python3 tests/pg_cluster.py start|stop 文件夹", file=sys.stderr)
        return 2
    if argv[1] == "stop":
        stop(Path(argv[2]))
        return 0
    began = time.monotonic()
    env = start(Path(argv[2]))
    for name, value in env.items():
        print(f"export {name}='{value}'")
    print(f"# PostgreSQL started in {time.monotonic() - began:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
