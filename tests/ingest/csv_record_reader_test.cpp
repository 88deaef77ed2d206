#include "ingest/csv_record_reader.h"
#include "testing/encode.h"
#include "testing/source_dir.h"

#include "ingest/csv_dialect.h"
#include "testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fh::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every case runs with these block sizes, so that records, quotes, CRLFs and characters
// cross reads and the reader's buffer boundary anywhere.
constexpr size_t kCsvBlockSizes[] = {1, 2, 3, 5, 7, 16, 64, 1 << 20};

using Fields = std::vector<std::optional<std::string>>;

struct CsvRow {
  int64_t line;
  Fields fields;
  std::string raw;
  int64_t offset;
};

struct CsvTable {
  std::vector<std::string> columns;
  std::vector<CsvRow> rows;
  std::string encoding;
  size_t batches = 0;
};

Result<CsvTable> ReadCsv(std::string_view data, ReaderOptions options, size_t max_records = 1000) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                      MakeCsvReader(MakeBufferSource(data), "data.csv", options));
  EXPECT_EQ(reader->format(), "csv");
  CsvTable table;
  table.encoding = std::string(reader->encoding());
  RecordBatch batch;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool more, reader->Next(batch, max_records));
    table.columns = batch.columns();
    if (!more) break;
    EXPECT_LE(batch.size(), max_records);
    EXPECT_GE(batch.size(), 1u);
    ++table.batches;
    for (size_t i = 0; i < batch.size(); ++i) {
      CsvRow row{batch.line(i), {}, std::string(batch.raw(i)), batch.offset(i)};
      for (size_t c = 0; c < batch.field_count(i); ++c) {
        std::optional<std::string_view> f = batch.field(i, c);
        row.fields.push_back(f ? std::optional<std::string>(*f) : std::nullopt);
      }
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

ReaderOptions CsvOptions(size_t block, std::optional<bool> header = std::nullopt,
                         char delimiter = 0) {
  ReaderOptions options;
  options.format = "csv";
  options.block_bytes = block;
  options.header = header;
  options.delimiter = delimiter;
  return options;
}

struct CsvReadCase {
  std::string name;
  std::string csv;
  std::vector<std::string> columns;
  std::vector<CsvRow> rows;  // offsets are checked separately
  std::optional<bool> header = std::nullopt;
  char delimiter = 0;
};

TEST(CsvRecordReaderTest, Reads) {
  const CsvReadCase cases[] = {
      {"plain",
       "name,qty\nbolt,5\nnut,7\n",
       {"name", "qty"},
       {{2, {"bolt", "5"}, "bolt,5", 0}, {3, {"nut", "7"}, "nut,7", 0}}},
      {"no final line feed",
       "name,qty\nbolt,5",
       {"name", "qty"},
       {{2, {"bolt", "5"}, "bolt,5", 0}}},
      {"empty input", "", {}, {}},
      {"header only", "name,qty\n", {"name", "qty"}, {}},
      {"quotes, escapes, delimiters inside",
       "a,b\n\"x,1\",\"he said \"\"hi\"\"\"\n\"\",\"\"\"\"\n",
       {"a", "b"},
       {{2, {"x,1", "he said \"hi\""}, "\"x,1\",\"he said \"\"hi\"\"\"", 0},
        {3, {"", "\""}, "\"\",\"\"\"\"", 0}}},
      {"embedded newlines keep line numbers",
       "id,note\n1,\"first\nsecond\nthird\"\n2,plain\n3,\"x\ny\"\n",
       {"id", "note"},
       {{2, {"1", "first\nsecond\nthird"}, "1,\"first\nsecond\nthird\"", 0},
        {5, {"2", "plain"}, "2,plain", 0},
        {6, {"3", "x\ny"}, "3,\"x\ny\"", 0}}},
      {"crlf, and crlf and a lone cr inside quotes",
       "a,b\r\n1,2\r\n\"x\r\ny\",\"p\rq\"\r\n3,4",
       {"a", "b"},
       {{2, {"1", "2"}, "1,2", 0},
        {3, {"x\r\ny", "p\rq"}, "\"x\r\ny\",\"p\rq\"", 0},
        {5, {"3", "4"}, "3,4", 0}}},
      {"bom dropped",
       "\xEF\xBB\xBFname,qty\nbolt,5\n",
       {"name", "qty"},
       {{2, {"bolt", "5"}, "bolt,5", 0}}},
      {"blank lines skipped and counted",
       "\nname,qty\n\r\n\nbolt,5\n\n",
       {"name", "qty"},
       {{5, {"bolt", "5"}, "bolt,5", 0}}},
      {"text after a closing quote is kept",
       "a,b\n\"ab\"c,\"x\" \n",
       {"a", "b"},
       {{2, {"abc", "x "}, "\"ab\"c,\"x\" ", 0}}},
      {"a quote inside a field is text",
       "a,b\nsay \"hi\",2\n",
       {"a", "b"},
       {{2, {"say \"hi\"", "2"}, "say \"hi\",2", 0}}},
      {"blanks kept, empty fields present",
       "a,b,c\n x ,,\n",
       {"a", "b", "c"},
       {{2, {" x ", "", ""}, " x ,,", 0}}},
      {"semicolon detected",
       "name;price;qty\nbolt;1,5;3\nnut;0,25;4\n",
       {"name", "price", "qty"},
       {{2, {"bolt", "1,5", "3"}, "bolt;1,5;3", 0}, {3, {"nut", "0,25", "4"}, "nut;0,25;4", 0}}},
      {"tab detected",
       "name\tnote\nbolt\ta, b; c\n",
       {"name", "note"},
       {{2, {"bolt", "a, b; c"}, "bolt\ta, b; c", 0}}},
      {"pipe detected", "a|b\n1|2\n", {"a", "b"}, {{2, {"1", "2"}, "1|2", 0}}},
      {"delimiter in quotes does not count",
       "\"a,x\";b\n\"1,5\";2\n",
       {"a,x", "b"},
       {{2, {"1,5", "2"}, "\"1,5\";2", 0}}},
      {"delimiter given",
       "a;b,c\n1;2,3\n",
       {"a;b", "c"},
       {{2, {"1;2", "3"}, "1;2,3", 0}},
       std::nullopt,
       ','},
      {"no header: numbers in the first row",
       "bolt,5\nnut,7\n",
       {"1", "2"},
       {{1, {"bolt", "5"}, "bolt,5", 0}, {2, {"nut", "7"}, "nut,7", 0}}},
      {"no header: a value repeats in its column",
       "A,x\nA,y\n",
       {"1", "2"},
       {{1, {"A", "x"}, "A,x", 0}, {2, {"A", "y"}, "A,y", 0}}},
      {"header forced", "1,2\n3,4\n", {"1", "2"}, {{2, {"3", "4"}, "3,4", 0}}, true},
      {"no header forced",
       "name,qty\nbolt,5\n",
       {"1", "2"},
       {{1, {"name", "qty"}, "name,qty", 0}, {2, {"bolt", "5"}, "bolt,5", 0}},
       false},
      {"header names trimmed, empty and repeated renamed",
       " id , note ,,note,note_4,id_3,id\n1,a,b,c,d,e,f\n",
       {"id", "note", "3", "note_4", "note_4_5", "id_3", "id_7"},
       {{2, {"1", "a", "b", "c", "d", "e", "f"}, "1,a,b,c,d,e,f", 0}}},
      {"short rows have nulls",
       "a,b,c\n1\n1,2\n",
       {"a", "b", "c"},
       {{2, {"1", std::nullopt, std::nullopt}, "1", 0}, {3, {"1", "2", std::nullopt}, "1,2", 0}}},
      {"no header: as many columns as the widest sampled row",
       "1,2\n3,4,5\n",
       {"1", "2", "3"},
       {{1, {"1", "2", std::nullopt}, "1,2", 0}, {2, {"3", "4", "5"}, "3,4,5", 0}}},
      {"whitespace: runs of blanks, leading and trailing ones ignored",
       "  1 2\t\t3  \n4   5 6 \n",
       {"1", "2", "3"},
       {{1, {"1", "2", "3"}, "  1 2\t\t3  ", 0}, {2, {"4", "5", "6"}, "4   5 6 ", 0}},
       std::nullopt,
       kWhitespaceDelimiter},
      {"whitespace: lines of blanks skipped, crlf, a header",
       "id  name \r\n \t \r\n\n7 bolt\r\n   \n8\tnut \r\n",
       {"id", "name"},
       {{4, {"7", "bolt"}, "7 bolt", 0}, {6, {"8", "nut"}, "8\tnut ", 0}},
       std::nullopt,
       kWhitespaceDelimiter},
      {"whitespace: quotes honoured, across lines too",
       "name note extra\n \"bolt M6\"  \"say \"\"hi\"\"\"x \"\"\n\"a\nb\" c\r\n\"x y\"\n",
       {"name", "note", "extra"},
       {{2, {"bolt M6", "say \"hi\"x", ""}, " \"bolt M6\"  \"say \"\"hi\"\"\"x \"\"", 0},
        {3, {"a\nb", "c", std::nullopt}, "\"a\nb\" c", 0},
        {5, {"x y", std::nullopt, std::nullopt}, "\"x y\"", 0}},
       std::nullopt,
       kWhitespaceDelimiter},
      {"whitespace: a quote inside a field is text, a header is given",
       "x 5\"\n",
       {"1", "2"},
       {{1, {"x", "5\""}, "x 5\"", 0}},
       false,
       kWhitespaceDelimiter},
      {"whitespace detected when spaces are consistent and commas are not",
       "1,5 2  \n3 4\n",
       {"1", "2"},
       {{1, {"1,5", "2"}, "1,5 2  ", 0}, {2, {"3", "4"}, "3 4", 0}}},
      {"consistent commas win over consistent spaces",
       "a b,c d\ne f,g h\n",
       {"a b", "c d"},
       {{2, {"e f", "g h"}, "e f,g h", 0}}},
      {"inconsistent spaces: one column",
       "note\na b\nc d e\n",
       {"note"},
       {{2, {"a b"}, "a b", 0}, {3, {"c d e"}, "c d e", 0}}},
  };
  for (const CsvReadCase& c : cases) {
    for (size_t block : kCsvBlockSizes) {
      SCOPED_TRACE(c.name + ", block " + std::to_string(block));
      Result<CsvTable> got = ReadCsv(c.csv, CsvOptions(block, c.header, c.delimiter));
      ASSERT_OK(got);
      EXPECT_EQ(got->columns, c.columns);
      ASSERT_EQ(got->rows.size(), c.rows.size());
      for (size_t i = 0; i < c.rows.size(); ++i) {
        SCOPED_TRACE("row " + std::to_string(i));
        EXPECT_EQ(got->rows[i].line, c.rows[i].line);
        EXPECT_EQ(got->rows[i].fields, c.rows[i].fields);
        EXPECT_EQ(got->rows[i].raw, c.rows[i].raw);
        // UTF-8 offsets are exact: raw is the source's text there.
        EXPECT_EQ(c.csv.substr(got->rows[i].offset, c.rows[i].raw.size()), c.rows[i].raw);
      }
    }
  }
}

TEST(CsvRecordReaderTest, WiderRowAfterTheSampleAddsAColumn) {
  std::string csv;
  for (size_t i = 0; i < kCsvSampleRecords + 5; ++i)
    csv += "1,2\n";
  csv += "3,4,5\n";
  for (size_t block : kCsvBlockSizes) {
    SCOPED_TRACE("block " + std::to_string(block));
    Result<CsvTable> got = ReadCsv(csv, CsvOptions(block));
    ASSERT_OK(got);
    EXPECT_THAT(got->columns, ElementsAre("1", "2", "3"));
    ASSERT_EQ(got->rows.size(), kCsvSampleRecords + 6);
    EXPECT_EQ(got->rows.front().fields, (Fields{"1", "2"}));
    EXPECT_EQ(got->rows.back().fields, (Fields{"3", "4", "5"}));
  }
}

struct CsvErrorCase {
  std::string name;
  std::string csv;
  std::string message;
  ReaderOptions options = CsvOptions(1 << 20);
};

TEST(CsvRecordReaderTest, Rejects) {
  ReaderOptions small = CsvOptions(1 << 20);
  small.max_record_bytes = 32;
  ReaderOptions utf8 = CsvOptions(1 << 20);
  utf8.encoding = "utf-8";
  const ReaderOptions blanks = CsvOptions(1 << 20, std::nullopt, kWhitespaceDelimiter);
  const CsvErrorCase cases[] = {
      {"longer row", "a,b\n1,2\n1,2,3\n", "data.csv:3: 3 fields, header has 2"},
      {"longer row after a multi-line record", "a,b\n1,\"x\ny\"\n1,2,3\n",
       "data.csv:4: 3 fields, header has 2"},
      {"unterminated quote names its line", "a,b\n1,2\n3,\"open\nstill\nopen\n",
       "data.csv:3: quoted field never closed"},
      {"unterminated quote in the header", "\"a,b\n", "data.csv:1: quoted field never closed"},
      {"record too long", "a,b\n1," + std::string(40, 'x') + "\n",
       "data.csv:2: record longer than 32 bytes", small},
      // Longer than a block, so that the limit, not the end of the input, stops it.
      {"runaway quote too long", "a,b\n1,\"" + std::string(3 << 20, 'x') + "\n",
       "data.csv:2: record longer than 32 bytes (a quoted field opened on line 2 is still open)",
       small},
      {"invalid utf-8", "a,b\n1,\xFF\n",
       "data.csv:2: byte offset 6: invalid utf-8 sequence (byte FF)", utf8},
      {"whitespace: longer row", "a b\n 1  2 3 \n", "data.csv:2: 3 fields, header has 2", blanks},
      {"whitespace: unterminated quote", "a b\n1 \"x\ny\n", "data.csv:2: quoted field never closed",
       blanks},
  };
  for (const CsvErrorCase& c : cases) {
    for (size_t block : kCsvBlockSizes) {
      SCOPED_TRACE(c.name + ", block " + std::to_string(block));
      ReaderOptions options = c.options;
      options.block_bytes = block;
      Result<CsvTable> got = ReadCsv(c.csv, options);
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(got.status().message(), HasSubstr(c.message));
    }
  }
}

TEST(CsvRecordReaderTest, ErrorSticksAndEarlierRecordsAreRead) {
  auto reader =
      MakeCsvReader(MakeBufferSource("a,b\n1,2\n1,2,3\n4,5\n"), "d.csv", CsvOptions(1024));
  ASSERT_OK(reader);
  RecordBatch batch;
  Result<bool> first = (*reader)->Next(batch, 1);
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ(batch.field(0, 1), "2");
  Result<bool> second = (*reader)->Next(batch, 1);
  ASSERT_FALSE(second.ok());
  Result<bool> third = (*reader)->Next(batch, 1);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().message(), second.status().message());
}

