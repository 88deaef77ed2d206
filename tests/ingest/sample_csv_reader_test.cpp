#include "ingest/sample_csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::ingest {
namespace {

constexpr int64_t kT0 = 1767225600LL * kNanosPerSecond;  // 2026-01-01T00:00:00Z
constexpr int64_t kS = kNanosPerSecond;

struct SamplePoint {
  std::string tag;
  int64_t ts;
  double value;
  uint32_t quality = kQualityGood;
  // Values compare by bits, so NaN equals NaN and -0.0 differs from 0.0.
  bool operator==(const SamplePoint& o) const {
    return tag == o.tag && ts == o.ts && quality == o.quality &&
           std::memcmp(&value, &o.value, sizeof value) == 0;
  }
};
void PrintTo(const SamplePoint& p, std::ostream* os) {
  *os << "{" << p.tag << ", " << FormatRfc3339(p.ts) << ", " << p.value << ", " << p.quality << "}";
}

// Every case runs with these block sizes, so that lines, BOMs and CRLFs split anywhere.
constexpr size_t kSampleBlockSizes[] = {1, 2, 3, 5, 7, 16, 64, 4 << 20};

SampleCsvOptions SampleOptions(size_t block_bytes) {
  SampleCsvOptions options;
  options.display_name = "data.csv";
  options.block_bytes = block_bytes;
  return options;
}

Result<std::vector<SamplePoint>> ReadSamples(SampleCsvReader& reader) {
  std::vector<SamplePoint> points;
  SampleBatch batch;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool more, reader.Next(&batch));
    if (!more) break;
    for (size_t i = 0; i < batch.size(); ++i) {
      points.push_back(
          {batch.tag_names()[batch.tag()[i]], batch.ts()[i], batch.value()[i], batch.quality()[i]});
    }
  }
  return points;
}

Result<std::vector<SamplePoint>> ReadSamples(std::string_view csv, SampleCsvOptions options) {
  std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv, options);
  return ReadSamples(*reader);
}

struct SampleReadCase {
  std::string name;
  std::string csv;
  std::vector<SamplePoint> expected;
  std::optional<TimeUnit> epoch_unit = std::nullopt;
};

