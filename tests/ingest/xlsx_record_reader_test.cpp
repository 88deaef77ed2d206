#include "ingest/xlsx_record_reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ingest/excel_number_format.h"
#include "ingest/xlsx_sheet_reader.h"
#include "ingest/xlsx_text.h"
#include "ingest/xlsx_workbook.h"
#include "ingest/zip_archive.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::ingest {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using Parts = std::map<std::string, std::string>;

constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Relationships(const std::vector<std::pair<std::string, std::string>>& type_target) {
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  int id = 1;
  for (const auto& [type, target] : type_target) {
    xml += "<Relationship Id=\"rId" + std::to_string(id++) + "\" Type=\"" + kRel + "/" + type +
           "\" Target=\"" + target + "\"/>";
  }
  return xml + "</Relationships>";
}

std::string Sheet(const std::string& rows) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns=")") +
         kMain + R"("><dimension ref="A1:E6"/><sheetData>)" + rows +
         R"(</sheetData><pageMargins left="0.7"/></worksheet>)";
}

// A workbook with two worksheets (Orders, Machines), shared strings, and styles whose
// cellXfs are: 0 General, 1 built-in date 14, 2 custom date-time, 3 custom '"Qty" 0.00'
// (a 'y' in quotes: not a date), 4 built-in time 20.
Parts OrdersWorkbook(bool date1904 = false) {
  Parts parts;
  parts["[Content_Types].xml"] =
      R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>)";
  parts["_rels/.rels"] = Relationships({{"officeDocument", "xl/workbook.xml"}});
  parts["xl/workbook.xml"] =
      std::string(R"(<?xml version="1.0"?><workbook xmlns=")") + kMain + R"(" xmlns:r=")" + kRel +
      R"("><workbookPr date1904=")" + (date1904 ? "1" : "0") +
      R"("/><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/>)"
      R"(<sheet name="Machines" sheetId="2" r:id="rId2"/></sheets></workbook>)";
  parts["xl/_rels/workbook.xml.rels"] = Relationships({{"worksheet", "worksheets/sheet1.xml"},
                                                       {"worksheet", "/xl/worksheets/sheet2.xml"},
                                                       {"sharedStrings", "sharedStrings.xml"},
                                                       {"styles", "styles.xml"}});
  parts["xl/sharedStrings.xml"] =
      std::string(R"(<?xml version="1.0"?><sst xmlns=")") + kMain +
      R"(" count="7" uniqueCount="7"><si><t>Order</t></si><si><t>Qty</t></si><si><t>Due</t></si>)"
      R"(<si><t>Note</t></si><si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r>)"
      R"(<rPh sb="0" eb="1"><t>ルビ</t></rPh></si><si><t xml:space="preserve"> padded_x000D_</t></si>)"
      R"(<si><t>PO-1 &amp; 中文</t></si></sst>)";
  parts["xl/styles.xml"] =
      std::string(R"(<?xml version="1.0"?><styleSheet xmlns=")") + kMain +
      R"("><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/>)"
      R"(<numFmt numFmtId="165" formatCode="&quot;Qty&quot;\ 0.00"/></numFmts>)"
      R"(<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/>)"
      R"(<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/>)"
      R"(<xf numFmtId="20"/></cellXfs></styleSheet>)";
  // 45356 is 2024-03-05 in the 1900 system; the 1904 system counts 1462 days fewer.
  const std::string day = date1904 ? "43894" : "45356";
  parts["xl/worksheets/sheet1.xml"] = Sheet(
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>)"
      R"(<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2" s="3"><v>12.50</v></c><c r="C2" s="1"><v>)" +
      day +
      R"(</v></c><c r="D2" t="s"><v>4</v></c></row>)"
      R"(<row r="4" spans="1:5"><c r="A4" t="inlineStr"><is><t>PO-2</t></is></c><c r="B4"><v>0.1</v></c>)"
      R"(<c r="C4" s="2"><v>)" +
      day +
      R"(.354166666664</v></c><c r="E4" t="b"><v>1</v></c></row>)"
      R"(<row r="5"><c r="A5" t="e"><v>#N/A</v></c><c r="B5" s="1"/><c r="C5" s="4"><v>0.5</v></c>)"
      R"(<c r="D5" t="s"><v>5</v></c></row>)"
      R"(<row r="6"><c r="A6" s="1"/></row>)");
  // Prefixed elements, as some writers produce; rows and cells without r.
  parts["xl/worksheets/sheet2.xml"] =
      std::string(R"(<x:worksheet xmlns:x=")") + kMain +
      R"("><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>M1</x:t></x:is></x:c><x:c><x:v>3</x:v></x:c></x:row>)"
      R"(<x:row><x:c t="str"><x:f>A1</x:f><x:v>M2</x:v></x:c><x:c r="C2"><x:v>4</x:v></x:c></x:row>)"
      R"(</x:sheetData></x:worksheet>)";
  return parts;
}

