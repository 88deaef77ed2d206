#include "ingest/json_record_reader.h"
#include "testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace fh::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Hands out at most `chunk` bytes per read, so that records and escapes straddle reads,
// and counts what was read, so that tests can see the reader does not slurp its input.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string data, size_t chunk, size_t* total_read)
      : data_(std::move(data)), chunk_(chunk), total_read_(total_read) {}
  Result<size_t> Read(char* dst, size_t n) override {
    n = std::min({n, chunk_, data_.size() - pos_});
    data_.copy(dst, n, pos_);
    pos_ += n;
    if (total_read_ != nullptr) *total_read_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t chunk_;
  size_t pos_ = 0;
  size_t* total_read_;
};

using Field = std::optional<std::string>;
struct Record {
  int64_t line;
  int64_t offset;
  std::vector<Field> fields;  // by final column
  std::string raw;
};
struct JsonTable {
  std::vector<std::string> columns;
  std::vector<Record> records;
  std::vector<size_t> batch_sizes;
};

struct ReadSpec {
  bool ndjson = false;
  size_t max_records = 1000;
  size_t chunk = 1 << 20;
  ReaderOptions options;
};

Result<JsonTable> ReadJson(const std::string& data, ReadSpec spec = {}) {
  FH_ASSIGN_OR_RETURN(auto reader,
                      MakeJsonReader(std::make_unique<TrickleSource>(data, spec.chunk, nullptr),
                                     "data.json", spec.options, spec.ndjson));
  JsonTable table;
  RecordBatch batch;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool more, reader->Next(batch, spec.max_records));
    if (!more) break;
    table.batch_sizes.push_back(batch.size());
    table.columns = batch.columns();
    for (size_t r = 0; r < batch.size(); ++r) {
      Record record{batch.line(r), batch.offset(r), {}, std::string(batch.raw(r))};
      EXPECT_LE(batch.field_count(r), batch.columns().size());
      for (size_t c = 0; c < batch.columns().size(); ++c) {
        const auto field = batch.field(r, c);
        record.fields.push_back(field ? Field(std::string(*field)) : std::nullopt);
      }
      table.records.push_back(std::move(record));
    }
  }
  for (Record& record : table.records)
    record.fields.resize(table.columns.size());
  return table;
}

JsonTable MustReadJson(const std::string& data, ReadSpec spec = {}) {
  auto table = ReadJson(data, spec);
  EXPECT_OK(table);
  return table.ok() ? std::move(table).value() : JsonTable{};
}

std::string JsonReadError(const std::string& data, ReadSpec spec = {}) {
  auto table = ReadJson(data, spec);
  EXPECT_FALSE(table.ok()) << "read " << (table.ok() ? table->records.size() : 0) << " records";
  if (table.ok()) return "";
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument) << table.status().ToString();
  return table.status().message();
}

TEST(JsonRecordReaderTest, NestedObjectsFlattenToDottedColumns) {
  const JsonTable t = MustReadJson(
      R"([{"id": 1, "machine": {"id": "M1", "loc": {"line": "L2"}}, "tags": [1, {"a": 2}],)"
      R"( "empty": {}}])");
  EXPECT_THAT(t.columns, ElementsAre("id", "machine.id", "machine.loc.line", "tags", "empty"));
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_THAT(t.records[0].fields, ElementsAre("1", "M1", "L2", R"([1, {"a": 2}])", "{}"));
}

TEST(JsonRecordReaderTest, ColumnsGrowWhileFillingAndAbsentKeysAreNull) {
  const std::string data = R"([{"a": 1}, {"b": "x"}, {"b": "y", "a": 2, "c": null}])";
  auto reader = MakeJsonReader(MakeBufferSource(data), "d.json", {}, false);
  ASSERT_OK(reader);
  RecordBatch batch;
  ASSERT_TRUE(*(*reader)->Next(batch, 100));
  EXPECT_THAT(batch.columns(), ElementsAre("a", "b", "c"));
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch.field(0, 0), "1");
  EXPECT_EQ(batch.field(0, 1), std::nullopt);  // the column did not exist yet
  EXPECT_EQ(batch.field(1, 0), std::nullopt);
  EXPECT_EQ(batch.field(1, 1), "x");
  EXPECT_EQ(batch.field(2, 0), "2");  // fields follow the columns, not the key order
  EXPECT_EQ(batch.field(2, 1), "y");
  EXPECT_EQ(batch.field(2, 2), std::nullopt);  // null
  EXPECT_FALSE(*(*reader)->Next(batch, 100));
}

