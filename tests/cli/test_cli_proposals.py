"""The headless proposals and sheets commands, as a user or a script runs them."""

from __future__ import annotations

import pytest

from tests.paths import SAMPLE as SAMPLE_LIST

pytest.importorskip("PySide6.QtGui")
pypdf = pytest.importorskip("pypdf")

from ui.cli.main import run_cli  # noqa: E402

SAMPLE = SAMPLE_LIST


def test_proposals_top_band_pdf_docx_combined(qapp, tmp_path, capsys):
    out = tmp_path / "活动"
    argv = ["proposals", str(SAMPLE), "--out", str(out), "--band", "高端", "--format", "both",
            "--combined", "--staff", "王磊", "--staff-phone", "13900001111", "--today",
            "2026-11-20"]  # fmt: skip
    assert run_cli(argv) == 0
    text = capsys.readouterr().out
    pdfs = sorted((out / "客户建议书").glob("*.pdf"))
    docs = sorted((out / "客户建议书").glob("*.docx"))
    assert len(pdfs) == len(docs) == 16  # the sample has 16 customers in 高端
    assert "已生成 16 份客户建议书" in text and str(out / "客户建议书") in text
    combined = out / "客户建议书_高端_合并打印.pdf"  # the print file says which band
    assert len(pypdf.PdfReader(combined).pages) == 16
    texts = [pypdf.PdfReader(p).pages[0].extract_text() for p in pdfs[:4]]
    assert all("VIP" in t for t in texts) and any("****" in t for t in texts)
    # again without --force: refused, nothing changed
    stamp = combined.stat().st_mtime_ns
    assert run_cli(argv) == 1
    assert "已存在" in capsys.readouterr().err and combined.stat().st_mtime_ns == stamp
    assert run_cli([*argv, "--force"]) == 0


