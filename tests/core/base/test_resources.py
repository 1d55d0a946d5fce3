"""Shipped files are found through core.base.resources only: from source and when frozen."""

from __future__ import annotations

import ast
import sys

from core.base import resources
from tests.paths import ROOT


def test_no_other_module_works_out_where_resources_are():
    offenders = []
    files = [
        ROOT / "main.py",
        *(p for d in ("core", "ui", "tools") for p in (ROOT / d).rglob("*.py")),
    ]
    for path in files:
        if path == ROOT / "core" / "base" / "resources.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # a path built with "resources" (folder / "resources", joinpath(…, "resources"))
            parts = [node.left, node.right] if isinstance(node, ast.BinOp) else []
            parts += node.args if isinstance(node, ast.Call) else []
            built = any(isinstance(p, ast.Constant) and p.value == "resources" for p in parts)
            meipass = isinstance(node, ast.Attribute) and node.attr == "_MEIPASS"
            meipass |= isinstance(node, ast.Constant) and node.value == "_MEIPASS"
            if built or meipass:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "请用 core.base.resources.resource() 找程序自带的文件：\n" + "\n".join(
        offenders
    )


def test_from_source():
    assert resources.app_root() == ROOT
    assert resources.resource("templates", "建议书.txt").is_file()
    assert resources.resource("catalog.xlsx").is_file()


def test_frozen_one_folder_resources_beside_the_program(monkeypatch, tmp_path):
    app = tmp_path / "新 建 文件夹" / "价值金字塔营销助手"
    (app / "resources").mkdir(parents=True)
    (app / "_internal").mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app / "价值金字塔营销助手.exe"))
    monkeypatch.setattr(sys, "_MEIPASS", str(app / "_internal"), raising=False)
    assert resources.resource("catalog.xlsx") == app / "resources" / "catalog.xlsx"


def test_frozen_with_resources_inside_the_bundle(monkeypatch, tmp_path):
    inner = tmp_path / "app" / "_internal"
    (inner / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "app" / "jinzita"))
    monkeypatch.setattr(sys, "_MEIPASS", str(inner), raising=False)
    assert resources.resources_dir() == inner / "resources"