TEST(CsvRecordReaderTest, BadDelimiterOption) {
  Result<std::unique_ptr<RecordReader>> got =
      MakeCsvReader(MakeBufferSource("a"), "d.csv", CsvOptions(16, std::nullopt, '"'));
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.status().message(), HasSubstr("delimiter"));
}

using fh::testing::Encode;

struct EncodedCase {
  std::string name;
  std::string bytes;
  std::string encoding;
  std::string expected_encoding;
  std::vector<int64_t> offsets;  // of the data records in the source
};

TEST(CsvRecordReaderTest, ReadsOtherEncodings) {
  const std::string header = "设备编号,温度,备注\n";
  const std::string row1 = "泵-01,71.5,\"正常,运行\"\n";
  const std::string row2 = "阀-02,65.0,停机\n";
  const std::string text = header + row1 + row2;
  const std::string le = "\xFF\xFE" + Encode(text, "UTF-16LE");
  const std::string be = "\xFE\xFF" + Encode(text, "UTF-16BE");
  const std::string gbk = Encode(text, "GBK");
  auto offsets = [&](size_t bom, const char* enc) {
    const int64_t h = static_cast<int64_t>(bom + Encode(header, enc).size());
    return std::vector<int64_t>{h, h + static_cast<int64_t>(Encode(row1, enc).size())};
  };
  const EncodedCase cases[] = {
      {"utf-16le with bom", le, "auto", "utf-16le", offsets(2, "UTF-16LE")},
      {"utf-16be with bom", be, "auto", "utf-16be", offsets(2, "UTF-16BE")},
      {"gbk named", gbk, "gbk", "gbk", offsets(0, "GBK")},
      {"gbk detected as gb18030", gbk, "auto", "gb18030", offsets(0, "GBK")},
  };
  for (const EncodedCase& c : cases) {
    for (size_t block : kCsvBlockSizes) {
      SCOPED_TRACE(c.name + ", block " + std::to_string(block));
      ReaderOptions options = CsvOptions(block);
      options.encoding = c.encoding;
      Result<CsvTable> got = ReadCsv(c.bytes, options);
      ASSERT_OK(got);
      EXPECT_EQ(got->encoding, c.expected_encoding);
      EXPECT_THAT(got->columns, ElementsAre("设备编号", "温度", "备注"));
      ASSERT_EQ(got->rows.size(), 2u);
      EXPECT_EQ(got->rows[0].fields, (Fields{"泵-01", "71.5", "正常,运行"}));
      EXPECT_EQ(got->rows[0].raw, "泵-01,71.5,\"正常,运行\"");
      EXPECT_EQ(got->rows[1].fields, (Fields{"阀-02", "65.0", "停机"}));
      EXPECT_EQ(got->rows[1].line, 3);
      EXPECT_EQ(got->rows[0].offset, c.offsets[0]);
      EXPECT_EQ(got->rows[1].offset, c.offsets[1]);
    }
  }
}