TEST(SampleCsvReaderTest, Reads) {
  const SampleReadCase cases[] = {
      {"no header",
       "2026-01-01T00:00:00Z,a,1.5\n2026-01-01T00:00:01Z,b,-2\n",
       {{"a", kT0, 1.5}, {"b", kT0 + kS, -2}}},
      {"no final line feed", "2026-01-01T00:00:00Z,a,1.5", {{"a", kT0, 1.5}}},
      {"empty input", "", {}},
      {"header only", "timestamp,tag,value\n", {}},
      {"header", "timestamp,tag,value\n2026-01-01T00:00:00Z,a,1\n", {{"a", kT0, 1}}},
      {"header names in any case, quality column",
       "Time,Name,VALUE,Quality\n2026-01-01T00:00:00Z,a,1,bad\n",
       {{"a", kT0, 1, kQualityBad}}},
      {"reordered header", "tag,value,ts\na,1.5,2026-01-01T00:00:00Z\n", {{"a", kT0, 1.5}}},
      {"reordered header with quality",
       "quality,signal,time,value\n64,a,2026-01-01T00:00:00Z,3\n",
       {{"a", kT0, 3, kQualityUncertain}}},
      {"quoted header",
       "\"timestamp\",\"tag\",\"value\"\n2026-01-01T00:00:00Z,a,1\n",
       {{"a", kT0, 1}}},
      {"quoted fields",
       "2026-01-01T00:00:00Z,\"a,b\",1\n"
       "2026-01-01T00:00:00Z,\"say \"\"hi\"\"\",2\n"
       "\"2026-01-01T00:00:00Z\",\"c\",\"3\",\"good\"\n"
       "2026-01-01T00:00:00Z, \"spaced tag \" ,4\n"
       "2026-01-01T00:00:00Z,\"\"\"\",5\n",
       {{"a,b", kT0, 1},
        {"say \"hi\"", kT0, 2},
        {"c", kT0, 3},
        {"spaced tag ", kT0, 4},
        {"\"", kT0, 5}}},
      {"quote inside an unquoted field is kept",
       "2026-01-01T00:00:00Z,a\"b,1\n",
       {{"a\"b", kT0, 1}}},
      {"CRLF",
       "timestamp,tag,value\r\n2026-01-01T00:00:00Z,a,1\r\n2026-01-01T00:00:00Z,b,2\r\n",
       {{"a", kT0, 1}, {"b", kT0, 2}}},
      {"BOM and header",
       "\xEF\xBB\xBFtimestamp,tag,value\r\n2026-01-01T00:00:00Z,a,1\r\n",
       {{"a", kT0, 1}}},
      {"BOM without header",
       "\xEF\xBB\xBF"
       "2026-01-01T00:00:00Z,a,1\n",
       {{"a", kT0, 1}}},
      {"blank lines",
       "\n\ntimestamp,tag,value\n\n2026-01-01T00:00:00Z,a,1\n  \n\t\r\n\r\n"
       "2026-01-01T00:00:00Z,b,2\n\n",
       {{"a", kT0, 1}, {"b", kT0, 2}}},
      {"blanks around fields", " 2026-01-01T00:00:00Z ,\ta\t, 1.5 , good \n", {{"a", kT0, 1.5}}},
      {"quality forms",
       "2026-01-01T00:00:00Z,a,1,good\n2026-01-01T00:00:00Z,a,1,GOOD\n"
       "2026-01-01T00:00:00Z,a,1,Uncertain\n2026-01-01T00:00:00Z,a,1,bad\n"
       "2026-01-01T00:00:00Z,a,1,0\n2026-01-01T00:00:00Z,a,1,255\n"
       "2026-01-01T00:00:00Z,a,1,\n2026-01-01T00:00:00Z,a,1,007\n",
       {{"a", kT0, 1, 192},
        {"a", kT0, 1, 192},
        {"a", kT0, 1, 64},
        {"a", kT0, 1, 0},
        {"a", kT0, 1, 0},
        {"a", kT0, 1, 255},
        {"a", kT0, 1, 192},
        {"a", kT0, 1, 7}}},
      {"3 and 4 fields mixed",
       "2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:00Z,a,2,bad\n",
       {{"a", kT0, 1}, {"a", kT0, 2, kQualityBad}}},
      {"timestamps with offsets and fractions",
       "2026-01-01T08:00:00+08:00,a,1\n2026-01-01T00:00:00.25Z,a,2\n"
       "2026-01-01 00:00:01z,a,3\n1969-12-31T23:59:59Z,a,4\n",
       {{"a", kT0, 1}, {"a", kT0 + kS / 4, 2}, {"a", kT0 + kS, 3}, {"a", -kS, 4}}},
      {"repeated timestamp text",
       "2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:00Z,b,2\n2026-01-01T00:00:01Z,a,3\n"
       "2026-01-01T00:00:01Z,b,4\n",
       {{"a", kT0, 1}, {"b", kT0, 2}, {"a", kT0 + kS, 3}, {"b", kT0 + kS, 4}}},
      {"UTF-8 tag", "2026-01-01T00:00:00Z,车间1.温度,21.5\n", {{"车间1.温度", kT0, 21.5}}},
      {"epoch seconds",
       "1767225600,a,1\n1767225600.5,a,2\n",
       {{"a", kT0, 1}, {"a", kT0 + kS / 2, 2}},
       TimeUnit::kSeconds},
      {"epoch milliseconds with header",
       "ts,tag,value\n1767225600001,a,1\n",
       {{"a", kT0 + kNanosPerMilli, 1}},
       TimeUnit::kMillis},
      {"epoch nanoseconds", "1767225600000000001,a,1\n", {{"a", kT0 + 1, 1}}, TimeUnit::kNanos},
  };
  for (const SampleReadCase& c : cases) {
    for (size_t block : kSampleBlockSizes) {
      SampleCsvOptions options = SampleOptions(block);
      options.epoch_unit = c.epoch_unit;
      Result<std::vector<SamplePoint>> got = ReadSamples(c.csv, options);
      ASSERT_OK(got) << c.name << " (block " << block << "): " << got.status().ToString();
      EXPECT_THAT(*got, ::testing::ElementsAreArray(c.expected))
          << c.name << " (block " << block << ")";
    }
  }
}

