#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ingest/record_reader.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::ingest {
namespace {

using ::testing::HasSubstr;

std::string WriteFile(const testing::TempDir& dir, const std::string& name,
                      const std::string& content) {
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// The first record's first field, to show the sniffed bytes were handed on.
std::string FirstField(RecordReader& reader) {
  RecordBatch batch;
  Result<bool> more = reader.Next(batch, 10);
  EXPECT_OK(more);
  if (!more.ok() || !*more) return "<none>";
  return std::string(batch.field(0, 0).value_or("<null>"));
}

struct FormatCase {
  std::string file;
  std::string content;
  std::string format;
  std::string first_field;
};

TEST(OpenRecordReaderTest, PicksTheFormatByExtensionThenContent) {
  testing::TempDir dir;
  const FormatCase cases[] = {
      {"orders.csv", "id,name\n7,bolt\n", "csv", "7"},
      {"ORDERS.TXT", "id;name\n7;bolt\n", "csv", "7"},
      {"orders.csv", "[not json,really\n1,2\n", "csv", "1"},  // the extension wins
      {"orders.json", "[{\"id\": 7}]", "json", "7"},
      {"orders.ndjson", "{\"id\": 7}\n", "ndjson", "7"},
      {"orders.jsonl", "{\"id\": 7}\n", "ndjson", "7"},
      {"orders.dat", "  \n [{\"id\": 7}]", "json", "7"},
      {"orders.dat", "{\"id\": 7}\n", "ndjson", "7"},
      {"orders.dat", "\xEF\xBB\xBF{\"id\": 7}\n", "ndjson", "7"},
      {"orders", "id,name\n7,bolt\n", "csv", "7"},
  };
  for (const FormatCase& c : cases) {
    SCOPED_TRACE(c.file + ": " + c.content);
    const std::string path = WriteFile(dir, c.file, c.content);
    Result<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, ReaderOptions());
    ASSERT_OK(reader);
    EXPECT_EQ((*reader)->format(), c.format);
    EXPECT_EQ(FirstField(**reader), c.first_field);
  }
}

TEST(OpenRecordReaderTest, TsvMeansTabs) {
  testing::TempDir dir;
  // Tab and comma are equally consistent: detection alone would take the comma.
  const std::string path = WriteFile(dir, "x.tsv", "a\tb,c\n1\t2,3\n");
  Result<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, ReaderOptions());
  ASSERT_OK(reader);
  RecordBatch batch;
  ASSERT_TRUE((*reader)->Next(batch, 10).ok());
  EXPECT_THAT(batch.columns(), ::testing::ElementsAre("a", "b,c"));
}

TEST(OpenRecordReaderTest, FormatOptionWins) {
  testing::TempDir dir;
  const std::string path = WriteFile(dir, "x.json", "{\"id\": 7}\n");
  ReaderOptions options;
  options.format = "ndjson";
  Result<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, options);
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->format(), "ndjson");
}

TEST(OpenRecordReaderTest, MissingFileIsNotFoundNamingThePath) {
  testing::TempDir dir;
  for (const std::string name : {"missing.csv", "missing.xlsx", "missing"}) {
    const std::string path = (dir / name).string();
    Result<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, ReaderOptions());
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
    EXPECT_THAT(reader.status().message(), HasSubstr(path));
  }
}

TEST(OpenRecordReaderTest, UnknownFormat) {
  ReaderOptions options;
  options.format = "parquet";
  Result<std::unique_ptr<RecordReader>> reader =
      OpenRecordReader(MakeBufferSource("a"), "x", options);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(reader.status().message(), HasSubstr("parquet"));
}

TEST(OpenRecordReaderTest, StreamsAreSniffedAndHandedOnWhole) {
  const FormatCase cases[] = {
      {"", "id;name\n7;bolt\n", "csv", "7"},
      {"", "[{\"id\": 7}]", "json", "7"},
      {"", "{\"id\": 7}\n{\"id\": 8}\n", "ndjson", "7"},
      // Longer than the sniff: the replayed prefix and the rest join up.
      {"", "id,name\n" + std::string(10000, 'x') + ",y\n", "csv", std::string(10000, 'x')},
  };
  for (const FormatCase& c : cases) {
    SCOPED_TRACE(c.content.substr(0, 40));
    Result<std::unique_ptr<RecordReader>> reader =
        OpenRecordReader(MakeBufferSource(c.content), "body", ReaderOptions());
    ASSERT_OK(reader);
    EXPECT_EQ((*reader)->format(), c.format);
    EXPECT_EQ(FirstField(**reader), c.first_field);
  }
}

TEST(OpenRecordReaderTest, XlsxStreamIsSpooledAndCleanedUp) {
  testing::TempDir dir;
  const char* old_tmpdir = getenv("TMPDIR");
  const std::string saved = old_tmpdir != nullptr ? old_tmpdir : "";
  setenv("TMPDIR", dir.path().c_str(), 1);
  // A zip signature and then garbage: sniffed as xlsx, which then refuses it.
  Result<std::unique_ptr<RecordReader>> reader =
      OpenRecordReader(MakeBufferSource("PK\x03\x04 not really a zip"), "upload", ReaderOptions());
  if (old_tmpdir != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "temporary copy left behind";
}

}  // namespace
}  // namespace fh::ingest
