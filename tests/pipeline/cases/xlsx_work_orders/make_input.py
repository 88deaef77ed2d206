#!/usr/bin/env python3
"""Writes input.xlsx: an ERP work-order export as Excel saves it (shared strings, a date
style, a second sheet first in the file). Standard library only; run to regenerate."""
import zipfile

rows = [
    ["WO", "Material", "Qty", "Start", "Status"],
    ["WO-1", "M-1", 100, 46082.3333333333, "REL"],      # 2026-03-01T08:00 (serial days since 1899-12-30)
    ["WO-2", "M-1", 250.5, 46083.5, "RUN"],
    ["WO-3", "M-9", 10, 46084, "REL"],                 # unknown material
    ["WO-4", "M-1", -5, 46084, "REL"],                 # negative quantity
    ["WO-5", "M-1", 20, None, "XXX"],                  # unknown status code
]
strings = []
def sst(s):
    if s not in strings:
        strings.append(s)
    return strings.index(s)

def col(i):
    return "ABCDEFGHIJ"[i]

sheet_rows = []
for r, row in enumerate(rows, start=1):
    cells = []
    for c, v in enumerate(row):
        ref = f"{col(c)}{r}"
        if v is None:
            continue
        if isinstance(v, str):
            cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
        elif c == 3:
            cells.append(f'<c r="{ref}" s="1"><v>{v}</v></c>')
        else:
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
    sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')

ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets><sheet name="Notes" sheetId="2" r:id="rId2"/><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
    "xl/worksheets/sheet2.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>exported by ERP</t></is></c></row></sheetData></worksheet>',
}
files["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">'
                                 + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
with zipfile.ZipFile("input.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