void WriteZip(const std::filesystem::path& path, const Parts& parts) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(zip, nullptr) << error;
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
    ASSERT_NE(source, nullptr);
    ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8), 0);
  }
  ASSERT_EQ(zip_close(zip), 0) << zip_strerror(zip);  // zip_close reads the sources
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

using Field = std::optional<std::string>;
struct XlsxRow {
  int64_t line;
  std::vector<Field> fields;
  std::string raw;
};
struct XlsxTable {
  std::vector<std::string> columns;
  std::vector<XlsxRow> rows;
  size_t batches = 0;
};

Result<XlsxTable> ReadXlsx(RecordReader& reader, size_t max_records = 1000) {
  XlsxTable table;
  RecordBatch batch;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool more, reader.Next(batch, max_records));
    if (!more) break;
    ++table.batches;
    table.columns = batch.columns();
    for (size_t r = 0; r < batch.size(); ++r) {
      XlsxRow row{batch.line(r), {}, std::string(batch.raw(r))};
      for (size_t c = 0; c < batch.columns().size(); ++c) {
        const auto field = batch.field(r, c);
        row.fields.push_back(field ? Field(std::string(*field)) : std::nullopt);
      }
      table.rows.push_back(std::move(row));
    }
  }
  for (XlsxRow& row : table.rows)
    row.fields.resize(table.columns.size());
  return table;
}

class XlsxRecordReaderTest : public ::testing::Test {
 protected:
  std::string Write(const Parts& parts, const std::string& name = "book.xlsx") {
    const auto path = dir_ / name;
    WriteZip(path, parts);
    return path.string();
  }
  Result<XlsxTable> Read(const std::string& path, ReaderOptions options = {},
                         size_t max_records = 1000) {
    FH_ASSIGN_OR_RETURN(auto reader, MakeXlsxReader(path, "book.xlsx", options));
    EXPECT_EQ(reader->format(), "xlsx");
    return ReadXlsx(*reader, max_records);
  }
  XlsxTable MustRead(const std::string& path, ReaderOptions options = {}) {
    auto table = Read(path, options);
    EXPECT_OK(table);
    return table.ok() ? std::move(table).value() : XlsxTable{};
  }
  std::string ReadError(const std::string& path, ReaderOptions options = {}) {
    auto table = Read(path, options);
    EXPECT_FALSE(table.ok());
    return table.ok() ? "" : table.status().message();
  }

  testing::TempDir dir_;
};

TEST_F(XlsxRecordReaderTest, FirstSheetWithHeaderDatesGapsAndStrings) {
  const XlsxTable t = MustRead(Write(OrdersWorkbook()));
  EXPECT_THAT(t.columns, ElementsAre("Order", "Qty", "Due", "Note", "E"));
  ASSERT_EQ(t.rows.size(), 3u);  // row 3 does not exist and row 6 has no values
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_THAT(t.rows[0].fields,
              ElementsAre("PO-1 & 中文", "12.50", "2024-03-05", "Rich text", std::nullopt));
  EXPECT_EQ(t.rows[1].line, 4);
  EXPECT_THAT(t.rows[1].fields,
              ElementsAre("PO-2", "0.1", "2024-03-05T08:30:00", std::nullopt, "true"));
  EXPECT_EQ(t.rows[1].raw, "PO-2\t0.1\t2024-03-05T08:30:00\t\ttrue");
  EXPECT_EQ(t.rows[2].line, 5);
  // An error cell is null, but raw keeps what the sheet showed.
  EXPECT_THAT(t.rows[2].fields,
              ElementsAre(std::nullopt, std::nullopt, "12:00:00", " padded\r", std::nullopt));
  EXPECT_EQ(t.rows[2].raw, "#N/A\t\t12:00:00\t padded\r");
}

TEST_F(XlsxRecordReaderTest, The1904DateSystem) {
  const XlsxTable t = MustRead(Write(OrdersWorkbook(/*date1904=*/true)));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].fields[2], "2024-03-05");
  EXPECT_EQ(t.rows[1].fields[2], "2024-03-05T08:30:00");
}

