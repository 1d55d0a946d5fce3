"""The city database from the command line (issue 25): campaign push, results --db and
report --db give what the files give; errors are Chinese and never show a password."""

from __future__ import annotations

import json
import os
import stat
import sys

import openpyxl
import pytest

from tests.city_helpers import TODAY, city_campaign
from ui.cli.main import EXIT_INTERNAL, EXIT_OK, EXIT_USER_ERROR, run_cli

PASSWORD_ENV = "JINZITA_TEST_DB_PASSWORD"


@pytest.fixture(scope="module")
def counties(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counties")
    return [city_campaign(folder / f"县{i}.jzt", n=25, seed=30 + i, branch=f"第{i}县分公司")
            for i in range(3)]  # fmt: skip


def _out(capsys) -> tuple[str, str]:
    got = capsys.readouterr()
    return got.out, got.err


def _with_password(url: str, password: str) -> str:
    return url.replace("jinzita@", f"jinzita:{password}@", 1)


def test_push_twice_then_results_equal_the_files(counties, city_db, capsys):
    assert run_cli(["campaign", "push", *map(str, counties), "--db", city_db]) == EXIT_OK
    out, _ = _out(capsys)
    assert out.count("新加入城市数据库") == 3
    assert run_cli(["campaign", "push", str(counties[0]), "--db", city_db]) == EXIT_OK
    assert "没有变化" in _out(capsys)[0]
    for by in ("branch", "band", "staff", "plan", "tag", "day", "origin"):
        args = ["results", "--by", by, "--today", TODAY.isoformat(), "--json"]
        assert run_cli([*args, *map(str, counties)]) == EXIT_OK
        files = json.loads(_out(capsys)[0])
        assert run_cli([*args, "--db", city_db]) == EXIT_OK
        db = json.loads(_out(capsys)[0])
        assert db.pop("files") == [p.name for p in counties]
        files.pop("files")
        assert db == files, by
    # the text table too, and one county alone
    assert run_cli(["results", "--by", "branch", "--today", "2026-12-02", *map(str, counties)]) == 0
    text_files = _out(capsys)[0]
    assert run_cli(["results", "--by", "branch", "--today", "2026-12-02", "--db", city_db]) == 0
    assert _out(capsys)[0] == text_files
    assert run_cli(["results", "--json", "--today", "2026-12-02", str(counties[1])]) == 0
    one = json.loads(_out(capsys)[0])
    assert run_cli(["results", "--json", "--today", "2026-12-02", "--db", city_db,
                    "--branch", "第1县分公司"]) == EXIT_OK  # fmt: skip
    assert json.loads(_out(capsys)[0])["total"] == one["total"]


def _cells(path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}


def test_report_from_the_database_equals_the_file_report(counties, city_db, tmp_path, capsys):
    assert run_cli(["campaign", "push", str(counties[2]), "--db", city_db]) == EXIT_OK
    from_file, from_db = tmp_path / "文件.xlsx", tmp_path / "数据库.xlsx"
    assert run_cli(["report", "--campaign", str(counties[2]), "--out", str(from_file)]) == 0
    assert run_cli(["report", "--db", city_db, "--branch", "第2县分公司",
                    "--out", str(from_db)]) == EXIT_OK  # fmt: skip
    assert "含走访结果" in _out(capsys)[0]
    assert _cells(from_db) == _cells(from_file)
    assert run_cli(["report", "--db", city_db, "--campaign", "县2",
                    "--out", str(tmp_path / "按名字.xlsx")]) == EXIT_OK  # fmt: skip
    assert run_cli(["report", "--db", city_db, "--branch", "第9县分公司",
                    "--out", str(tmp_path / "x.xlsx")]) == EXIT_USER_ERROR  # fmt: skip
    assert "没有单位“第9县分公司”" in _out(capsys)[1]


def test_wrong_uses_say_what_to_do(counties, capsys, monkeypatch):
    monkeypatch.delenv("JINZITA_DB", raising=False)
    cases = [
        (["results", "--db"], "没有指定城市数据库"),
        (["results", "--db", "mysql://x/y"], "应以 postgresql:// 开头"),
        (["results", str(counties[0]), "--db", "postgresql://a@b/c"], "不再给出营销活动文件"),
        (["results", str(counties[0]), "--branch", "城东"], "--branch 只能与 --db 一起用"),
        (["results"], "请给出营销活动文件"),
        (["campaign", "push", str(counties[0]), "--db", "postgresql://a@b/c?sslmode=maybe"],
         "sslmode 只能是"),
    ]  # fmt: skip
    for args, words in cases:
        assert run_cli(args) == EXIT_USER_ERROR, args
        assert words in _out(capsys)[1], args


def test_without_the_driver_commands_say_how_to_install_it(counties, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on a laptop without the extra
    url = "postgresql://jinzita@127.0.0.1:5432/jinzita"
    for args in (["campaign", "push", str(counties[0]), "--db", url],
                 ["results", "--db", url], ["report", "--db", url, "--out", "r.xlsx"]):  # fmt: skip
        assert run_cli(args) == EXIT_USER_ERROR
        err = _out(capsys)[1]
        assert "需要 PostgreSQL 驱动 psycopg" in err and 'pip install -e ".[server]"' in err


def _password() -> str:
    """The test role's password (tests/pg_cluster.py exports it with the cluster it starts)."""
    if not os.environ.get(PASSWORD_ENV):
        pytest.skip(
            f"{PASSWORD_ENV} 没有设置（测试数据库不是 tests/pg_cluster.py 启动的），跳过密码的测试"
        )
    return os.environ[PASSWORD_ENV]


def _written_files() -> list:
    folder = os.environ["JINZITA_DATA_DIR"]
    return [os.path.join(d, f) for d, _dirs, files in os.walk(folder) for f in files]


def test_the_password_is_never_shown_or_written(counties, city_db, tmp_path, capsys,
                                                monkeypatch):  # fmt: skip
    password = _password()
    monkeypatch.delenv("PGPASSFILE")  # only the URL or the settings file can give it now
    good = _with_password(city_db, password)
    assert run_cli(["campaign", "push", str(counties[0]), "--db", good]) == EXIT_OK
    seen = "".join(_out(capsys))
    assert "→ postgresql://jinzita@127.0.0.1" in seen and password not in seen
    # a wrong password, an unreachable server, TLS asked of a server without it
    wrong = _with_password(city_db, "Wrong-Secret-42")
    port = city_db.split(":")[2].split("/")[0]
    cases = [(wrong, "Wrong-Secret-42", "用户名或密码不对"),
             (_with_password(city_db.replace(port, "1"), password), password, "连不上"),
             (good + "?sslmode=require", password, "加密连接（TLS）")]  # fmt: skip
    for url, secret, words in cases:
        assert run_cli(["results", "--db", url]) == EXIT_USER_ERROR
        err = _out(capsys)[1]
        assert words in err and secret not in err, err
    # the JINZITA_DB variable's password is not in --help either
    monkeypatch.setenv("JINZITA_DB", good)
    with pytest.raises(SystemExit):
        run_cli(["results", "--help"])
    with pytest.raises(SystemExit):
        run_cli(["campaign", "push", "--help"])
    assert password not in "".join(_out(capsys))
    # a crash in the middle of a push: crash.log has the traceback, not the password
    from core.campaign import store_pg_push

    def broken(*_args, **_kw):
        raise RuntimeError("测试注入的内部错误")

    monkeypatch.setattr(store_pg_push, "push_rows", broken)
    assert run_cli(["campaign", "push", str(counties[1])]) == EXIT_INTERNAL
    assert password not in "".join(_out(capsys))
    logs = _written_files()
    assert any(p.endswith("crash.log") for p in logs)
    for path in logs:
        with open(path, encoding="utf-8", errors="replace") as fh:
            assert password not in fh.read(), path


def test_settings_file_keeps_the_password_private(city_db, counties, capsys, monkeypatch):
    from core.campaign import city_settings, save_city_settings

    password = _password()
    monkeypatch.delenv("PGPASSFILE")
    path = save_city_settings(city_db, password)
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert city_settings() == {"url": city_db, "password": password}
    # the settings' URL and password are used when --db has no value
    assert run_cli(["campaign", "push", str(counties[0]), "--db"]) == EXIT_OK
    assert password not in "".join(_out(capsys))
    # a password in the URL is never written into the settings file
    save_city_settings(_with_password(city_db, "InUrl-999"))
    assert "InUrl-999" not in path.read_text(encoding="utf-8")
    if sys.platform != "win32":  # a password others can read is not used
        save_city_settings(city_db, password)
        path.chmod(0o644)
        assert run_cli(["results", "--db"]) == EXIT_USER_ERROR
        assert "chmod 600" in _out(capsys)[1]
