// WriteSampleFile (`factoryhub write`): a sample file governed as a live source is, as one
// batch with lineage, all or nothing unless bad records are to be quarantined.
#include "pipeline/sample_file_write.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/catalog/catalog.h"
#include "testing/hub_books.h"
#include "testing/hub_test.h"

namespace fh::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr TimestampNs kT0 = 1772352000LL * kNanosPerSecond;  // 2026-03-01T08:00:00Z
constexpr TimestampNs kMinute = 60 * kNanosPerSecond;

constexpr const char* kStreams = R"(mapping: plant-streams
signals:
  - tags: "*.temp"
    unit: °C
    to: K
    rules: [{ rule: range, min: 273.15, max: 373.15 }]
)";

class SampleFileWriteTest : public testing::HubTest {
 protected:
  Result<SampleFileWriteReport> Write(const std::string& csv, BadSamplePolicy on_bad,
                                      const char* streams = nullptr) {
    ingest::SampleCsvOptions csv_options;
    csv_options.display_name = "s.csv";
    csv_options.skip_bad_lines = on_bad == BadSamplePolicy::kQuarantine;
    csv_options.batch_points = 2;  // several batches even for a few lines
    std::unique_ptr<ingest::SampleCsvReader> reader =
        ingest::SampleCsvReader::FromBuffer(csv, csv_options);
    SampleFileWriteOptions options;
    options.on_bad = on_bad;
    if (streams != nullptr) {
      Result<govern::StreamMapping> m = govern::ParseStreamMapping(streams, "streams.yaml");
      EXPECT_OK(m);
      if (!m.ok()) return m.status();
      FH_ASSIGN_OR_RETURN(std::unique_ptr<govern::StreamGovernor> g,
                          govern::StreamGovernor::Make(std::move(m).value()));
      options.governor = std::move(g);
    }
    return WriteSampleFile(*hub_, *reader, {"file", "s.csv"}, options);
  }

  std::vector<double> Values(const std::string& tag) { return testing::StoredValues(*hub_, tag); }

  std::vector<SeriesLineage> LineageAt(const std::string& tag, TimestampNs at) {
    CatalogSession session = hub_->OpenCatalog();
    Result<std::vector<SeriesLineage>> found = session.catalog().FindSeriesLineage(tag, at);
    EXPECT_OK(found);
    return found.ok() ? *found : std::vector<SeriesLineage>{};
  }
};

constexpr const char* kGood =
    "timestamp,tag,value\n"
    "2026-03-01T08:00:00Z,a.temp,20\n"
    "2026-03-01T08:01:00Z,a.temp,21\n"
    "2026-03-01T08:00:00Z,a.speed,1500\n";

TEST_F(SampleFileWriteTest, StoresTheFileAsOneBatchWithEachTagsLines) {
  ASSERT_OK_AND_ASSIGN(SampleFileWriteReport r, Write(kGood, BadSamplePolicy::kRejectFile));
  EXPECT_EQ(r.written, 3);
  EXPECT_EQ(r.read, 3);
  EXPECT_EQ(r.quarantined, 0);
  EXPECT_EQ(r.tags, 2u);
  EXPECT_TRUE(r.mapping.empty());
  EXPECT_THAT(Values("a.temp"), ElementsAre(20, 21));

  const std::optional<IngestBatch> batch = testing::BatchIn(*hub_, r.batch_id);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->status, IngestBatchStatus::kCompleted);
  EXPECT_EQ(batch->source_system, "file");
  EXPECT_EQ(batch->source_object, "s.csv");
  EXPECT_EQ(batch->accepted, 3);
  const std::vector<SeriesLineage> temp = LineageAt("a.temp", kT0);
  ASSERT_EQ(temp.size(), 1u);
  EXPECT_EQ(temp[0].batch_id, r.batch_id);
  EXPECT_EQ(temp[0].samples, 2);
  EXPECT_EQ(temp[0].first_ts, kT0);
  EXPECT_EQ(temp[0].last_ts, kT0 + kMinute);
  EXPECT_EQ(temp[0].first_line, 2);
  EXPECT_EQ(temp[0].last_line, 3);
  const std::vector<SeriesLineage> speed = LineageAt("a.speed", kT0);
  ASSERT_EQ(speed.size(), 1u);
  EXPECT_EQ(speed[0].first_line, 4);
}

constexpr const char* kOneBadLine =
    "timestamp,tag,value\n"
    "2026-03-01T08:00:00Z,a.temp,20\n"
    "2026-03-01T08:01:00Z,a.temp,21\n"
    "2026-03-01T08:02:00Z,a.temp,abc\n"
    "2026-03-01T08:03:00Z,a.temp,23\n";