TEST_F(XlsxRecordReaderTest, SelectsSheetByName) {
  const std::string path = Write(OrdersWorkbook());
  for (const char* name : {"Machines", "machines"}) {
    ReaderOptions options;
    options.sheet = name;
    const XlsxTable t = MustRead(path, options);
    // The first row has a number: data, so the columns are the letters.
    EXPECT_THAT(t.columns, ElementsAre("A", "B", "C"));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0].line, 1);
    EXPECT_THAT(t.rows[0].fields, ElementsAre("M1", "3", std::nullopt));
    EXPECT_EQ(t.rows[1].line, 2);
    EXPECT_THAT(t.rows[1].fields, ElementsAre("M2", std::nullopt, "4"));
  }
}

TEST_F(XlsxRecordReaderTest, MissingSheetListsTheSheets) {
  ReaderOptions options;
  options.sheet = "Lots";
  EXPECT_EQ(ReadError(Write(OrdersWorkbook()), options),
            "book.xlsx: no sheet named 'Lots'; the workbook has: 'Orders', 'Machines'");
}

TEST_F(XlsxRecordReaderTest, FirstVisibleWorksheetByDefault) {
  Parts parts = OrdersWorkbook();
  auto& workbook = parts["xl/workbook.xml"];
  workbook.replace(workbook.find("sheetId=\"1\""), 11, "sheetId=\"1\" state=\"hidden\"");
  ReaderOptions options;
  options.header = false;
  const XlsxTable t = MustRead(Write(parts), options);
  ASSERT_FALSE(t.rows.empty());
  EXPECT_EQ(t.rows[0].fields[0], "M1");
}

TEST_F(XlsxRecordReaderTest, HeaderOption) {
  const std::string path = Write(OrdersWorkbook());
  ReaderOptions no_header;
  no_header.header = false;
  const XlsxTable orders = MustRead(path, no_header);
  EXPECT_THAT(orders.columns, ElementsAre("A", "B", "C", "D", "E"));
  ASSERT_EQ(orders.rows.size(), 4u);
  EXPECT_EQ(orders.rows[0].line, 1);
  EXPECT_EQ(orders.rows[0].fields[0], "Order");

  ReaderOptions header;
  header.header = true;
  header.sheet = "Machines";
  const XlsxTable machines = MustRead(path, header);
  EXPECT_THAT(machines.columns, ElementsAre("M1", "3", "C"));
  ASSERT_EQ(machines.rows.size(), 1u);
  EXPECT_EQ(machines.rows[0].line, 2);
}

TEST_F(XlsxRecordReaderTest, HeaderNeedsTextOverNumbers) {
  const auto detect = [&](const std::string& rows) {
    Parts parts = OrdersWorkbook();
    parts["xl/worksheets/sheet1.xml"] = Sheet(rows);
    return MustRead(Write(parts)).columns;
  };
  const std::string text_row =
      R"(<row r="1"><c t="inlineStr"><is><t>qty</t></is></c><c t="inlineStr"><is><t></t></is></c>)"
      R"(<c r="D1" t="inlineStr"><is><t>note</t></is></c></row>)";
  // All text, and numbers below: a header (an empty or missing name takes its letter).
  EXPECT_THAT(detect(text_row + R"(<row r="2"><c><v>1</v></c><c><v>2</v></c></row>)"),
              ElementsAre("qty", "B", "C", "note"));
  // Nothing but text: no evidence, so data.
  EXPECT_THAT(detect(text_row + R"(<row r="2"><c t="inlineStr"><is><t>x</t></is></c></row>)"),
              ElementsAre("A", "B", "C", "D"));
  // Text that reads as a number is not a name.
  EXPECT_THAT(detect(R"(<row r="1"><c t="inlineStr"><is><t>2024</t></is></c></row>)"
                     R"(<row r="2"><c><v>1</v></c></row>)"),
              ElementsAre("A"));
  // A repeated name is made unique with its letter.
  EXPECT_THAT(
      detect(
          R"(<row r="1"><c t="inlineStr"><is><t>qty</t></is></c><c t="inlineStr"><is><t>qty</t></is></c></row>)"
          R"(<row r="2"><c><v>1</v></c></row>)"),
      ElementsAre("qty", "qty_B"));
}

