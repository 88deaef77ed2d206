// StreamIngest, the path every live source writes through: what Write stores, quarantines
// and counts, each source's batch, and its lineage (every flush of a source's points is
// recorded, the second one of the same tag as well as the first: a serve used to lose all
// lineage after its first 5-second flush).
#include "pipeline/stream_ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include "store/catalog/catalog.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/catalog_access.h"
#include "testing/hub_books.h"
#include "testing/hub_test.h"
#include "testing/temp_dir.h"
#include "testing/wait.h"

namespace fh::pipeline {
namespace {

class StreamIngestTest : public testing::HubTest {
 protected:
  std::vector<SeriesLineage> LineageAt(const std::string& tag, TimestampNs at) {
    CatalogSession session = hub_->OpenCatalog();
    Result<std::vector<SeriesLineage>> found = session.catalog().FindSeriesLineage(tag, at);
    EXPECT_OK(found);
    return found.ok() ? *found : std::vector<SeriesLineage>{};
  }
};

std::shared_ptr<govern::StreamGovernor> TemperatureInKelvin() {
  Result<govern::StreamMapping> m = govern::ParseStreamMapping(
      "mapping: plant-streams\n"
      "signals:\n"
      "  - tags: \"*.temp\"\n"
      "    unit: °C\n"
      "    to: K\n"
      "    rules: [{ rule: range, min: 273.15, max: 373.15 }]\n",
      "streams.yaml");
  EXPECT_OK(m);
  if (!m.ok()) return nullptr;
  Result<std::unique_ptr<govern::StreamGovernor>> g =
      govern::StreamGovernor::Make(std::move(m).value());
  EXPECT_OK(g);
  return g.ok() ? std::shared_ptr<govern::StreamGovernor>(std::move(g).value()) : nullptr;
}

// A request's points are converted and stored; a point failing a rule is returned and
// quarantined as received; an unreadable record is quarantined with its line and text; all
// under the source's one batch, and counted.
TEST_F(StreamIngestTest, WriteStoresWhatPassesAndQuarantinesTheRestInTheSourcesBatch) {
  StreamIngest ingest(*hub_, std::chrono::hours(1), TemperatureInKelvin());
  const StreamSource source{"http", "/write?db=plant"};
  SampleBatch points;
  points.Add("line1.temp", 1000, 20);
  points.Add("line1.temp", 2000, 900);  // above 373.15 K once converted
  points.Add("line1.speed", 1000, 1500);
  const std::vector<RejectedRecord> unreadable = {{3, "line1.temp value=", "no value"}};
  Result<std::vector<govern::RejectedPoint>> failed =
      ingest.Write(source, "line-protocol", points, unreadable);
  ASSERT_OK(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].tag, "line1.temp");
  EXPECT_EQ((*failed)[0].value, 900);
  EXPECT_THAT(testing::StoredValues(*hub_, "line1.temp"), ::testing::ElementsAre(293.15));
  EXPECT_THAT(testing::StoredValues(*hub_, "line1.speed"), ::testing::ElementsAre(1500));

  const StreamCounters c = ingest.counters(source);
  EXPECT_EQ(c.accepted, 2);
  EXPECT_EQ(c.quarantined, 2);
  const std::optional<int64_t> batch = ingest.batch_id(source);
  ASSERT_TRUE(batch);
  const std::vector<QuarantinedRecord> record =
      testing::QuarantinedOfMapping(*hub_, "line-protocol");
  ASSERT_EQ(record.size(), 1u);
  EXPECT_EQ(record[0].batch_id, *batch);
  EXPECT_EQ(record[0].source_line, 3);
  EXPECT_EQ(record[0].raw, "line1.temp value=");
  EXPECT_EQ(record[0].source_object, "/write?db=plant");
  const std::vector<QuarantinedRecord> point =
      testing::QuarantinedOfMapping(*hub_, "plant-streams");
  ASSERT_EQ(point.size(), 1u);
  EXPECT_EQ(point[0].batch_id, *batch);
  EXPECT_THAT(point[0].raw, ::testing::HasSubstr("\"value\":900"));
  const std::optional<IngestBatch> b = testing::BatchIn(*hub_, *batch);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->mapping_version, "plant-streams@1");
}

// Each source writes under a batch of its own; when the ingest stops, each is completed with
// its counts.
TEST_F(StreamIngestTest, EachSourceHasABatchCompletedWithItsCountsWhenTheIngestStops) {
  const StreamSource http{"http", "/write?db=plant"};
  const StreamSource mqtt{"mqtt", "plant/#"};
  std::optional<int64_t> http_batch, mqtt_batch;
  {
    StreamIngest ingest(*hub_, std::chrono::hours(1));
    SampleBatch points;
    points.Add("line1.speed", 1000, 1);
    points.Add("line1.speed", 2000, 2);
    ASSERT_OK(ingest.Write(http, "line-protocol", points, {}));
    ASSERT_OK(ingest.Write(mqtt, "mqtt-json", points, {{0, "{", "not JSON"}}));
    ASSERT_OK(ingest.Write(mqtt, "mqtt-json", points, {}));
    http_batch = ingest.batch_id(http);
    mqtt_batch = ingest.batch_id(mqtt);
    EXPECT_EQ(ingest.Sources().size(), 2u);
  }
  ASSERT_TRUE(mqtt_batch);
  EXPECT_FALSE(http_batch);  // begun on first need: the first flush, here the stop
  CatalogSession session = hub_->OpenCatalog();
  ASSERT_OK_AND_ASSIGN(std::vector<IngestBatch> batches, session.catalog().ListBatches());
  ASSERT_EQ(batches.size(), 2u);
  for (const IngestBatch& b : batches) {
    EXPECT_EQ(b.status, IngestBatchStatus::kCompleted) << b.source_system;
    if (b.source_system == "mqtt") {
      EXPECT_EQ(b.id, *mqtt_batch);
      EXPECT_EQ(b.accepted, 4);
      EXPECT_EQ(b.quarantined, 1);
      EXPECT_EQ(b.records_read, 5);
    } else {
      EXPECT_EQ(b.source_object, "/write?db=plant");
      EXPECT_EQ(b.accepted, 2);
      EXPECT_EQ(b.quarantined, 0);
    }
  }
}