TEST_F(SampleFileWriteTest, ABadLineFailsTheFileStoresNothingAndTheBatchSaysWhy) {
  Result<SampleFileWriteReport> r = Write(kOneBadLine, BadSamplePolicy::kRejectFile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "s.csv:4: field 'value': not a number: 'abc'");
  EXPECT_TRUE(Values("a.temp").empty());  // the two batches before it too
  EXPECT_TRUE(testing::QuarantinedIn(*hub_).empty());
  // The failed attempt is on the books.
  CatalogSession session = hub_->OpenCatalog();
  ASSERT_OK_AND_ASSIGN(std::vector<IngestBatch> batches, session.catalog().ListBatches());
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].status, IngestBatchStatus::kFailed);
  EXPECT_THAT(batches[0].message.value_or(""), HasSubstr("s.csv:4: field 'value'"));
}

TEST_F(SampleFileWriteTest, QuarantineStoresTheRestAndKeepsTheBadLineAsItWas) {
  ASSERT_OK_AND_ASSIGN(SampleFileWriteReport r, Write(kOneBadLine, BadSamplePolicy::kQuarantine));
  EXPECT_EQ(r.read, 4);
  EXPECT_EQ(r.written, 3);
  EXPECT_EQ(r.quarantined, 1);
  ASSERT_EQ(r.examples.size(), 1u);
  EXPECT_EQ(r.examples[0].line, 4);
  EXPECT_THAT(Values("a.temp"), ElementsAre(20, 21, 23));

  const std::vector<QuarantinedRecord> q = testing::QuarantinedIn(*hub_);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].batch_id, r.batch_id);
  EXPECT_EQ(q[0].source_line, 4);
  EXPECT_EQ(q[0].raw, "2026-03-01T08:02:00Z,a.temp,abc");
  EXPECT_EQ(q[0].mapping_name, "sample-csv");
  ASSERT_EQ(q[0].reasons.size(), 1u);
  EXPECT_EQ(q[0].reasons[0].message, "field 'value': not a number: 'abc'");
  const std::optional<IngestBatch> batch = testing::BatchIn(*hub_, r.batch_id);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->records_read, 4);
  EXPECT_EQ(batch->accepted, 3);
  EXPECT_EQ(batch->quarantined, 1);
}

constexpr const char* kHot =
    "timestamp,tag,value\n"
    "2026-03-01T08:00:00Z,a.temp,20\n"
    "2026-03-01T08:01:00Z,a.temp,900\n"
    "2026-03-01T08:02:00Z,a.speed,1500\n";

TEST_F(SampleFileWriteTest, TheStreamMappingConvertsAndItsRulesRejectTheFile) {
  Result<SampleFileWriteReport> r = Write(kHot, BadSamplePolicy::kRejectFile, kStreams);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("s.csv:3: tag a.temp: rule 'range:value'"));
  EXPECT_TRUE(Values("a.temp").empty());
  EXPECT_TRUE(Values("a.speed").empty());
}

TEST_F(SampleFileWriteTest, TheStreamMappingConvertsAndQuarantinesAPointAsReceived) {
  ASSERT_OK_AND_ASSIGN(SampleFileWriteReport r,
                       Write(kHot, BadSamplePolicy::kQuarantine, kStreams));
  EXPECT_EQ(r.mapping, "plant-streams@1");
  EXPECT_EQ(r.written, 2);
  EXPECT_EQ(r.quarantined, 1);
  const std::vector<double> temp = Values("a.temp");
  ASSERT_EQ(temp.size(), 1u);
  EXPECT_DOUBLE_EQ(temp[0], 293.15);                  // 20 °C in K
  EXPECT_THAT(Values("a.speed"), ElementsAre(1500));  // no signal: as read

  const std::vector<QuarantinedRecord> q = testing::QuarantinedOfMapping(*hub_, "plant-streams");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].source_line, 3);
  EXPECT_THAT(q[0].raw, HasSubstr("\"value\":900"));  // as received, before conversion
  // The lineage of the stored point names the stream mapping's version and its own line.
  const std::optional<IngestBatch> batch = testing::BatchIn(*hub_, r.batch_id);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->mapping_version, "plant-streams@1");
  const std::vector<SeriesLineage> lineage = LineageAt("a.temp", kT0);
  ASSERT_EQ(lineage.size(), 1u);
  EXPECT_EQ(lineage[0].samples, 1);
  EXPECT_EQ(lineage[0].first_line, 2);
  EXPECT_EQ(lineage[0].last_line, 2);
}

}  // namespace
}  // namespace fh::pipeline