TEST_F(XlsxRecordReaderTest, StreamsManyRowsInBatches) {
  std::string rows;
  for (int r = 1; r <= 20000; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>" +
            std::to_string(r * 10) + "</v></c><c r=\"C" + std::to_string(r) +
            "\" t=\"inlineStr\"><is><t>item " + std::to_string(r) + "</t></is></c></row>";
  }
  Parts parts = OrdersWorkbook();
  parts["xl/worksheets/sheet1.xml"] = Sheet(rows);
  auto reader = MakeXlsxReaderFromBuffer(ReadFile(Write(parts)), "mem.xlsx", {});
  ASSERT_OK(reader);
  auto table = ReadXlsx(**reader, 300);
  ASSERT_OK(table);
  EXPECT_EQ(table->batches, (20000 + 299) / 300);
  ASSERT_EQ(table->rows.size(), 20000u);
  // Rows cross the 64 KiB chunks the sheet is parsed in: none may be lost or cut.
  for (int r = 1; r <= 20000; ++r) {
    const XlsxRow& row = table->rows[static_cast<size_t>(r - 1)];
    ASSERT_EQ(row.line, r);
    ASSERT_THAT(row.fields,
                ElementsAre(std::to_string(r * 10), std::nullopt, "item " + std::to_string(r)));
  }
}

TEST_F(XlsxRecordReaderTest, ReadsStandardInput) {
  const std::string path = Write(OrdersWorkbook());
  const int saved = dup(STDIN_FILENO);
  const int fd = open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(dup2(fd, STDIN_FILENO), STDIN_FILENO);
  close(fd);
  auto table = Read("-");
  dup2(saved, STDIN_FILENO);
  close(saved);
  ASSERT_OK(table);
  EXPECT_EQ(table->rows.size(), 3u);
}

TEST_F(XlsxRecordReaderTest, NotAnXlsxFile) {
  const auto write_bytes = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  };
  EXPECT_THAT(ReadError(write_bytes("a.xlsx", "Order,Qty\nPO-1,3\n")),
              AllOf(StartsWith("book.xlsx: "), HasSubstr("not a zip archive")));
  EXPECT_THAT(ReadError(write_bytes("b.xlsx", "")), HasSubstr("empty"));
  EXPECT_THAT(ReadError(write_bytes("c.xlsx", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                                                  std::string(600, '\0'))),
              HasSubstr("legacy .xls"));
  const std::string whole = ReadFile(Write(OrdersWorkbook()));
  EXPECT_THAT(ReadError(write_bytes("d.xlsx", whole.substr(0, whole.size() / 2))),
              StartsWith("book.xlsx: "));
  auto missing = Read((dir_ / "nope.xlsx").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  auto in_memory = MakeXlsxReaderFromBuffer("not a zip", "mem.xlsx", {});
  ASSERT_FALSE(in_memory.ok());
  EXPECT_THAT(in_memory.status().message(), StartsWith("mem.xlsx: not an xlsx file"));
}

TEST_F(XlsxRecordReaderTest, MissingParts) {
  Parts no_workbook = OrdersWorkbook();
  no_workbook.erase("xl/workbook.xml");
  EXPECT_EQ(ReadError(Write(no_workbook)),
            "book.xlsx: not an xlsx workbook: xl/workbook.xml is missing");
  Parts no_sheet = OrdersWorkbook();
  no_sheet.erase("xl/worksheets/sheet1.xml");
  EXPECT_EQ(ReadError(Write(no_sheet)),
            "book.xlsx: not a valid xlsx file: xl/worksheets/sheet1.xml is missing");
  // Without shared strings, a shared-string cell is an error that says where.
  Parts no_strings = OrdersWorkbook();
  no_strings.erase("xl/sharedStrings.xml");
  EXPECT_THAT(ReadError(Write(no_strings)),
              StartsWith("book.xlsx:1: cell A1: shared string '0' does not exist"));
}

TEST_F(XlsxRecordReaderTest, MalformedSheetXml) {
  Parts parts = OrdersWorkbook();
  parts["xl/worksheets/sheet1.xml"] = Sheet(R"(<row r="1"><c><v>1</v></row>)");
  EXPECT_THAT(ReadError(Write(parts)),
              AllOf(StartsWith("book.xlsx: xl/worksheets/sheet1.xml: malformed XML"),
                    HasSubstr("mismatched tag")));
  parts["xl/worksheets/sheet1.xml"] = Sheet(R"(<row r="1"><c r="1A"><v>1</v></c></row>)");
  EXPECT_THAT(ReadError(Write(parts)), HasSubstr("cell reference r=\"1A\" is not valid"));
  parts["xl/worksheets/sheet1.xml"] = Sheet(R"(<row r="1"><c r="XFE1"><v>1</v></c></row>)");
  EXPECT_THAT(ReadError(Write(parts)), HasSubstr("XFE1"));
  // Entity expansion attacks need a DTD: refused outright.
  parts["xl/worksheets/sheet1.xml"] =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>)"
      R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>)";
  EXPECT_THAT(ReadError(Write(parts)), HasSubstr("DOCTYPE"));
}