TEST(JsonRecordReaderTest, ColumnsCarryOverToLaterBatches) {
  const JsonTable t = MustReadJson(R"([{"a": 1}, {"b": 2}, {"a": 3}])", {.max_records = 1});
  EXPECT_THAT(t.batch_sizes, ElementsAre(1, 1, 1));
  EXPECT_THAT(t.columns, ElementsAre("a", "b"));
  EXPECT_THAT(t.records[2].fields, ElementsAre("3", std::nullopt));
}

TEST(JsonRecordReaderTest, NumbersKeepTheirText) {
  const JsonTable t =
      MustReadJson(R"([{"a": 0.1, "b": 1e400, "c": -0, "d": 12345678901234567890123, "e": 1.0E+2,)"
                   R"( "f": 0.30000000000000004, "g": -7.50}])");
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_THAT(t.records[0].fields, ElementsAre("0.1", "1e400", "-0", "12345678901234567890123",
                                               "1.0E+2", "0.30000000000000004", "-7.50"));
}

TEST(JsonRecordReaderTest, MalformedNumbersAreErrors) {
  for (const char* number : {"01", "1.", "1e", "-", "1.e5", "-01"}) {
    EXPECT_THAT(JsonReadError(std::string(R"([{"a": )") + number + "}]"), HasSubstr("number"))
        << number;
  }
}

TEST(JsonRecordReaderTest, StringsAreUnescapedUtf8) {
  const JsonTable t = MustReadJson(
      R"([{"esc": "q\"b\\s\/n\nt\t", "latin": "caf\u00e9", "cjk": "\u4e2d\u6587", "raw": "中文",)"
      R"( "emoji": "\ud83d\ude00", "k\u0065y": "", "nul": "a\u0000b"}])");
  EXPECT_THAT(t.columns, ElementsAre("esc", "latin", "cjk", "raw", "emoji", "key", "nul"));
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_THAT(t.records[0].fields,
              ElementsAre("q\"b\\s/n\nt\t", "caf\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87", "中文",
                          "\xF0\x9F\x98\x80", "", std::string("a\0b", 3)));
}

TEST(JsonRecordReaderTest, BadEscapesAreErrors) {
  EXPECT_THAT(JsonReadError(R"([{"a": "\ud83d"}])"), HasSubstr("string"));  // lone high surrogate
  EXPECT_THAT(JsonReadError(R"([{"a": "\x41"}])"), HasSubstr("string"));
  EXPECT_THAT(JsonReadError(R"([{"a": "\u12"}])"), HasSubstr("string"));
}

TEST(JsonRecordReaderTest, LiteralsAndNull) {
  const JsonTable t = MustReadJson(R"([{"t": true, "f": false, "n": null}])");
  EXPECT_THAT(t.records[0].fields, ElementsAre("true", "false", std::nullopt));
  EXPECT_THAT(JsonReadError(R"([{"a": nul}])"), HasSubstr("literal"));
  EXPECT_THAT(JsonReadError(R"([{"a": truex}])"), HasSubstr("invalid JSON"));
}

TEST(JsonRecordReaderTest, ArraysAreKeptAsTheirTextAndValidated) {
  const JsonTable t = MustReadJson(R"([{"a": [ "x]", {"b": [1, 2]}, "\"[" ], "b": []}])");
  EXPECT_THAT(t.records[0].fields, ElementsAre(R"([ "x]", {"b": [1, 2]}, "\"[" ])", "[]"));
  EXPECT_THAT(JsonReadError(R"([{"a": [1, 01]}])"), HasSubstr("invalid number"));
  EXPECT_THAT(JsonReadError(R"([{"a": [1,, 2]}])"), HasSubstr("invalid JSON"));
}