TEST(SampleCsvReaderTest, ValuesAreExact) {
  const struct {
    std::string text;
    double expected;
  } cases[] = {
      {"71.234", 71.234},
      {"0.1", 0.1},
      {"-0.0", -0.0},
      {"0", 0.0},
      {"+1.5", 1.5},
      {"1e-320", 1e-320},  // a denormal
      {"4.9406564584124654e-324", std::numeric_limits<double>::denorm_min()},
      {"2.2250738585072011e-308", 2.2250738585072011e-308},
      {"1.7976931348623157e308", std::numeric_limits<double>::max()},
      {"123456789012345678901234567890", 123456789012345678901234567890.0},
      {"1e-400", 0.0},  // underflows to zero, as strtod does
      {"inf", std::numeric_limits<double>::infinity()},
      {"Infinity", std::numeric_limits<double>::infinity()},
      {"-inf", -std::numeric_limits<double>::infinity()},
      {"nan", std::numeric_limits<double>::quiet_NaN()},
      {"NaN", std::numeric_limits<double>::quiet_NaN()},
  };
  for (const auto& c : cases) {
    const std::string csv = "2026-01-01T00:00:00Z,a," + c.text + "\n";
    Result<std::vector<SamplePoint>> got = ReadSamples(csv, SampleOptions(64));
    ASSERT_OK(got) << c.text << ": " << got.status().ToString();
    ASSERT_EQ(got->size(), 1u);
    const double v = (*got)[0].value;
    if (std::isnan(c.expected)) {
      EXPECT_TRUE(std::isnan(v)) << c.text;
    } else {
      EXPECT_EQ(std::memcmp(&v, &c.expected, sizeof v), 0) << c.text << " read as " << v;
    }
  }
}

TEST(SampleCsvReaderTest, ValuesMatchStrtod) {
  // The reader's short-decimal fast path and fast_float must both round like strtod.
  std::mt19937_64 rng(1);
  std::string csv;
  std::vector<std::string> texts;
  for (int i = 0; i < 50000; ++i) {
    std::string text = (rng() % 4 == 0) ? "-" : "";
    const int int_digits = static_cast<int>(rng() % 12);
    const int fraction_digits = static_cast<int>(rng() % 12);
    for (int d = 0; d < int_digits; ++d)
      text += static_cast<char>('0' + rng() % 10);
    if (fraction_digits > 0 || int_digits == 0) {
      text += '.';
      for (int d = 0; d < std::max(fraction_digits, 1); ++d) {
        text += static_cast<char>('0' + rng() % 10);
      }
    }
    if (rng() % 8 == 0) text += "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
    texts.push_back(text);
    csv += "2026-01-01T00:00:00Z,a," + text + "\n";
  }
  Result<std::vector<SamplePoint>> got = ReadSamples(csv, SampleOptions(4 << 20));
  ASSERT_OK(got);
  ASSERT_EQ(got->size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const double expected = std::strtod(texts[i].c_str(), nullptr);
    const double v = (*got)[i].value;
    ASSERT_EQ(std::memcmp(&v, &expected, sizeof v), 0) << texts[i] << " read as " << v;
  }
}

struct SampleErrorCase {
  std::string csv;
  std::string message;
  std::optional<TimeUnit> epoch_unit = std::nullopt;
};