TEST(CsvRecordReaderTest, BatchesCrossTheBuffer) {
  std::string csv = "id,name,note\n";
  for (int i = 0; i < 100; ++i) {
    csv += std::to_string(i) + ",name " + std::to_string(i) + ",\"multi\nline " +
           std::to_string(i) + "\"\n";
  }
  for (size_t block : {size_t{1}, size_t{5}, size_t{13}, size_t{100}}) {
    for (size_t max_records : {size_t{1}, size_t{3}, size_t{64}}) {
      SCOPED_TRACE("block " + std::to_string(block) + ", max " + std::to_string(max_records));
      Result<CsvTable> got = ReadCsv(csv, CsvOptions(block), max_records);
      ASSERT_OK(got);
      ASSERT_EQ(got->rows.size(), 100u);
      EXPECT_EQ(got->batches, (100 + max_records - 1) / max_records);
      for (int i = 0; i < 100; ++i) {
        const CsvRow& row = got->rows[i];
        EXPECT_EQ(row.line, 2 + 2 * i);
        EXPECT_EQ(row.fields, (Fields{std::to_string(i), "name " + std::to_string(i),
                                      "multi\nline " + std::to_string(i)}));
        EXPECT_EQ(csv.substr(row.offset, row.raw.size()), row.raw);
      }
    }
  }
}