TEST(JsonRecordReaderTest, LinesOffsetsAndRawOfPrettyPrintedArray) {
  const std::string data = "\xEF\xBB\xBF[\n  {\n    \"a\": 1\n  },\n  {\"a\": 2}\n]\n";
  const JsonTable t = MustReadJson(data, {.chunk = 3});
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].line, 2);
  EXPECT_EQ(t.records[0].raw, "{\n    \"a\": 1\n  }");
  EXPECT_EQ(t.records[1].line, 5);
  EXPECT_EQ(t.records[1].raw, "{\"a\": 2}");
  for (const Record& r : t.records) {
    EXPECT_EQ(data.substr(static_cast<size_t>(r.offset), r.raw.size()), r.raw);
  }
}

TEST(JsonRecordReaderTest, ErrorInsideAMultiLineElementNamesItsLine) {
  EXPECT_THAT(JsonReadError("[\n{\"a\": 1},\n{\n\"b\": 2,\n\"c\": tru\n}\n]"),
              StartsWith("data.json:5: "));
}

TEST(JsonRecordReaderTest, EscapesAndBracketsInStringsAtEveryPositionAndSplit) {
  // Escaped quotes and brackets inside strings must not end an element, wherever they fall
  // relative to read boundaries and to the scanner's 16-byte blocks.
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string value = std::string(pad, 'x') + R"(\\\"}]\\)";
    const std::string data = R"([{"a": ")" + value + R"(", "b": "{["}, {"a": "\\"}])";
    for (size_t chunk : {1, 2, 3, 7, 16, 17, 1 << 20}) {
      const JsonTable t = MustReadJson(data, {.chunk = chunk});
      ASSERT_EQ(t.records.size(), 2u) << pad << " " << chunk;
      EXPECT_EQ(t.records[0].fields[0], std::string(pad, 'x') + "\\\"}]\\");
      EXPECT_EQ(t.records[0].fields[1], "{[");
      EXPECT_EQ(t.records[1].fields[0], "\\");
    }
  }
}

TEST(JsonRecordReaderTest, StreamsLargeArraysInSmallBatches) {
  constexpr int kObjects = 100000;
  std::string data = "[\n";
  for (int i = 0; i < kObjects; ++i) {
    data += R"({"seq": )" + std::to_string(i) + R"(, "order": {"id": "PO-)" + std::to_string(i) +
            R"(", "qty": 1.5}, "note": "brace } and \" quote"})";
    data += i + 1 < kObjects ? ",\n" : "\n";
  }
  data += "]\n";

  size_t bytes_read = 0;
  auto reader = MakeJsonReader(std::make_unique<TrickleSource>(data, 4093, &bytes_read), "big.json",
                               {}, false);
  ASSERT_OK(reader);
  RecordBatch batch;
  int64_t records = 0;
  size_t batches = 0;
  while (true) {
    auto more = (*reader)->Next(batch, 777);
    ASSERT_OK(more);
    if (!*more) break;
    if (batches == 0) {
      // One block ahead at most: the rest of the file is still unread.
      EXPECT_LT(bytes_read, data.size() / 4);
    }
    ++batches;
    ASSERT_LE(batch.size(), 777u);
    for (size_t r = 0; r < batch.size(); ++r, ++records) {
      ASSERT_EQ(batch.field(r, 0), std::to_string(records));
      ASSERT_EQ(batch.line(r), records + 2);
    }
  }
  EXPECT_EQ(records, kObjects);
  EXPECT_EQ(batches, (kObjects + 776) / 777);
  EXPECT_THAT(batch.columns(), ElementsAre("seq", "order.id", "order.qty", "note"));
}