TEST(SampleCsvReaderTest, RejectsWithFileLineAndField) {
  const std::string ts = "2026-01-01T00:00:00Z";
  const SampleErrorCase cases[] = {
      {ts + ",a,abc\n", "data.csv:1: field 'value': not a number: 'abc'"},
      {"timestamp,tag,value\n\n" + ts + ",a,1\n" + ts + ",a,abc\n",
       "data.csv:4: field 'value': not a number: 'abc'"},
      {"\xEF\xBB\xBFts,tag,value\r\n\r\n" + ts + ",a,x\r\n",
       "data.csv:3: field 'value': not a number: 'x'"},
      {ts + ",a,\n", "data.csv:1: field 'value': not a number: ''"},
      {ts + ",a,1.5.2\n", "data.csv:1: field 'value': not a number: '1.5.2'"},
      {ts + ",a,0x10\n", "data.csv:1: field 'value': not a number: '0x10'"},
      {ts + ",a,+-1\n", "data.csv:1: field 'value': not a number: '+-1'"},
      {ts + ",a,1e400\n", "data.csv:1: field 'value': out of range for a double: '1e400'"},
      {ts + ",a," + std::string(100, '9') + "x\n",
       "data.csv:1: field 'value': not a number: '" + std::string(64, '9') + "...'"},
      {ts + ",a,1,good,extra\n",
       "data.csv:1: expected 3 or 4 fields (timestamp,tag,value[,quality]), got 5"},
      {ts + ",a,1,good,\"x,y\",z\n",
       "data.csv:1: expected 3 or 4 fields (timestamp,tag,value[,quality]), got 6"},
      {ts + ",a\n", "data.csv:1: expected 3 or 4 fields (timestamp,tag,value[,quality]), got 2"},
      {"tag,timestamp,value\na," + ts + ",1,good\n",
       "data.csv:2: expected 3 fields (tag,timestamp,value as in the header), got 4"},
      {ts + ",,1\n", "data.csv:1: field 'tag': empty: ''"},
      {ts + ",\"\",1\n", "data.csv:1: field 'tag': empty: ''"},
      {ts + "," + std::string(256, 'x') + ",1\n",
       "data.csv:1: field 'tag': longer than 255 bytes: '" + std::string(64, 'x') + "...'"},
      {ts + "," + std::string(63, 'x') + "温度" + std::string(200, 'x') + ",1\n",
       "data.csv:1: field 'tag': longer than 255 bytes: '" + std::string(63, 'x') + "...'"},
      {ts + ",\"abc,1\n", "data.csv:1: field 'tag': unterminated quote: '\"abc,1'"},
      {"tag,value,ts\n\"a,1," + ts + "\n",
       "data.csv:2: field 'tag': unterminated quote: '\"a,1," + ts + "'"},
      {ts + ",\"a\"b,1\n", "data.csv:1: field 'tag': text after the closing quote: '\"a\"b'"},
      {"2026-13-01T00:00:00Z,a,1\n",
       "data.csv:1: field 'timestamp': month 13 out of range (01-12): '2026-13-01T00:00:00Z'"},
      {"2026-01-01T00:00:00,a,1\n",
       "data.csv:1: field 'timestamp': missing time zone offset (Z or ±HH:MM): "
       "'2026-01-01T00:00:00'"},
      {",a,1\n", "data.csv:1: field 'timestamp': empty: ''"},
      {"1767225600,a,1\n",
       "data.csv:1: field 'timestamp': a number, not an RFC 3339 time: pass --epoch "
       "s|ms|us|ns to say its unit: '1767225600'"},
      {ts + ",a,1\n",
       "data.csv:1: field 'timestamp': not a number of s since the epoch: '" + ts + "'",
       TimeUnit::kSeconds},
      {"99999999999,a,1\n",
       "data.csv:1: field 'timestamp': out of range (int64 nanoseconds: years 1677-2262): "
       "'99999999999'",
       TimeUnit::kSeconds},
      // INT64_MAX parses but is reserved by the store: it failed the whole write there.
      {"9223372036854775807,a,1\n",
       "data.csv:1: field 'timestamp': out of range (the store keeps "
       "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775806Z): '9223372036854775807'",
       TimeUnit::kNanos},
      {"2262-04-11T23:47:16.854775807Z,a,1\n",
       "data.csv:1: field 'timestamp': out of range (the store keeps "
       "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775806Z): "
       "'2262-04-11T23:47:16.854775807Z'"},
      {ts + ",a,1,256\n", "data.csv:1: field 'quality': not 0-255 or good/uncertain/bad: '256'"},
      {ts + ",a,1,ok\n", "data.csv:1: field 'quality': not 0-255 or good/uncertain/bad: 'ok'"},
      {ts + ",a,1,-1\n", "data.csv:1: field 'quality': not 0-255 or good/uncertain/bad: '-1'"},
      {"timestamp,tag,value,unit\n",
       "data.csv:1: unknown column 'unit' in header (expected timestamp|time|ts, "
       "tag|name|signal, value, quality)"},
      {"Date,Tag,Value\n",
       "data.csv:1: unknown column 'Date' in header (expected timestamp|time|ts, "
       "tag|name|signal, value, quality)"},
      {"ts,time,value\n", "data.csv:1: header names the timestamp column twice ('ts' and 'time')"},
      {"ts,tag,quality\n", "data.csv:1: header has no value column"},
      {"ts,tag\n",
       "data.csv:1: header has 2 columns; expected 3 or 4 (timestamp,tag,value[,quality])"},
      {"ts,tag,value,quality,unit\n",
       "data.csv:1: header has 5 columns; expected 3 or 4 (timestamp,tag,value[,quality])"},
  };
  for (const SampleErrorCase& c : cases) {
    for (size_t block : kSampleBlockSizes) {
      SampleCsvOptions options = SampleOptions(block);
      options.epoch_unit = c.epoch_unit;
      Result<std::vector<SamplePoint>> got = ReadSamples(c.csv, options);
      ASSERT_FALSE(got.ok()) << c.csv << " (block " << block << ") was accepted";
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(got.status().message(), c.message) << "(block " << block << ")";
    }
  }
}