TEST_F(StreamIngestTest, TwoFlushesOfTheSameSourceAndTagAreBothRecorded) {
  // No timed flush: the test flushes.
  StreamIngest ingest(*hub_, std::chrono::hours(1));
  const StreamSource source{"http", "/write?db=plant"};
  SampleBatch first;
  first.Add("line1.temp", 1000, 20.5);
  first.Add("line1.temp", 2000, 20.6);
  ASSERT_TRUE(ingest.Write(source, "line-protocol", first, {}).ok());
  ASSERT_OK(ingest.Flush());

  SampleBatch second;
  second.Add("line1.temp", 5000, 20.7);
  second.Add("line1.temp", 6000, 20.8);
  second.Add("line1.temp", 7000, 20.9);
  ASSERT_TRUE(ingest.Write(source, "line-protocol", second, {}).ok());
  const Status flushed = ingest.Flush();
  ASSERT_OK(flushed);

  const std::optional<int64_t> batch = ingest.batch_id(source);
  ASSERT_TRUE(batch.has_value());
  for (TimestampNs at : {1500, 6000}) {
    const std::vector<SeriesLineage> found = LineageAt("line1.temp", at);
    ASSERT_EQ(found.size(), 1u) << "at " << at;
    EXPECT_EQ(found[0].batch_id, *batch);
    EXPECT_EQ(found[0].first_ts, 1000);
    EXPECT_EQ(found[0].last_ts, 7000);
    EXPECT_EQ(found[0].samples, 5);
  }
}

TEST_F(StreamIngestTest, ARecordedSpanGrowsBothWays) {
  StreamIngest ingest(*hub_, std::chrono::hours(1));
  const StreamSource source{"mqtt", "plant/line1/#"};
  for (TimestampNs ts : {5000, 9000, 1000}) {  // the last one is older than the first
    SampleBatch b;
    b.Add("line1.speed", ts, 1);
    ASSERT_TRUE(ingest.Write(source, "mqtt-json", b, {}).ok());
    ASSERT_OK(ingest.Flush());
  }
  const std::vector<SeriesLineage> found = LineageAt("line1.speed", 3000);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].first_ts, 1000);
  EXPECT_EQ(found[0].last_ts, 9000);
  EXPECT_EQ(found[0].samples, 3);
}

// A timed flush that cannot write (another process holds the hub's write lock) keeps its
// lineage, is counted and says why; the next one, once the lock is gone, writes it.
TEST(StreamIngestLineageTest, AFailedTimedFlushIsCountedAndRetried) {
  testing::TempDir tmp;
  ASSERT_TRUE(Hub::Init(tmp.path() / "hub", HubConfig{}).ok());
  Result<std::unique_ptr<Hub>> hub = Hub::Open(tmp.path() / "hub");
  ASSERT_OK(hub);
  sqlite::OpenOptions options;
  options.busy_timeout_ms = 20;
  Result<std::unique_ptr<sqlite::Db>> other =
      sqlite::Db::Open(tmp.path() / "hub" / "factoryhub.db", options);
  ASSERT_OK(other);

  // The catalog's connection gives up on the lock at once, not after 10 s.
  {
    CatalogSession session = (*hub)->OpenCatalog();
    ASSERT_TRUE(CatalogSessionTestAccess::Connection(session).Exec("PRAGMA busy_timeout=20").ok());
  }

  StreamIngest ingest(**hub, std::chrono::milliseconds(10));
  const StreamSource source{"http", "/write?db=plant"};
  SampleBatch points;
  points.Add("line1.temp", 1000, 20.5);
  ASSERT_TRUE(ingest.Write(source, "line-protocol", points, {}).ok());
  ASSERT_TRUE((*other)->Exec("BEGIN IMMEDIATE").ok());  // the write lock, held
  testing::WaitUntil([&] { return ingest.lineage_health().failed_flushes > 0; },
                     [] { return "a failed flush"; });
  EXPECT_THAT(ingest.lineage_health().error, ::testing::HasSubstr("lock"));
  ASSERT_TRUE((*other)->Exec("COMMIT").ok());
  testing::WaitUntil([&] { return ingest.lineage_health().error.empty(); },
                     [] { return "a flush after the lock is gone"; });
  CatalogSession session = (*hub)->OpenCatalog();
  Result<std::vector<SeriesLineage>> found =
      session.catalog().FindSeriesLineage("line1.temp", 1000);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].samples, 1);
}

}  // namespace
}  // namespace fh::pipeline