TEST_F(XlsxRecordReaderTest, RowLongerThanTheLimit) {
  Parts parts = OrdersWorkbook();
  parts["xl/worksheets/sheet1.xml"] = Sheet("<row r=\"9\"><c t=\"inlineStr\"><is><t>" +
                                            std::string(5000, 'x') + "</t></is></c></row>");
  ReaderOptions options;
  options.max_record_bytes = 1000;
  EXPECT_THAT(ReadError(Write(parts), options), StartsWith("book.xlsx:9: row longer than 1000"));
}

TEST_F(XlsxRecordReaderTest, SharedStringAmplificationIsBuffered) {
  // 300 tiny cells naming one 1 MiB shared string fit in one 64 KiB chunk of XML: the
  // parse must pause rather than expand them all at once.
  Parts parts = OrdersWorkbook();
  parts["xl/sharedStrings.xml"] = std::string("<sst xmlns=\"") + kMain + "\"><si><t>" +
                                  std::string(1 << 20, 'x') + "</t></si></sst>";
  std::string rows;
  for (int r = 1; r <= 300; ++r)
    rows += "<row><c t=\"s\"><v>0</v></c></row>";
  parts["xl/worksheets/sheet1.xml"] = Sheet(rows);
  auto archive = ZipArchive::OpenFile(Write(parts), "book.xlsx");
  ASSERT_OK(archive);
  auto workbook = LoadXlsxWorkbook(**archive);
  ASSERT_OK(workbook);
  auto member = (*archive)->Open("xl/worksheets/sheet1.xml", kXlsxMaxSheetBytes);
  ASSERT_OK(member);
  XlsxSheetReader sheet(std::move(member).value(), &*workbook, "book.xlsx",
                        "xl/worksheets/sheet1.xml", 16 << 20);
  size_t rows_read = 0;
  while (true) {
    auto buffered = sheet.Buffer(1);
    ASSERT_OK(buffered);
    if (*buffered == 0) break;
    EXPECT_LE(sheet.buffered_bytes(), size_t{6} << 20);
    EXPECT_EQ(sheet.cell(0, 0).text.size(), size_t{1} << 20);
    sheet.Pop();
    ++rows_read;
  }
  EXPECT_EQ(rows_read, 300u);
}

TEST_F(XlsxRecordReaderTest, MembersAreCappedAgainstZipBombs) {
  const std::string zeros(8 << 20, '\0');
  const std::string path = Write({{"big.bin", zeros}});
  EXPECT_LT(std::filesystem::file_size(path), 100000u);  // it really is compressed
  auto archive = ZipArchive::OpenFile(path, "bomb.zip");
  ASSERT_OK(archive);
  auto capped = (*archive)->ReadAll("big.bin", 1 << 20);
  ASSERT_FALSE(capped.ok());
  EXPECT_THAT(capped.status().message(),
              AllOf(StartsWith("bomb.zip: big.bin"), HasSubstr("zip bomb")));
  auto fits = (*archive)->ReadAll("big.bin", 8 << 20);
  ASSERT_OK(fits);
  EXPECT_EQ(fits->size(), zeros.size());
}