TEST(SampleCsvReaderTest, LongLines) {
  const std::string ok_line = "2026-01-01T00:00:00Z," + std::string(255, 't') + ",1\n";
  for (size_t block : kSampleBlockSizes) {
    SampleCsvOptions options = SampleOptions(block);
    options.max_line_bytes = ok_line.size() - 1;  // without the line feed
    Result<std::vector<SamplePoint>> got = ReadSamples(ok_line + ok_line, options);
    ASSERT_OK(got);
    EXPECT_EQ(got->size(), 2u);

    options.max_line_bytes = 32;
    got = ReadSamples("2026-01-01T00:00:00Z,a,1\n" + ok_line, options);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message(), "data.csv:2: line longer than 32 bytes");
  }
}

TEST(SampleCsvReaderTest, StaysFailedAfterAnError) {
  const std::string csv = "2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:00Z,a,x\n";
  std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv, SampleOptions(64));
  SampleBatch batch;
  Result<bool> first = reader->Next(&batch);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(batch.size(), 1u);  // the points before the bad line
  Result<bool> again = reader->Next(&batch);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), first.status().message());
  EXPECT_TRUE(batch.empty());
}

// skip_bad_lines: a malformed data line is kept (line, text, reason without the file:line
// prefix) and reading goes on; each point's line is known.
TEST(SampleCsvReaderTest, SkipsBadLinesAndSaysWhichAndWhy) {
  const std::string csv =
      "timestamp,tag,value\r\n"
      "2026-01-01T00:00:00Z,a,1\r\n"
      "2026-01-01T00:00:01Z,a,x\r\n"
      "\n"
      "2026-01-01T00:00:02Z,,2\n"
      "2026-01-01T00:00:03Z,b,3\n"
      "2026-01-01T00:00:04Z,b\n";
  for (size_t block : kSampleBlockSizes) {
    SampleCsvOptions options = SampleOptions(block);
    options.skip_bad_lines = true;
    std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv, options);
    SampleBatch batch;
    std::vector<int64_t> point_lines;
    std::vector<BadSampleLine> bad;
    int64_t points = 0;
    while (true) {
      Result<bool> more = reader->Next(&batch);
      ASSERT_OK(more);
      if (!*more) break;
      for (size_t i = 0; i < batch.size(); ++i)
        point_lines.push_back(reader->point_line(i));
      bad.insert(bad.end(), reader->bad_lines().begin(), reader->bad_lines().end());
      points += static_cast<int64_t>(batch.size());
    }
    EXPECT_EQ(points, 2);
    EXPECT_THAT(point_lines, ::testing::ElementsAre(2, 6));
    ASSERT_EQ(bad.size(), 3u);
    EXPECT_EQ(bad[0].line, 3);
    EXPECT_EQ(bad[0].raw, "2026-01-01T00:00:01Z,a,x");
    EXPECT_EQ(bad[0].message, "field 'value': not a number: 'x'");
    EXPECT_EQ(bad[1].line, 5);
    EXPECT_EQ(bad[1].message, "field 'tag': empty: ''");
    EXPECT_EQ(bad[2].line, 7);
    EXPECT_THAT(bad[2].message, ::testing::HasSubstr("expected 3 fields"));
  }
}

