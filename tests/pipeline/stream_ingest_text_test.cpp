// Issue 13: a line protocol line with a string field used to be quarantined whole, its
// numbers included. Parsed and written through StreamIngest, its numbers are points, its
// strings text values (TextSampleStore), both counted in the source's batch; a malformed
// string still quarantines its line.
#include <gtest/gtest.h>

#include <mutex>

#include "ingest/line_protocol.h"
#include "pipeline/stream_ingest.h"
#include "store/catalog/catalog.h"
#include "store/catalog/text_samples.h"
#include "store/hub.h"
#include "testing/hub_test.h"

namespace fh::pipeline {
namespace {

class StreamIngestTextTest : public testing::HubTest {};

TEST_F(StreamIngestTextTest, ALinesNumbersAndStringsAreAllStored) {
  StreamIngest ingest(*hub_, std::chrono::hours(1));
  const StreamSource source{"http", "/write?db=plant"};
  ingest::LineProtocolParser parser;
  SampleBatch batch;
  const ingest::LineProtocolResult parsed = parser.Parse(
      "machine,id=m7 status=\"running\",speed=1480i,ok=t 1000\n"
      "machine,id=m7 status=\"stopped\" 2000\n"
      "machine,id=m7 status=\"jam,speed=1 3000\n",
      TimeUnit::kNanos, 0, batch);
  std::vector<RejectedRecord> rejected;
  for (const ingest::LineError& e : parsed.errors)
    rejected.push_back({e.line, e.text, e.message});
  ASSERT_EQ(rejected.size(), 1u);
  Result<std::vector<govern::RejectedPoint>> failed =
      ingest.Write(source, "line-protocol", batch, rejected, parsed.texts);
  ASSERT_OK(failed);
  const Status flushed = ingest.Flush();
  ASSERT_OK(flushed);

  Result<std::optional<Sample>> speed = hub_->storage().Latest("machine/id=m7/speed");
  ASSERT_TRUE(speed.ok() && speed->has_value());
  EXPECT_EQ((*speed)->value, 1480);
  Result<std::optional<Sample>> ok = hub_->storage().Latest("machine/id=m7/ok");
  ASSERT_TRUE(ok.ok() && ok->has_value());
  EXPECT_EQ((*ok)->value, 1);

  CatalogSession session = hub_->OpenCatalog();
  Result<std::vector<TextSample>> status = session.text_samples().Read("machine/id=m7/status", {});
  ASSERT_OK(status);
  EXPECT_EQ(*status, (std::vector<TextSample>{{"machine/id=m7/status", 1000, "running"},
                                              {"machine/id=m7/status", 2000, "stopped"}}));
  const StreamCounters counters = ingest.counters(source);
  EXPECT_EQ(counters.accepted, 4);  // speed, ok and two texts
  EXPECT_EQ(counters.texts, 2);
  EXPECT_EQ(counters.quarantined, 1);  // the unterminated string
  // The numeric tags' lineage names the source's batch.
  Result<std::vector<SeriesLineage>> lineage =
      session.catalog().FindSeriesLineage("machine/id=m7/speed", 1000);
  ASSERT_OK(lineage);
  ASSERT_EQ(lineage->size(), 1u);
  EXPECT_EQ((*lineage)[0].batch_id, *ingest.batch_id(source));
}

}  // namespace
}  // namespace fh::pipeline