TEST(ExcelNumberFormatTest, ClassifiesFormatCodes) {
  const std::pair<const char*, NumberFormatKind> cases[] = {
      {"yyyy-mm-dd", NumberFormatKind::kDate},
      {"d-mmm", NumberFormatKind::kDate},
      {"mmm", NumberFormatKind::kDate},
      {"[$-804]yyyy\"年\"m\"月\"d\"日\"", NumberFormatKind::kDate},
      {"yyyy/m/d h:mm", NumberFormatKind::kDate},
      {"h:mm AM/PM", NumberFormatKind::kTime},
      {"mm:ss.0", NumberFormatKind::kTime},
      {"[h]:mm:ss", NumberFormatKind::kDuration},
      {"[Red][mm]:ss", NumberFormatKind::kDuration},
      {"General", NumberFormatKind::kNumber},
      {"0.00E+00", NumberFormatKind::kNumber},
      {"\"Qty\" 0.00", NumberFormatKind::kNumber},
      {"#,##0 \"days\"", NumberFormatKind::kNumber},
      {"[Red]-0.00;[Blue]0.00", NumberFormatKind::kNumber},
      {"_(* #,##0_);_(* \\(#,##0\\)", NumberFormatKind::kNumber},
      {"0\\d", NumberFormatKind::kNumber},
  };
  for (const auto& [code, kind] : cases)
    EXPECT_EQ(ClassifyFormatCode(code), kind) << code;
  EXPECT_EQ(BuiltinFormatKind(14), NumberFormatKind::kDate);
  EXPECT_EQ(BuiltinFormatKind(22), NumberFormatKind::kDate);
  EXPECT_EQ(BuiltinFormatKind(20), NumberFormatKind::kTime);
  EXPECT_EQ(BuiltinFormatKind(46), NumberFormatKind::kDuration);
  EXPECT_EQ(BuiltinFormatKind(31), NumberFormatKind::kDate);  // zh-CN yyyy"年"m"月"d"日"
  EXPECT_EQ(BuiltinFormatKind(2), NumberFormatKind::kNumber);
  EXPECT_EQ(BuiltinFormatKind(49), NumberFormatKind::kNumber);  // @, text
}

TEST(ExcelNumberFormatTest, FormatsSerials) {
  using K = NumberFormatKind;
  struct Case {
    double serial;
    K kind;
    bool date1904;
    const char* expected;  // nullptr: not converted
  };
  const Case cases[] = {
      {1, K::kDate, false, "1900-01-01"},
      {59, K::kDate, false, "1900-02-28"},
      {60, K::kDate, false, nullptr},  // Lotus's 1900-02-29
      {61, K::kDate, false, "1900-03-01"},
      {25569, K::kDate, false, "1970-01-01"},
      {45356, K::kDate, false, "2024-03-05"},
      {45356.75, K::kDate, false, "2024-03-05T18:00:00"},
      {45356.5000057870, K::kDate, false, "2024-03-05T12:00:00.500"},
      {2958465, K::kDate, false, "9999-12-31"},
      {2958466, K::kDate, false, nullptr},
      {-1, K::kDate, false, nullptr},
      {0, K::kDate, true, "1904-01-01"},
      {43894, K::kDate, true, "2024-03-05"},
      {0.354166666666667, K::kTime, false, "08:30:00"},
      {0.354166666666667, K::kDate, false, "08:30:00"},  // no day 0 in the 1900 system
      {0.354166666666667, K::kTime, true, "08:30:00"},
      {1.5, K::kTime, false, "1900-01-01T12:00:00"},
      {1.0416666666666667, K::kDuration, false, "25:00:00"},
      {45356, K::kNumber, false, nullptr},
  };
  for (const Case& c : cases) {
    std::string out = "unchanged";
    const bool converted = FormatExcelSerial(c.serial, c.kind, c.date1904, &out);
    EXPECT_EQ(converted, c.expected != nullptr) << c.serial;
    EXPECT_EQ(out, c.expected != nullptr ? c.expected : "unchanged") << c.serial;
  }
}

TEST(XlsxTextTest, ColumnsAndEscapes) {
  EXPECT_EQ(XlsxColumnName(0), "A");
  EXPECT_EQ(XlsxColumnName(25), "Z");
  EXPECT_EQ(XlsxColumnName(26), "AA");
  EXPECT_EQ(XlsxColumnName(16383), "XFD");
  uint32_t column = 0;
  EXPECT_TRUE(ParseXlsxColumn("C7", &column));
  EXPECT_EQ(column, 2u);
  EXPECT_TRUE(ParseXlsxColumn("xfd1048576", &column));
  EXPECT_EQ(column, 16383u);
  EXPECT_FALSE(ParseXlsxColumn("XFE1", &column));
  EXPECT_FALSE(ParseXlsxColumn("7", &column));
  EXPECT_FALSE(ParseXlsxColumn("A7B", &column));

  std::string out;
  AppendXlsxUnescaped("a_x000D_b_x005F_x0041_ _xD83D__xDE00_ _x12_ _xD800_", &out);
  EXPECT_EQ(out, "a\rb_x0041_ \xF0\x9F\x98\x80 _x12_ _xD800_");
}

}  // namespace
}  // namespace fh::ingest
