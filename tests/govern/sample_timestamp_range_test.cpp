// A mapped sample's timestamp the store cannot keep (INT64_MAX, IsStorableTimestamp) is a
// violation of its record, quarantined with it; it used to reach the store, which refused
// the whole import.
#include <gtest/gtest.h>

#include "govern/mapping.h"
#include "govern/record_mapper.h"
#include "ingest/record_batch.h"
#include "testing/status_matchers.h"

namespace fh::govern {
namespace {

TEST(MapperSampleTimestamp, AnUnstorableTimestampRejectsItsRecordOnly) {
  Result<Mapping> m = ParseMapping(
      "mapping: t\nsource: { system: s }\nentity: samples\nsamples:\n"
      "  timestamp: { from: t, format: epoch_ns }\n"
      "  signals:\n    - { tag: 'press/force', value: v }\n",
      "t.yaml");
  ASSERT_OK(m);
  Result<std::unique_ptr<RecordMapper>> mapper = RecordMapper::Make(*m);
  ASSERT_OK(mapper);
  ingest::RecordBatch batch;
  batch.mutable_columns() = {"t", "v"};
  const std::vector<std::string> times = {"9223372036854775806", "9223372036854775807"};
  for (size_t i = 0; i < times.size(); ++i) {
    batch.BeginRecord(static_cast<int64_t>(i + 1), 0);
    batch.AddField(times[i]);
    batch.AddField("1.5");
    batch.EndRecord("raw");
  }
  ASSERT_TRUE((*mapper)->Bind(batch.columns(), false).ok());
  std::vector<MappedSample> samples;
  std::vector<Violation> violations;
  EXPECT_TRUE((*mapper)->MapSamples(batch, 0, samples, violations));
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].timestamp, kMaxStorableTimestamp);
  EXPECT_FALSE((*mapper)->MapSamples(batch, 1, samples, violations));
  EXPECT_EQ(samples.size(), 1u);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "timestamp");
  EXPECT_EQ(violations[0].message,
            "out of range: the store keeps 1677-09-21T00:12:43.145224192Z.."
            "2262-04-11T23:47:16.854775806Z");
}

}  // namespace
}  // namespace fh::govern