// Each point's line, across batches and around blank lines and the header.
TEST(SampleCsvReaderTest, KnowsEachPointsLine) {
  const std::string csv =
      "\ntimestamp,tag,value\n"
      "2026-01-01T00:00:00Z,a,1\n"
      "2026-01-01T00:00:01Z,a,2\n"
      "\n\n"
      "2026-01-01T00:00:02Z,a,3\n"
      "2026-01-01T00:00:03Z,a,4\n"
      "2026-01-01T00:00:04Z,a,5\n";
  for (size_t block : kSampleBlockSizes) {
    SampleCsvOptions options = SampleOptions(block);
    options.batch_points = 2;
    std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv, options);
    SampleBatch batch;
    std::vector<int64_t> lines;
    while (true) {
      Result<bool> more = reader->Next(&batch);
      ASSERT_OK(more);
      if (!*more) break;
      for (size_t i = 0; i < batch.size(); ++i)
        lines.push_back(reader->point_line(i));
    }
    EXPECT_THAT(lines, ::testing::ElementsAre(3, 4, 7, 8, 9)) << "block " << block;
  }
}

// The header and an over-long line still fail the reader: they are the input's fault, not
// one record's.
TEST(SampleCsvReaderTest, SkippingBadLinesStillFailsOnTheInputsOwnErrors) {
  SampleCsvOptions options = SampleOptions(64);
  options.skip_bad_lines = true;
  Result<std::vector<SamplePoint>> got = ReadSamples("time,tag,value,colour\n", options);
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.status().message(), ::testing::HasSubstr("data.csv:1: unknown column 'colour'"));

  options.max_line_bytes = 32;
  got = ReadSamples(
      "2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:00Z," + std::string(64, 't') + ",1\n", options);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "data.csv:2: line longer than 32 bytes");
}

// A file of nothing but bad lines is returned in slices: memory does not grow with it.
TEST(SampleCsvReaderTest, ARunOfBadLinesComesInBoundedSlices) {
  std::string csv;
  for (int i = 0; i < 10000; ++i)
    csv += "2026-01-01T00:00:00Z,a,x\n";
  SampleCsvOptions options = SampleOptions(4 << 20);
  options.skip_bad_lines = true;
  std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv, options);
  SampleBatch batch;
  size_t total = 0, largest = 0;
  while (true) {
    Result<bool> more = reader->Next(&batch);
    ASSERT_OK(more);
    if (!*more) break;
    EXPECT_TRUE(batch.empty());
    total += reader->bad_lines().size();
    largest = std::max(largest, reader->bad_lines().size());
  }
  EXPECT_EQ(total, 10000u);
  EXPECT_LE(largest, 4096u);
}

