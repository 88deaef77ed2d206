#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/NAME/ for the libFuzzer harnesses (make fuzz).

The seeds are checked in; this script says how they were made, so that they can be made
again or extended. Each seed is the harness's mode byte (see the harness: options such
as the delimiter, NDJSON, which xlsx part the rest replaces) followed by a small file of
the kind factories export: real-looking content gets the fuzzer past the formats' first
checks at once, which random bytes rarely do (a zip above all).
"""

import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(harness, name, mode, data):
    folder = os.path.join(HERE, "corpus", harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(bytes([mode]) + data)


# csv_reader mode: bits 0-1 delimiter (detect , whitespace tab), 2-3 header (detect yes
# no), 4 small blocks, 5-6 their size (1 2 3 7), 7 tight limits.
def csv_seeds():
    write("csv_reader", "quotes_crlf.csv", 0x00,
          b'id,name,note\r\n1,"bolt, M6","say ""hi"""\r\n2,nut,"two\nlines"\r\n3,,\r\n')
    write("csv_reader", "bom_semicolon_small_blocks.csv", 0x30,
          "\ufeffMaterial;Menge;Einheit\n4711;1,5;kg\n4712;0,25;St\u00fcck\n".encode())
    write("csv_reader", "gbk.csv", 0x00,
          "设备编号,温度,备注\n泵-01,71.5,\"正常,运行\"\n阀-02,65.0,停机\n".encode("gbk"))
    write("csv_reader", "utf16le.csv", 0x10,
          "\ufefftag\tvalue\r\nT-01\t20.5\r\n".encode("utf-16-le"))
    write("csv_reader", "tab_header_forced.tsv", 0x07, b"1\t2\n3\t4\n\n5\t6")
    write("csv_reader", "cmapss_whitespace.txt", 0x02,
          b"1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62  \n"
          b"1 2 0.0019 -0.0003 100.0 518.67 642.15 1591.82 1403.14 14.62  \n")
    write("csv_reader", "whitespace_detected_quoted.txt", 0x50,
          b'  name  "full name"\tqty\n  a  "x ""y"" z"\t1 \r\n b "p\nq" 2\n')
    write("csv_reader", "tight_limits.csv", 0x80,
          b'a,b\n1,"' + b"x" * 80 + b'"\n2,3\n')


# json_reader mode: bit 0 NDJSON, the rest the batch size.
def json_seeds():
    write("json_reader", "array.json", 0x00,
          b'[{"id":1,"name":"bolt","dims":{"w":1.5,"h":2e-3}},'
          b'{"id":2,"tags":["a","b"],"ok":true,"note":null}]')
    write("json_reader", "pretty_escapes.json", 0x06,
          '[\n  {\n    "line": "L\\u00e9-1",\n    "text": "say \\"hi\\"\\n",\n'
          '    "unit": "°C"\n  },\n  {"line": "L2", "deep": {"a": {"b": [1, {"c": 2}]}}}\n]\n'
          .encode())
    write("json_reader", "readings.ndjson", 0x01,
          b'{"ts":"2024-03-01T08:00:00Z","tag":"T-01","value":71.5}\n'
          b'{"ts":"2024-03-01T08:01:00Z","tag":"T-01","value":-1E+2,"q":"bad"}\n')
    write("json_reader", "crlf_blank_lines.ndjson", 0x03,
          b'{"a":1}\r\n\r\n{"a":2,"b":{"c":[true,false]}}\r\n')


SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"



def sheet(strings):
    """The worksheet; `strings`: shared strings 2 and 3 exist (else they are inline)."""
    def text(ref, index, inline):
        if strings:
            return f'<c r="{ref}" t="s"><v>{index}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{inline}</t></is></c>'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{SPREADSHEET}">'
        '<sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        + text("C1", 2, "temp") + '<c r="D1" t="inlineStr"><is><t>ok</t></is></c></row>'
        '<row r="2">' + text("A2", 3, "P-01") + '<c r="B2" s="1"><v>45356.5</v></c>'
        '<c r="C2" s="2"><v>71.25</v></c><c r="D2" t="b"><v>1</v></c></row>'
        '<row r="4"><c r="A4" t="str"><f>A2&amp;"x"</f><v>P-01x</v></c><c r="C4"><v>-3E-2</v></c>'
        '<c r="D4" t="e"><v>#N/A</v></c></row>'
        '</sheetData></worksheet>')


SHARED_STRINGS = (
    f'<sst xmlns="{SPREADSHEET}" count="4" uniqueCount="4"><si><t>machine</t></si>'
    '<si><t>started</t></si><si><r><t>temp </t></r><r><rPr><b/></rPr><t>°C</t></r></si>'
    '<si><t xml:space="preserve"> P-01 </t></si></sst>')
STYLES = (
    f'<styleSheet xmlns="{SPREADSHEET}"><numFmts count="1">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
    '<xf numFmtId="2"/></cellXfs></styleSheet>')


def xlsx():
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels":
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<workbook xmlns="{SPREADSHEET}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            '<sheet name="Readings" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet(strings=True),
        "xl/sharedStrings.xml": SHARED_STRINGS,
        "xl/styles.xml": STYLES,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            # A fixed date keeps the bytes the same from run to run.
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 3, 1, 8, 0, 0)), text.encode(),
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# xlsx_reader mode: mode % 4 is what the rest is (a whole file, the sheet XML,
# sharedStrings.xml, styles.xml); (mode >> 2) % 3 the header (no, yes, detect).
def xlsx_seeds():
    write("xlsx_reader", "readings.xlsx", 0x08, xlsx())
    write("xlsx_reader", "readings_no_header.xlsx", 0x00, xlsx())
    # The harness's own workbook around a part has two shared strings and four styles.
    write("xlsx_reader", "sheet.xml", 0x09, sheet(strings=False).encode())
    write("xlsx_reader", "shared_strings.xml", 0x06, SHARED_STRINGS.encode())
    write("xlsx_reader", "styles.xml", 0x0B, STYLES.encode())


# line_protocol mode: mode % 6 is the precision (ns us ms s m h).
def line_protocol_seeds():
    write("line_protocol", "strings_booleans.txt", 0x00,
          b'machine,id=m7 state="cutting",note="say \\"hi\\", a\\\\b, x=1",speed=1480i,'
          b'ok=t,on=TRUE,off=false 1767225600000000000\n'
          b'log msg="",v=1.5 2\n'
          b'log msg="no closing quote 3\n'
          b'log msg="x"y 4\n' +
          'log msg="\u6e29\u5ea6 \u2103" 5\n'.encode() +
          b'log msg="\xff\xfe" 6\n')
    write("line_protocol", "extreme_timestamps_s.txt", 0x03,
          b"m v=1 9223372036\nm v=1 9223372037\nm v=1 -9223372036\nm v=1 -9223372037\n"
          b"m v=1 9223372036854775807\nm v=1 -9223372036854775808\n"
          b"m v=1 99999999999999999999\nm s=\"x\" 9223372036854775807\n")
    write("line_protocol", "extreme_timestamps_ns.txt", 0x00,
          b"m v=1 9223372036854775807\nm v=1 9223372036854775806\n"
          b"m v=1 -9223372036854775808\nm v=1 -9223372036854775809\n")
    write("line_protocol", "minutes_hours.txt", 0x05,
          b"m v=1 491520\nm v=1 2562047\nm v=1 2562048\nm v=1 -2562047\n")
    write("line_protocol", "minutes.txt", 0x04, b"m v=1 29491200\nm v=1 153722867\n")


if __name__ == "__main__":
    csv_seeds()
    json_seeds()
    xlsx_seeds()
    line_protocol_seeds()
