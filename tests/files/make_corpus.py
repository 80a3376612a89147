#!/usr/bin/env python3
"""Makes the corpus of files from outside that tests/integration/table_files.rs reads.

good/    files as offices send them: French `;` Windows-1252 CSV, UTF-8 with BOM, Excel's "Unicode Text"
         (UTF-16LE with BOM, tab-separated), GBK, GB18030, Shift_JIS, Big5, quoted line breaks, an XLSX
         written by openpyxl with date cells, and the same workbook converted by LibreOffice to ODS, XLS
         and XLSX.
hostile/ files each reader must refuse with a clear error: one class per prefix (empty_, header_only_,
         ragged_, unterminated_, nul_, invalid_, duplicate_, missing_header_, truncated_, corrupt_, bomb_,
         absurd_, not_spreadsheet_, too_many_, long_cell_, xls_). A name holding `.enc-LABEL.` is opened with
         that encoding, `.sheet-NAME.` with that sheet. Files named fuzz_* are findings of the fuzz targets
         (src-tauri/core/fuzz), kept as they were found (without the fuzzer's first, option-choosing byte):
         this script leaves them alone.

Needs: python3, openpyxl (`pip install openpyxl`), LibreOffice (`soffice`, from libreoffice-calc-nogui).
Run from anywhere: python3 tests/files/make_corpus.py
"""

import datetime
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "good")
HOSTILE = os.path.join(HERE, "hostile")


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def utf16le_bom(text):
    return b"\xff\xfe" + text.encode("utf-16-le")


# ---------------------------------------------------------------- good

def good():
    write(GOOD, "partenaires_fr_windows1252.csv", (
        "Nom;Sigle;Pays;Ville;Date de signature;Montant;Actif\r\n"
        "Université Lumière Lyon 2;UL2;France;Lyon;01/09/2021;1 350,50;oui\r\n"
        "École normale supérieure de Lyon;ENS;France;Lyon;15/03/2019;20 000,00;non\r\n"
        "Universidade de São Paulo;USP;Brésil;São Paulo;28/02/2024;\u00a0750,25;oui\r\n"
    ).encode("cp1252"))
    write(GOOD, "contacts_utf8_bom.csv", ("\ufeff" + (
        "name,email,city\r\n"
        "Zoë Brontë,zoe@example.org,Montréal\r\n"
        "王伟,wang.wei@example.cn,上海\r\n"
    )).encode("utf-8"))
    write(GOOD, "partners_excel_unicode_text.txt", utf16le_bom(
        "Name\tCountry\tCity\r\n"
        "Université de Montréal\tCanada\tMontréal\r\n"
        "同济大学\tChina\t上海\r\n"
        "京都大学\tJapan\t京都\r\n"))
    write(GOOD, "partenaires_chine_gbk.csv", (
        "名称,简称,城市,国家\r\n"
        "复旦大学,复旦,上海,中国\r\n"
        "同济大学,同济,上海,中国\r\n"
        "上海交通大学,交大,上海,中国\r\n"
        "华东师范大学,华东师大,上海,中国\r\n"
    ).encode("gbk"))
    # 㐀 (U+3400) and 𠀀 (U+20000) exist only in GB18030's four-byte sequences.
    write(GOOD, "partenaires_chine_gb18030.csv", (
        "名称,城市,备注\r\n"
        "复旦大学,上海,㐀字\r\n"
        "同济大学,上海,𠀀字\r\n"
        "浙江大学,杭州,普通\r\n"
    ).encode("gb18030"))
    write(GOOD, "partenaires_japon_shift_jis.csv", (
        "名称,都市,国\r\n"
        "東京大学,東京,日本\r\n"
        "京都大学,京都,日本\r\n"
        "大阪大学,大阪,日本\r\n"
        "東北大学,仙台,日本\r\n"
    ).encode("shift_jis"))
    write(GOOD, "partners_taiwan_big5.csv", (
        "名稱,城市,國家\r\n"
        "國立臺灣大學,臺北,臺灣\r\n"
        "國立清華大學,新竹,臺灣\r\n"
        "國立成功大學,臺南,臺灣\r\n"
    ).encode("big5"))
    write(GOOD, "quoted_newlines.csv", (
        'name,notes,city\n'
        'Fudan,"Framework agreement;\nrenewed in 2024\nsee ""annex B""",Shanghai\n'
        '"Tongji, CDHK",plain,Shanghai\n'
    ).encode("utf-8"))

    wb = openpyxl.Workbook()
    wb.active.title = "Vide"
    ws = wb.create_sheet("Partenaires")
    ws.append(["Nom", "Pays", "Ville", "Date de signature", "Montant", "Actif"])
    ws.append(["Université Lumière Lyon 2", "France", "Lyon", datetime.date(2021, 9, 1), 1350.5, True])
    ws.append(["复旦大学", "Chine", "上海", datetime.datetime(2022, 3, 14, 10, 30), 20000, False])
    ws.append(["東京大学", "Japon", "東京", datetime.date(2019, 4, 1), None, True])
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "dd/mm/yyyy hh:mm" if isinstance(cell.value, datetime.datetime) \
                and cell.value.hour else "dd/mm/yyyy"
    xlsx = os.path.join(GOOD, "partenaires_openpyxl.xlsx")
    wb.save(xlsx)

    with tempfile.TemporaryDirectory() as tmp:
        for target, name in (("ods", "partenaires_libreoffice.ods"), ("xls", "partenaires_libreoffice.xls"),
                             ("xlsx", "partenaires_libreoffice.xlsx")):
            out = os.path.join(tmp, target)
            os.makedirs(out)
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", target, "--outdir", out, xlsx],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.copy(os.path.join(out, "partenaires_openpyxl." + target), os.path.join(GOOD, name))