TEST(SampleCsvReaderTest, Batches) {
  std::string csv = "timestamp,tag,value\n";
  for (int i = 0; i < 5; ++i) {
    csv += FormatRfc3339(kT0 + i * kS) + ",tag" + std::to_string(i % 2) + "," + std::to_string(i) +
           "\n";
  }
  csv += "\n";
  for (size_t block : kSampleBlockSizes) {
    SampleCsvOptions options = SampleOptions(block);
    options.batch_points = 2;
    std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv, options);
    SampleBatch batch;
    std::vector<size_t> sizes;
    int64_t index = 0;
    while (true) {
      Result<bool> more = reader->Next(&batch);
      ASSERT_OK(more);
      if (!*more) break;
      sizes.push_back(batch.size());
      for (int64_t ts : batch.ts())
        EXPECT_EQ(ts, kT0 + index++ * kS);
      EXPECT_LE(batch.tag_names().size(), 2u);
    }
    EXPECT_THAT(sizes, ::testing::ElementsAre(2, 2, 1));
    EXPECT_TRUE(reader->has_header());
    EXPECT_EQ(reader->lines_read(), 7);
    Result<bool> after = reader->Next(&batch);  // still at the end
    ASSERT_OK(after);
    EXPECT_FALSE(*after);
  }
}

TEST(SampleCsvReaderTest, SameResultForEveryBlockSize) {
  // A mix of everything, read with block sizes 1..40 and the default.
  std::string csv =
      "\xEF\xBB\xBF"
      "Time,Quality,Value,Signal\r\n";
  std::vector<SamplePoint> expected;
  const char* qualities[] = {"good", "0", "", "Uncertain", "192"};
  const uint32_t quality_codes[] = {192, 0, 192, 64, 192};
  for (int i = 0; i < 400; ++i) {
    const int64_t ts = kT0 + (i / 7) * kNanosPerMilli * 250;
    std::string tag = "line" + std::to_string(i % 13) + ".m" + std::to_string(i % 5);
    std::string tag_field = tag;
    if (i % 11 == 0) {
      tag = "with, \"quotes\" " + tag;
      tag_field = "\"with, \"\"quotes\"\" " + tag_field + "\"";
    }
    const double value = i * 0.25 - 3;
    csv += FormatRfc3339(ts) + "," + qualities[i % 5] + "," + fmt::format("{}", value) + "," +
           tag_field + (i % 3 == 0 ? "\r\n" : "\n");
    if (i % 17 == 0) csv += "\n";
    expected.push_back({tag, ts, value, quality_codes[i % 5]});
  }
  for (size_t block = 1; block <= 41; ++block) {
    SampleCsvOptions options = SampleOptions(block == 41 ? 4 << 20 : block);
    options.batch_points = 97;
    Result<std::vector<SamplePoint>> got = ReadSamples(csv, options);
    ASSERT_OK(got);
    ASSERT_THAT(*got, ::testing::ElementsAreArray(expected)) << "block " << block;
  }
}

TEST(SampleCsvReaderTest, ReadsFiles) {
  testing::TempDir dir;
  const std::string path = (dir / "samples.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "ts,tag,value\n2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:00Z,a,bad\n";
  }
  Result<std::unique_ptr<SampleCsvReader>> reader = SampleCsvReader::Open(path);
  ASSERT_OK(reader);
  Result<std::vector<SamplePoint>> got = ReadSamples(**reader);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), path + ":3: field 'value': not a number: 'bad'");
  EXPECT_EQ((*reader)->lines_read(), 3);

  SampleCsvOptions options;
  options.display_name = "upload.csv";
  reader = SampleCsvReader::Open(path, options);
  ASSERT_OK(reader);
  got = ReadSamples(**reader);
  EXPECT_EQ(got.status().message(), "upload.csv:3: field 'value': not a number: 'bad'");

  reader = SampleCsvReader::Open((dir / "missing.csv").string());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);

  reader = SampleCsvReader::Open(dir.path().string());  // a directory
  ASSERT_OK(reader);
  got = ReadSamples(**reader);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace fh::ingest