def test_sheets_with_a_user_template_and_unknown_field(qapp, tmp_path, capsys):
    tpl = tmp_path / "我的反馈表.txt"
    tpl.write_text("# 走访记录\n客户：{客户名称}　序号列：{序号}\n[勾选 结果: 已成交/无意向]\n"
                   "[横线 备注 2]\n", encoding="utf-8-sig")  # fmt: skip
    out = tmp_path / "out"
    assert run_cli(["sheets", str(SAMPLE), "--out", str(out), "--band", "中高端",
                    "--template", str(tpl)]) == 0  # fmt: skip
    files = list((out / "信息反馈表").glob("*.pdf"))
    assert len(files) == 59
    bad = tmp_path / "坏模板.txt"
    bad.write_text("尊敬的{客户姓名}：{证件}", encoding="utf-8")
    assert run_cli(["sheets", str(SAMPLE), "--out", str(tmp_path / "x"), "--template",
                    str(bad)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "客户姓名" in err and "证件" in err
    assert not (tmp_path / "x").exists()


def test_bad_band_and_help(tmp_path, capsys):
    assert run_cli(["proposals", str(SAMPLE), "--out", str(tmp_path), "--band", "超高端"]) == 1
    assert "超高端" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run_cli(["proposals", "--help"])
    assert "--unmask" in capsys.readouterr().out


def test_nobody_to_write_for_is_an_error_that_says_why(tmp_path, capsys):
    no_spend = tmp_path / "无消费.csv"
    no_spend.write_text("客户名称,用户号码,月均消费\n张三,13800001111,\n李四,13800002222,abc\n",
                        encoding="utf-8")  # fmt: skip
    for cmd in ("proposals", "sheets"):
        assert run_cli([cmd, str(no_spend), "--out", str(tmp_path / "a")]) == 1
        err = capsys.readouterr().err
        assert "2 位客户都没有有效的月均消费" in err and "--map spend=" in err
    assert not (tmp_path / "a").exists()
    # a band nobody is in (top band starts at 100,000 元)
    argv = ["proposals", str(SAMPLE), "--out", str(tmp_path / "b"), "--edges", "50,100,100000",
            "--band", "高端"]  # fmt: skip
    assert run_cli(argv) == 1
    err = capsys.readouterr().err
    assert "--band 高端" in err and "没有客户" in err and "去掉 --band" in err
    assert not (tmp_path / "b").exists()


def test_letters_are_logged_in_the_campaign(qapp, tmp_path, capsys):
    import json

    camp = tmp_path / "示例活动.jzt"
    assert run_cli(["campaign", "new", str(camp), "--list", str(SAMPLE)]) == 0
    out = tmp_path / "活动"
    argv = ["sheets", str(SAMPLE), "--out", str(out), "--band", "高端", "--format", "docx",
            "--campaign", str(camp)]  # fmt: skip
    assert run_cli(argv) == 0
    assert "已记入营销活动 示例活动.jzt：16 位客户的反馈表" in capsys.readouterr().out
    assert run_cli(["campaign", "info", str(camp), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 16
    from core.campaign import Campaign

    with Campaign.open(camp) as c:
        docs = c.documents()
    assert {d.kind for d in docs} == {"反馈表"} and {d.template for d in docs} == {"内置反馈表模板"}
    assert all(d.output.endswith(".docx") for d in docs)
    bad = tmp_path / "坏.jzt"
    bad.write_bytes(b"not a campaign")
    assert run_cli([*argv[:-1], str(bad), "--force"]) == 1
    assert "不是营销活动文件" in capsys.readouterr().err


def test_band_by_band_into_one_folder_never_asks_to_overwrite(qapp, tmp_path, capsys):
    out = tmp_path / "城东"
    signed = ["--branch", "中国电信城东县分公司", "--staff", "王磊", "--staff-phone", "13900001111"]
    for band in ("高端", "中高端"):
        assert run_cli(["sheets", str(SAMPLE), "--out", str(out), "--band", band, "--combined",
                        *signed]) == 0  # fmt: skip
    assert run_cli(["sheets", str(SAMPLE), "--out", str(out), "--band", "中高端,高端",
                    "--combined", "--format", "docx", *signed]) == 0  # fmt: skip
    assert (
        run_cli(
            [
                "sheets",
                str(SAMPLE),
                "--out",
                str(out),
                "--combined",
                "--format",
                "docx",
                "--band",
                "低端,中端,中高端,高端",
                *signed,
            ]
        )
        == 0
    )  # every band: everyone
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == [
        "信息反馈表_中高端_合并打印.pdf",
        "信息反馈表_合并打印.pdf",
        "信息反馈表_高端_合并打印.pdf",
        "信息反馈表_高端、中高端_合并打印.pdf",
    ]
    assert len(pypdf.PdfReader(out / "信息反馈表_高端、中高端_合并打印.pdf").pages) == 75
    assert "注意" not in capsys.readouterr().err  # signed: no warning


def test_placeholders_on_paper_are_one_warning_line_and_the_run_goes_on(qapp, tmp_path, capsys):
    argv = ["proposals", str(SAMPLE), "--out", str(tmp_path / "a"), "--band", "高端",
            "--format", "docx"]  # fmt: skip
    assert run_cli(argv) == 0  # the default settings: 中国电信××县分公司, no 客户经理
    captured = capsys.readouterr()
    warning = [line for line in captured.err.splitlines() if line.startswith("注意：")]
    assert len(warning) == 1  # one line, besides the import's own 提示
    assert "××" in warning[0] and "客户经理没有填写" in warning[0] and "--staff" in warning[0]
    assert "已生成 16 份" in captured.out
    assert run_cli(["sheets", str(SAMPLE), "--out", str(tmp_path / "b"), "--band", "高端",
                    "--format", "docx", "--branch", "中国电信城东县分公司",
                    "--staff", "王磊"]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "客户经理电话没有填写" in err and "落款单位" not in err and "客户经理没有" not in err