TEST(JsonRecordReaderTest, BatchesAreBoundedByBytes) {
  const std::string big(1 << 20, 'x');
  std::string data = "[";
  for (int i = 0; i < 20; ++i)
    data += std::string(i ? "," : "") + R"({"s": ")" + big + "\"}";
  data += "]";
  const JsonTable t = MustReadJson(data);
  EXPECT_EQ(t.records.size(), 20u);
  EXPECT_GT(t.batch_sizes.size(), 1u);
  EXPECT_LT(t.batch_sizes[0], 10u);
}

TEST(JsonRecordReaderTest, TruncatedArrayIsAnError) {
  EXPECT_THAT(JsonReadError("[{\"a\": 1},\n{\"a\": 2, \"b\": \"x"),
              AllOf(StartsWith("data.json:2: "), HasSubstr("truncated")));
  EXPECT_THAT(JsonReadError("[{\"a\": 1}\n"),
              AllOf(StartsWith("data.json:2: "), HasSubstr("not closed")));
  EXPECT_THAT(JsonReadError("[{\"a\": 1},"), HasSubstr("not closed"));
  EXPECT_THAT(JsonReadError("[{\"a\": 1},]"), HasSubstr("after ','"));
  EXPECT_THAT(JsonReadError("[{\"a\": 1}] x"), HasSubstr("after the array"));
  EXPECT_THAT(JsonReadError("[{\"a\": 1} {\"a\": 2}]"), HasSubstr("expected ',' or ']'"));
}

TEST(JsonRecordReaderTest, NonObjectElementIsAnError) {
  EXPECT_EQ(JsonReadError("[{\"a\": 1},\n 2]"),
            "data.json:2: element 2 of the array is not an object: found a number");
  EXPECT_THAT(JsonReadError(R"([["a"]])"), HasSubstr("found an array"));
  EXPECT_THAT(JsonReadError(R"({"a": 1})"), HasSubstr("expected a JSON array of objects"));
  EXPECT_THAT(JsonReadError(""), HasSubstr("empty input"));
}

TEST(JsonRecordReaderTest, EmptyArrayHasNoRecords) {
  const JsonTable t = MustReadJson(" [ ] ");
  EXPECT_TRUE(t.records.empty());
  EXPECT_TRUE(t.batch_sizes.empty());
}

TEST(JsonRecordReaderTest, ElementLongerThanTheLimitIsAnError) {
  ReadSpec spec;
  spec.options.max_record_bytes = 100;
  EXPECT_THAT(JsonReadError("[{\"a\": \"" + std::string(200, 'x') + "\"}]", spec),
              HasSubstr("longer than 100 bytes"));
}

TEST(JsonRecordReaderTest, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THAT(JsonReadError("[{\"a\": " + deep + "}]"), HasSubstr("deep"));
  std::string objects;
  for (int i = 0; i < 1000; ++i)
    objects += "{\"a\":";
  objects += "1" + std::string(1000, '}');
  EXPECT_THAT(JsonReadError("[" + objects + "]"), HasSubstr("deep"));
}

// A 100 KB line of nested arrays (the body that overflowed the stack of the HTTP samples
// endpoint) is refused with its line and the limit; the lines before it are read.
TEST(JsonRecordReaderTest, DeepNestingNamesTheLineAndTheLimit) {
  const std::string deep = std::string(50000, '[') + std::string(50000, ']');
  const std::string data = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": " + deep + "}\n";
  EXPECT_EQ(JsonReadError(data, {.ndjson = true}),
            "data.json:3: invalid JSON: nested more than 128 levels deep");
  // At the limit: read. The object is the first level.
  const std::string at_limit = std::string(127, '[') + std::string(127, ']');
  const JsonTable t = MustReadJson("{\"a\": " + at_limit + "}\n", {.ndjson = true});
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_EQ(t.records[0].fields[0], at_limit);
  const std::string past_limit = std::string(128, '[') + std::string(128, ']');
  EXPECT_THAT(JsonReadError("{\"a\": " + past_limit + "}\n", {.ndjson = true}),
              HasSubstr("nested more than 128 levels deep"));
}

