"""The roles docs/city-database.md tells IT to make, made exactly so on the test server: a
county's push role builds the schema on its first push, the city's read role reads what
`results FILE…` gives and can change nothing (issue 25)."""

from __future__ import annotations

import json
import os
import secrets

import pytest

from tests.city_helpers import TODAY, city_campaign, table_counts
from ui.cli.main import EXIT_OK, EXIT_USER_ERROR, run_cli

ADMIN_ENV = "JINZITA_TEST_DB_ADMIN"


@pytest.fixture
def city_roles(city_db, tmp_path, monkeypatch):
    """A database set up as section 一 of docs/city-database.md says; yields
    (push URL, read URL, owner URL) with the passwords in a 0600 pgpass file."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    admin = os.environ.get(ADMIN_ENV)
    if not admin:
        pytest.skip("测试数据库不是 tests/pg_cluster.py 启动的（没有管理员连接），跳过角色测试")
    tag = secrets.token_hex(3)
    db, owner, push, reader = (f"jz_{tag}", f"jz_owner_{tag}", f"county_push_{tag}",
                               f"city_reader_{tag}")  # fmt: skip
    passwords = {push: secrets.token_urlsafe(12), reader: secrets.token_urlsafe(12)}
    where = conninfo_to_dict(city_db)
    host, port = where.get("host", "127.0.0.1"), where["port"]
    pgpass = tmp_path / "pgpass"
    fd = os.open(pgpass, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        for role, password in passwords.items():
            fh.write(f"{host}:{port}:{db}:{role}:{password}\n")
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} NOLOGIN")
        conn.execute(f"CREATE DATABASE {db} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0")
        for role, password in passwords.items():
            conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    with psycopg.connect(admin.replace("dbname=postgres", f"dbname={db}"), autocommit=True) as conn:
        conn.execute(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
        conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        conn.execute(f"GRANT CONNECT ON DATABASE {db} TO {push}, {reader}")
        conn.execute(f"GRANT CREATE ON DATABASE {db} TO {push}")
    url = f"postgresql://{{}}@{host}:{port}/{db}"
    try:
        yield url.format(push), url.format(reader), admin.replace("dbname=postgres", f"dbname={db}")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            for role in (push, reader, owner):
                conn.execute(f"DROP ROLE IF EXISTS {role}")


def _grant_reader(owner_url: str, push_url: str, read_url: str) -> None:
    """The read grants of the docs, given after the first push made the schema."""
    import psycopg

    push = push_url.split("//", 1)[1].split("@", 1)[0]
    reader = read_url.split("//", 1)[1].split("@", 1)[0]
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(f"GRANT USAGE ON SCHEMA jinzita TO {reader}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA jinzita TO {reader}")
        conn.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {push} IN SCHEMA jinzita "
                     f"GRANT SELECT ON TABLES TO {reader}")  # fmt: skip


def test_the_documented_roles_push_read_and_refuse(city_roles, tmp_path, capsys):
    push_url, read_url, owner_url = city_roles
    paths = [str(city_campaign(tmp_path / f"县{i}.jzt", n=15, seed=70 + i,
                               branch=f"第{i}县分公司")) for i in range(2)]  # fmt: skip
    assert run_cli(["campaign", "push", *paths, "--db", push_url]) == EXIT_OK  # makes the schema
    _grant_reader(owner_url, push_url, read_url)
    capsys.readouterr()
    day = ["--today", TODAY.isoformat(), "--json", "--by", "branch"]
    assert run_cli(["results", "--db", read_url, *day]) == EXIT_OK
    from_db = json.loads(capsys.readouterr().out)
    assert run_cli(["results", *paths, *day]) == EXIT_OK
    from_files = json.loads(capsys.readouterr().out)
    from_db.pop("files", None), from_files.pop("files", None)
    assert from_db == from_files
    before = table_counts(owner_url)
    extra = city_campaign(tmp_path / "县9.jzt", n=10, seed=79, branch="第9县分公司")
    assert run_cli(["campaign", "push", str(extra), "--db", read_url]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "权限" in err or "只读" in err  # a Chinese reason, not a traceback
    assert table_counts(owner_url) == before  # the read role changed nothing