# ---------------------------------------------------------------- hostile helpers

def xlsx_bytes(rows, sheet="Sheet1"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_zip(data, replace=None, add=None, drop=()):
    """The zip `data` with some parts replaced, added or dropped, deflated."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = (replace or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def sheet_xml(dimension, cells_xml):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{cells_xml}</sheetData></worksheet>').encode()


def ods_bytes(content_body):
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet>' + content_body +
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def patch_sizes(data, part, size):
    """Rewrites the declared uncompressed size of `part` in its local header and central directory."""
    data = bytearray(data)
    name = part.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = 0
        while True:
            at = data.find(sig, at)
            if at < 0:
                break
            n = struct.unpack_from("<H", data, at + name_len_at)[0]
            if bytes(data[at + name_at:at + name_at + n]) == name:
                struct.pack_into("<I", data, at + size_at, size)
            at += 4
    return bytes(data)


def stored_zip_with_whitespace_sheet(megabytes):
    """An XLSX whose sheet is padded with `megabytes` MB of spaces: tiny once deflated."""
    good_xlsx = xlsx_bytes([["Nom", "Pays"], ["Fudan", "Chine"]])
    padding = " " * (megabytes * 1024 * 1024)
    sheet = sheet_xml("A1:B2", '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
                      + padding + '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>')
    return rewrite_zip(good_xlsx, replace={"xl/worksheets/sheet1.xml": sheet})


# ---------------------------------------------------------------- hostile

def hostile():
    h = lambda name, data: write(HOSTILE, name, data)  # noqa: E731
    good_xlsx = xlsx_bytes([["Nom", "Pays", "Ville"], ["Fudan", "Chine", "Shanghai"],
                            ["Tongji", "Chine", "Shanghai"], ["Kyoto", "Japon", "Kyoto"]])

    # empty
    h("empty.csv", b"")
    h("empty_blank_lines.csv", b"\r\n\r\n   \r\n,,,\r\n")
    h("empty_bom_only.csv", b"\xef\xbb\xbf")
    h("empty.xlsx", b"")
    h("empty_sheet.xlsx", xlsx_bytes([]))
    # header only
    h("header_only.csv", b"Nom;Pays;Ville\r\n")
    h("header_only_blank_rows.csv", b"Nom;Pays;Ville\r\n;;\r\n\r\n")
    h("header_only.xlsx", xlsx_bytes([["Nom", "Pays", "Ville"]]))
    # ragged
    h("ragged_long_row.csv", b"Nom,Pays\nFudan,Chine\nTongji,Chine,Shanghai\n")
    h("ragged_semicolon.csv", "Nom;Pays\r\nFudan;Chine\r\nKyoto;Japon\r\nOsaka;Japon;en trop;encore\r\n".encode("cp1252"))
    h("ragged.xlsx", xlsx_bytes([["Nom", "Pays"], ["Fudan", "Chine"], ["Tongji", "Chine", "Shanghai"]]))
    # unterminated quote
    h("unterminated_quote.csv", b'Nom,Pays\nFudan,Chine\n"Tongji,Chine\nKyoto,Japon\n')
    h("unterminated_quote_last_cell.csv", b'Nom,Pays\nFudan,Chine\nTongji,"Chine\n')
    h("unterminated_quote_tab.txt", utf16le_bom('Nom\tPays\r\nFudan\tChine\r\nTongji\t"Chine\r\n'))
    # NUL bytes
    h("nul_in_cell.csv", b"Nom,Pays\nFudan,Chi\x00ne\n")
    h("nul_utf16_without_bom.csv", "Nom,Pays\r\nFudan,Chine\r\n".encode("utf-16-le"))
    h("nul_in_header.csv", b"Nom,P\x00ays\nFudan,Chine\n")
    # invalid bytes for the encoding
    long_utf8 = "Nom,Ville\n" + "".join(f"École {i},Montréal\n" for i in range(3500))
    h("invalid_utf8_after_a_long_prefix.csv", long_utf8.encode("utf-8") + b"Ecole,Montr\xe9al\n")
    h("invalid_utf8.enc-utf-8.csv", "Nom,Ville\nÉcole,Lyon\n".encode("cp1252"))
    h("invalid_shift_jis.enc-shift_jis.csv", "名称,都市\n東京大学,東京\n".encode("shift_jis") + b"\x82\x20,x\n")
    h("invalid_gbk.enc-gbk.csv", "名称,城市\n复旦大学,上海\n".encode("gbk") + b"\x81\x7f\xff,x\n")
    h("invalid_big5.enc-big5.csv", "名稱,城市\n國立臺灣大學,臺北\n".encode("big5") + b"\xa1\x20\xff,x\n")
    h("invalid_utf16_lone_surrogate.txt", b"\xff\xfe" + "Nom\tPays\r\nFudan\t".encode("utf-16-le")
      + b"\x00\xd8" + "x\r\n".encode("utf-16-le"))
    h("invalid_replacement_character.csv", "Nom,Ville\nUniversit\ufffd Lyon,Lyon\n".encode("utf-8"))
    # duplicate headers
    h("duplicate_headers.csv", b"Nom,Pays,Nom\nFudan,Chine,Fudan\n")
    h("duplicate_headers_case.csv", "Nom;Pays;NOM \r\nFudan;Chine;x\r\n".encode("cp1252"))
    h("duplicate_headers.xlsx", xlsx_bytes([["Nom", "Pays", "Ville", "Pays"], ["Fudan", "Chine", "Shanghai", "Chine"]]))
    # missing headers
    h("missing_header_with_data.csv", b"Nom,,Ville\nFudan,,Shanghai\nTongji,Chine,Shanghai\n")
    h("missing_header_with_data.xlsx", xlsx_bytes([["Nom", None, "Ville"], ["Fudan", "Chine", "Shanghai"]]))
    h("missing_header_tab.txt", b"Nom\t\tVille\r\nFudan\tChine\tShanghai\r\n")
    # truncated XLSX
    h("truncated_half.xlsx", good_xlsx[: len(good_xlsx) // 2])
    h("truncated_no_directory.xlsx", good_xlsx[:-30])
    h("truncated_first_kb.xlsx", good_xlsx[:1024])
    # corrupt XLSX
    sheet_at = good_xlsx.find(b"xl/worksheets/sheet1.xml") + 60
    flipped = bytearray(good_xlsx)
    for i in range(sheet_at, sheet_at + 40):
        flipped[i] ^= 0x5A
    h("corrupt_deflate.xlsx", bytes(flipped))
    h("corrupt_sheet_xml.xlsx", rewrite_zip(good_xlsx, replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c"}))
    h("corrupt_no_workbook.xlsx", rewrite_zip(good_xlsx, drop=("xl/workbook.xml",)))
    h("corrupt_workbook_xml.xlsx", rewrite_zip(good_xlsx, replace={"xl/workbook.xml": b"<workbook><sheets><sheet"}))
    libreoffice_xlsx = open(os.path.join(GOOD, "partenaires_libreoffice.xlsx"), "rb").read()
    h("corrupt_shared_strings.xlsx", rewrite_zip(libreoffice_xlsx, replace={"xl/sharedStrings.xml": b"<sst><si><t>x"}))
    # zip bombs
    h("bomb_ratio.xlsx", stored_zip_with_whitespace_sheet(60))
    h("bomb_lying_size.xlsx", patch_sizes(stored_zip_with_whitespace_sheet(40), "xl/worksheets/sheet1.xml", 900))
    h("bomb_declared_total.xlsx", patch_sizes(good_xlsx, "xl/worksheets/sheet1.xml", 0xF0000000))
    h("bomb_ods_repeats.ods", ods_bytes(
        '<table:table table:name="Feuille1"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1024"/>'
        '</table:table-row></table:table>'))
    many = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(good_xlsx))
    with zipfile.ZipFile(many, "w") as z:
        for info in source.infolist():
            z.writestr(info.filename, source.read(info.filename))
        for i in range(10_001):
            z.writestr(zipfile.ZipInfo(f"{i:x}"), b"")
    h("bomb_many_parts.xlsx", many.getvalue())
    # absurd dimensions
    h("absurd_dimension.xlsx", rewrite_zip(good_xlsx, replace={"xl/worksheets/sheet1.xml": sheet_xml(
        "A1:XFD1048576", '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')}))
    h("absurd_far_cell.xlsx", rewrite_zip(good_xlsx, replace={"xl/worksheets/sheet1.xml": sheet_xml(
        "A1:B2", '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Fudan</t></is></c><c r="AMJ2"><v>7</v></c></row>')}))
    h("absurd_columns.ods", ods_bytes(
        '<table:table table:name="Feuille1"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="9000"/>'
        '<table:table-cell office:value-type="float" office:value="1"/>'
        '</table:table-row></table:table>'))
    # not a spreadsheet, named as one
    h("not_spreadsheet_text.xlsx", b"Nom,Pays\nFudan,Chine\n")
    h("not_spreadsheet_html.xls", b"<html><body><table><tr><td>Nom</td></tr></table></body></html>")
    h("not_spreadsheet_png.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(64))
    h("not_spreadsheet_pdf.ods", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    h("not_spreadsheet_zip.xlsx", zipped.getvalue())
    h("not_spreadsheet_xlsb.xlsx", rewrite_zip(good_xlsx, add={"xl/workbook.bin": b"\x00"}, drop=("xl/workbook.xml",)))
    # limits
    h("too_many_columns.csv", (",".join(f"c{i}" for i in range(600)) + "\n" + ",".join("x" * 600) + "\n").encode())
    h("long_cell.csv", b"Nom,Notes\nFudan," + b"x" * (70 * 1024) + b"\n")
    h("missing_sheet.sheet-Budget.xlsx", good_xlsx)
    # XLS (CFB)
    xls = open(os.path.join(GOOD, "partenaires_libreoffice.xls"), "rb").read()
    h("xls_truncated.xls", xls[: len(xls) // 3])
    h("xls_corrupt_cfb.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    # The sheet "Partenaires" is the second DIMENSIONS record (type 0x0200, 14 bytes) of the stream.
    dims = [i for i in range(len(xls)) if xls.startswith(b"\x00\x02\x0e\x00", i)]
    assert len(dims) == 2, dims
    at = dims[1] + 4
    h("xls_absurd_dimension.xls", xls[:at] + struct.pack("<II", 0, 5_000_000) + xls[at + 8:])
    h("xls_backwards_dimension.xls", xls[:at] + struct.pack("<II", 10, 3) + xls[at + 8:])
    # A NUMBER record (type 0x0203, 14 bytes) moved far away: calamine would fill the area between.
    number = xls.find(b"\x03\x02\x0e\x00") + 4
    h("xls_far_cell.xls", xls[:number] + struct.pack("<HH", 60000, 200) + xls[number + 4:])


if __name__ == "__main__":
    os.makedirs(GOOD, exist_ok=True)
    os.makedirs(HOSTILE, exist_ok=True)
    good()
    hostile()
    print(len(os.listdir(GOOD)), "good files,", len(os.listdir(HOSTILE)), "hostile files")