// NASA's C-MAPSS FD001 training set: 26 numbers a line, separated by single spaces, two
// more at each line's end, no header: the repository's copy in data/datasets.
std::optional<std::string> CmapssPath() {
  const std::filesystem::path path =
      fh::testing::DataDir() / "datasets" / "cmapss-fd001" / "train_FD001.txt";
  if (!std::filesystem::exists(path)) return std::nullopt;
  return path.string();
}

std::vector<std::string> NumberedColumns(size_t count) {
  std::vector<std::string> names;
  for (size_t i = 1; i <= count; ++i)
    names.push_back(std::to_string(i));
  return names;
}

TEST(CsvRecordReaderTest, CmapssFirstLinesAreWhitespaceSeparated) {
  const std::optional<std::string> path = CmapssPath();
  ASSERT_TRUE(path.has_value()) << "data/datasets/cmapss-fd001 not found in the source tree";
  std::ifstream in(*path, std::ios::binary);
  std::string head;
  for (std::string line; head.size() < 1000 && std::getline(in, line);)
    head += line + "\n";
  ASSERT_EQ(head.substr(0, 32), "1 1 -0.0007 -0.0004 100.0 518.67");
  for (size_t block : kCsvBlockSizes) {
    SCOPED_TRACE("block " + std::to_string(block));
    Result<CsvTable> got = ReadCsv(head, CsvOptions(block));
    ASSERT_OK(got);
    EXPECT_EQ(got->columns, NumberedColumns(26));
    ASSERT_GE(got->rows.size(), 5u);
    const CsvRow& first = got->rows[0];
    EXPECT_EQ(first.line, 1);
    ASSERT_EQ(first.fields.size(), 26u);
    EXPECT_EQ(first.fields[0], "1");
    EXPECT_EQ(first.fields[2], "-0.0007");
    EXPECT_EQ(first.fields[5], "518.67");
    EXPECT_EQ(first.fields[25], "23.4190");
    EXPECT_EQ(first.raw, head.substr(0, head.find('\n')));
    EXPECT_EQ(got->rows[1].fields[1], "2");
  }
}

