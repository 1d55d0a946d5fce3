"""Every file format county staff get: .xls, CSV in three encodings, HTML-as-.xls, XML 2003,
and every kind of bad file, each with a Chinese message that says what to do."""

from __future__ import annotations

import builtins
import io
import zipfile

import pytest

from core.base.errors import EncryptedFile, FileLocked, ImportFailed
from core.importing.importer import import_file
from tests.import_helpers import write_messy_xlsx

ROWS = [
    ["客户名称", "手机号码", "月均消费", "入网时间", "网格"],
    ["张记五金店", "13812345678", "59.00", "2019/03/05", "一网格"],
    ["李娜服装", "13812345679", "128.5元", "20190305", "二网格"],
    ["合计", "", "187.5", "", ""],
]


def _csv_text(delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(r) for r in [["某某分公司客户清单"], *ROWS]) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "清单.csv"
    path.write_bytes(_csv_text().encode(encoding))
    res = import_file(path)
    assert res.kind == "csv"
    assert res.header_row == 2
    assert res.customers["name"].tolist() == ["张记五金店", "李娜服装"]
    assert res.customers["spend"].tolist() == [59.0, 128.5]
    assert res.skipped["totals"] == [5]


def test_tab_separated_text(tmp_path):
    path = tmp_path / "清单.txt"
    path.write_bytes(_csv_text("\t").encode("gbk"))
    res = import_file(path)
    assert res.customers["phone"].tolist() == ["13812345678", "13812345679"]


def test_old_xls(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("客户")
    ws.write_merge(0, 0, 0, 4, "城东市场客户清单")
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            ws.write(r, c, float(value) if c == 1 and value.isdigit() else value)
    wb.save(str(tmp_path / "old.xls"))
    res = import_file(tmp_path / "old.xls")
    assert res.kind == "xls"
    assert res.header_row == 2
    assert res.customers["phone"].tolist() == ["13812345678", "13812345679"]
    assert res.customers["spend"].tolist() == [59.0, 128.5]


def test_html_table_saved_as_xls(tmp_path):
    html = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
    </head><body><table border=1>
    <tr><td colspan=5>城东市场客户清单</td></tr>
    <tr><th>客户名称</th><th>用户号码</th><th>ARPU值</th><th>网格</th><th>行业</th></tr>
    <tr><td>张记五金店</td><td style="mso-number-format:'\\@'">13812345678</td><td>59</td>
        <td rowspan=2>一网格</td><td>五金</td></tr>
    <tr><td>李娜服装</td><td>13812345679</td><td>128.50</td><td>服装</td></tr>
    <tr><td>合计</td><td></td><td>187.5</td><td></td><td></td></tr>
    </table></body></html>"""
    path = tmp_path / "web.xls"
    path.write_bytes(html.encode("gbk"))
    res = import_file(path)
    assert res.kind == "html"
    assert res.header_row == 2
    assert res.customers["grid"].tolist() == ["一网格", "一网格"]  # rowspan
    assert res.customers["industry"].tolist() == ["五金", "服装"]
    assert res.customers["spend"].tolist() == [59.0, 128.5]
    assert res.skipped["totals"] == [5]


def test_xml_spreadsheet_2003(tmp_path):
    cells = "".join(
        "<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in row) + "</Row>"
        for row in ROWS[:3]
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="客户"><Table>{cells}</Table></Worksheet></Workbook>"""
    path = tmp_path / "x2003.xls"
    path.write_text(xml, encoding="utf-8")
    res = import_file(path)
    assert res.kind == "xml2003"
    assert res.sheet == "客户"
    assert res.customers["spend"].tolist() == [59.0, 128.5]


def _assert_chinese_advice(err: Exception) -> None:
    text = str(err)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "Traceback" not in text
    assert "请" in text  # says what to do


def test_truncated_xlsx(tmp_path):
    good = write_messy_xlsx(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ImportFailed, match="损坏") as exc:
        import_file(path)
    _assert_chinese_advice(exc.value)


def test_picture_renamed_to_xlsx(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    with pytest.raises(ImportFailed, match="无法识别文件格式") as exc:
        import_file(path)
    _assert_chinese_advice(exc.value)


def test_text_file_renamed_to_xlsx(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("明天下午开会\n记得带资料\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="不是 Excel 表格") as exc:
        import_file(path)
    _assert_chinese_advice(exc.value)


def test_word_document_renamed_to_xlsx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    path = tmp_path / "letter.xlsx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ImportFailed, match="Word 文档"):
        import_file(path)


def test_password_protected_workbook(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = write_messy_xlsx(tmp_path / "plain.xlsx")
    locked = tmp_path / "加密.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as out:
        ooxml.OOXMLFile(src).encrypt("1234", out)
    with pytest.raises(EncryptedFile, match="文件已加密") as exc:
        import_file(locked)
    assert "密码" in exc.value.hint


def test_empty_file(tmp_path):
    path = tmp_path / "zero.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ImportFailed, match="0 字节"):
        import_file(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportFailed, match="找不到文件"):
        import_file(tmp_path / "nope.xlsx")
    with pytest.raises(ImportFailed, match="文件夹"):
        import_file(tmp_path)


def test_file_open_in_excel_is_reported_as_locked(tmp_path, monkeypatch):
    path = write_messy_xlsx(tmp_path / "open.xlsx")
    real_open = builtins.open

    def locked_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", locked_open)
    with pytest.raises(FileLocked, match="占用") as exc:
        import_file(path)
    assert "关闭" in exc.value.hint


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_unicode_text_without_byte_order_mark(tmp_path, encoding):
    """Excel's "Unicode 文本" (tab-separated UTF-16) read the same with or without a BOM."""
    text = _csv_text("\t").replace("\n", "\r\n")
    with_bom = tmp_path / "有BOM.txt"
    with_bom.write_bytes(text.encode("utf-16"))
    without = tmp_path / "无BOM.txt"
    without.write_bytes(text.encode(encoding))
    a, b = import_file(with_bom), import_file(without)
    assert b.kind == "csv" and b.header_row == a.header_row == 2
    assert (
        b.customers["name"].tolist() == a.customers["name"].tolist() == ["张记五金店", "李娜服装"]
    )
    assert b.customers["spend"].tolist() == [59.0, 128.5]
    assert b.skipped["totals"] == [5]


def test_binary_with_zero_bytes_is_still_refused(tmp_path):
    path = tmp_path / "图片.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(ImportFailed, match="无法识别文件格式"):
        import_file(path)