TEST(JsonRecordReaderTest, NdjsonOneObjectPerLine) {
  const std::string data = "{\"a\": 1}\r\n\n  \r\n{\"b\": {\"c\": \"x\"}} \t\n{\"a\": 3}";
  const JsonTable t = MustReadJson(data, {.ndjson = true, .chunk = 2});
  EXPECT_THAT(t.columns, ElementsAre("a", "b.c"));
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[0].line, 1);
  EXPECT_EQ(t.records[0].raw, "{\"a\": 1}");
  EXPECT_EQ(t.records[1].line, 4);
  EXPECT_THAT(t.records[1].fields, ElementsAre(std::nullopt, "x"));
  EXPECT_EQ(t.records[1].raw, "{\"b\": {\"c\": \"x\"}} \t");
  EXPECT_EQ(t.records[2].line, 5);
  EXPECT_EQ(t.records[2].raw, "{\"a\": 3}");
  for (const Record& r : t.records) {
    EXPECT_EQ(data.substr(static_cast<size_t>(r.offset), r.raw.size()), r.raw);
  }
}

TEST(JsonRecordReaderTest, NdjsonBadLineIsNamed) {
  const std::string data = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": }\n{\"a\": 4}\n";
  auto reader = MakeJsonReader(MakeBufferSource(data), "events.ndjson", {}, true);
  ASSERT_OK(reader);
  RecordBatch batch;
  auto first = (*reader)->Next(batch, 2);
  ASSERT_OK(first);
  EXPECT_EQ(batch.size(), 2u);
  auto second = (*reader)->Next(batch, 2);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(second.status().message(), StartsWith("events.ndjson:3: invalid JSON"));
  // The reader stays failed rather than skipping the line.
  auto third = (*reader)->Next(batch, 2);
  EXPECT_EQ(third.status().message(), second.status().message());
}

TEST(JsonRecordReaderTest, NdjsonLineMustBeOneObject) {
  const ReadSpec nd{.ndjson = true};
  EXPECT_THAT(JsonReadError("{\"a\": 1}\n[1, 2]\n", nd),
              AllOf(StartsWith("data.json:2: "), HasSubstr("found an array")));
  EXPECT_THAT(JsonReadError("{\"a\": 1} {\"a\": 2}\n", nd), HasSubstr("after the object"));
  EXPECT_THAT(JsonReadError("{\"a\": 1}}\n", nd), HasSubstr("after the object"));
  EXPECT_THAT(JsonReadError("{\"a\": 1\n", nd), HasSubstr("invalid JSON"));
  EXPECT_THAT(JsonReadError("{\"a\": \"x\n\"}\n", nd), StartsWith("data.json:1: "));
  EXPECT_TRUE(MustReadJson("", nd).records.empty());
}

TEST(JsonRecordReaderTest, OnlyUtf8) {
  EXPECT_THAT(JsonReadError(std::string("\xFF\xFE[\0", 4)),
              AllOf(HasSubstr("UTF-16"), HasSubstr("convert")));
  EXPECT_THAT(JsonReadError(std::string("[\0{\0", 4), {.ndjson = true}), HasSubstr("UTF-16"));
  EXPECT_THAT(JsonReadError("[{\"a\": \"\xC3\x28\"}]"), HasSubstr("UTF-8"));
  ReadSpec gbk;
  gbk.options.encoding = "gbk";
  EXPECT_THAT(JsonReadError("[]", gbk), HasSubstr("UTF-8"));
  ReadSpec utf8;
  utf8.options.encoding = "UTF-8";
  EXPECT_TRUE(MustReadJson("\xEF\xBB\xBF[{\"a\": 1}]", utf8).records.size() == 1);
}

TEST(JsonRecordReaderTest, FormatAndEncoding) {
  auto json = MakeJsonReader(MakeBufferSource("[]"), "a", {}, false);
  auto ndjson = MakeJsonReader(MakeBufferSource(""), "a", {}, true);
  ASSERT_TRUE(json.ok() && ndjson.ok());
  EXPECT_EQ((*json)->format(), "json");
  EXPECT_EQ((*ndjson)->format(), "ndjson");
  EXPECT_EQ((*json)->encoding(), "utf-8");
}

}  // namespace
}  // namespace fh::ingest