TEST(CsvRecordReaderTest, CmapssWholeTrainingSet) {
  const std::optional<std::string> path = CmapssPath();
  ASSERT_TRUE(path.has_value()) << "data/datasets/cmapss-fd001 not found in the source tree";
  ReaderOptions options;  // everything detected, as an import without a mapping would
  Result<std::unique_ptr<RecordReader>> reader = OpenRecordReader(*path, options);
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->format(), "csv");
  RecordBatch batch;
  size_t records = 0;
  std::string last_unit;
  while (true) {
    Result<bool> more = (*reader)->Next(batch, 4096);
    ASSERT_OK(more);
    if (!*more) break;
    ASSERT_EQ(batch.columns(), NumberedColumns(26));
    for (size_t i = 0; i < batch.size(); ++i) {
      ASSERT_EQ(batch.field_count(i), 26u) << "line " << batch.line(i);
      ASSERT_TRUE(batch.field(i, 25).has_value()) << "line " << batch.line(i);
      last_unit = std::string(*batch.field(i, 0));
    }
    records += batch.size();
  }
  EXPECT_EQ(records, 20631u);
  EXPECT_EQ(last_unit, "100");
}

// A field as a CSV writer would put it: quoted when it must be.
std::string Quote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos && !field.empty()) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

TEST(CsvRecordReaderTest, GeneratedFileRoundTrips) {
  std::mt19937 rng(42);
  const std::vector<std::string> pieces = {"a",    "Z",    "7", " ", ",",    "\"", "\n",
                                           "\r\n", "温度", "é", "😀", "-1.5", "x y"};
  constexpr int kRows = 50000;
  constexpr int kColumns = 6;
  std::vector<std::vector<std::string>> expected;
  std::string csv = "c1,c2,c3,c4,c5,c6\r\n";
  std::vector<int64_t> lines;
  int64_t line = 2;
  for (int r = 0; r < kRows; ++r) {
    std::vector<std::string>& row = expected.emplace_back();
    std::string text;
    for (int c = 0; c < kColumns; ++c) {
      std::string field;
      // Mostly plain fields, sometimes with something to quote.
      const int length = static_cast<int>(rng() % 6);
      const bool tricky = rng() % 8 == 0;
      for (int k = 0; k < length; ++k) {
        field += pieces[tricky ? rng() % pieces.size() : rng() % 4];
      }
      if (c == 0) field = std::to_string(r) + field;  // a row never starts blank
      row.push_back(field);
      if (c > 0) text += ',';
      text += Quote(field);
    }
    lines.push_back(line);
    line += 1 + std::count(text.begin(), text.end(), '\n');
    csv += text + (r % 2 ? "\n" : "\r\n");
  }
  for (size_t block : {size_t{4096}, size_t{1} << 20}) {
    SCOPED_TRACE("block " + std::to_string(block));
    Result<CsvTable> got = ReadCsv(csv, CsvOptions(block), 1000);
    ASSERT_OK(got);
    EXPECT_EQ(got->columns.size(), static_cast<size_t>(kColumns));
    ASSERT_EQ(got->rows.size(), static_cast<size_t>(kRows));
    EXPECT_EQ(got->batches, static_cast<size_t>(kRows / 1000));
    for (int r = 0; r < kRows; ++r) {
      const CsvRow& row = got->rows[r];
      ASSERT_EQ(row.fields.size(), static_cast<size_t>(kColumns)) << "row " << r;
      for (int c = 0; c < kColumns; ++c) {
        ASSERT_EQ(row.fields[c], expected[r][c]) << "row " << r << " column " << c;
      }
      ASSERT_EQ(row.line, lines[r]) << "row " << r;
      ASSERT_EQ(csv.substr(row.offset, row.raw.size()), row.raw) << "row " << r;
    }
  }
}

}  // namespace
}  // namespace fh::ingest
