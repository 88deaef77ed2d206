// The timestamps the store keeps: all of int64 but INT64_MAX (IsStorableTimestamp). The
// extremes go through every path of the embedded back end (write log, row buffer, chunks,
// compaction, a reopen) and every read (scan, latest, aggregates); a point outside the
// range is refused with InvalidArgument, storing nothing of its batch.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "model/sample.h"
#include "store/storage_harness.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

constexpr TimestampNs kMin = std::numeric_limits<TimestampNs>::min();
constexpr TimestampNs kMax = std::numeric_limits<TimestampNs>::max();

TEST(StorableTimestamp, IsAllOfInt64ButItsMaximum) {
  EXPECT_TRUE(IsStorableTimestamp(kMin));
  EXPECT_TRUE(IsStorableTimestamp(0));
  EXPECT_TRUE(IsStorableTimestamp(kMax - 1));
  EXPECT_FALSE(IsStorableTimestamp(kMax));
  EXPECT_EQ(kMinStorableTimestamp, kMin);
  EXPECT_EQ(kMaxStorableTimestamp, kMax - 1);
}

class TimestampRange : public ::testing::TestWithParam<HarnessFactory> {
 protected:
  void SetUp() override { harness_ = GetParam().make(); }
  Storage& storage() { return harness_->storage(); }
  std::unique_ptr<StorageHarness> harness_;
};

// The extremes, out of order, with the ones near them: deltas between neighbours overflow
// int64 (the codec's delta-of-delta wraps them).
const std::vector<TimestampNs> kExtremes = {kMax - 1, 0, kMin, kMin + 1, -1, 1, kMax - 2};

TEST_P(TimestampRange, TheExtremesRoundTripThroughEveryPath) {
  SampleBatch batch;
  for (size_t i = 0; i < kExtremes.size(); ++i)
    batch.Add("edge", kExtremes[i], static_cast<double>(i));
  ASSERT_TRUE(storage().Write(batch).ok());
  const std::vector<Sample> expected = {{kMin, 2}, {kMin + 1, 3}, {-1, 4},      {0, 1},
                                        {1, 5},    {kMax - 2, 6}, {kMax - 1, 0}};
  for (int pass = 0; pass < 3; ++pass) {
    SCOPED_TRACE(pass == 0 ? "fresh" : pass == 1 ? "compacted" : "reopened");
    EXPECT_EQ(ReadAll(storage(), "edge"), expected);
    EXPECT_EQ(ReadAll(storage(), "edge", {kMax - 1, kMax}), (std::vector<Sample>{{kMax - 1, 0}}));
    EXPECT_EQ(ReadAll(storage(), "edge", {kMin, kMin + 1}), (std::vector<Sample>{{kMin, 2}}));
    Result<std::optional<Sample>> latest = storage().Latest("edge");
    ASSERT_OK(latest);
    EXPECT_EQ(*latest, (Sample{kMax - 1, 0}));
    for (int64_t every : {int64_t{0}, int64_t{3'600'000'000'000}}) {
      AggregateQuery q;
      q.tags = {"edge"};
      q.every = every;
      q.aggs = kAggCount | kAggFirst | kAggLast;
      Result<std::vector<TagBuckets>> buckets = storage().Aggregate(q);
      ASSERT_OK(buckets);
      int64_t count = 0;
      for (const Bucket& b : (*buckets)[0].buckets)
        count += b.count;
      EXPECT_EQ(count, 7) << "every " << every;
      EXPECT_EQ((*buckets)[0].buckets.front().first, 2);
      EXPECT_EQ((*buckets)[0].buckets.back().last, 0);
    }
    if (pass == 0) {
      ASSERT_TRUE(storage().Compact().ok());
    }
    if (pass == 1) harness_->Reopen();
  }
}

TEST_P(TimestampRange, ChunksOfTimestampsSpreadOverTheWholeRange) {
  std::mt19937_64 rng(7);
  SampleBatch batch;
  std::map<TimestampNs, double> reference;
  for (int i = 0; i < 3000; ++i) {
    TimestampNs ts = static_cast<TimestampNs>(rng());
    if (ts == kMax) ts = kMax - 1;
    batch.Add("spread", ts, i);
    reference[ts] = i;
  }
  ASSERT_TRUE(storage().Write(batch).ok());
  ASSERT_TRUE(storage().Compact().ok());
  std::vector<Sample> expected;
  for (const auto& [ts, v] : reference)
    expected.push_back({ts, v});
  EXPECT_EQ(ReadAll(storage(), "spread"), expected);
}

TEST_P(TimestampRange, AnUnstorableTimestampIsRefusedAndItsBatchIsNotStored) {
  SampleBatch batch;
  batch.Add("good", 1, 1.0);
  batch.Add("bad", kMax, 2.0);
  Status s = storage().Write(batch);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "timestamp 9223372036854775807 of tag 'bad' is out of range: the store keeps "
            "-9223372036854775808..9223372036854775806");
  Result<std::unique_ptr<SampleWriter>> writer = storage().NewWriter();
  ASSERT_OK(writer);
  EXPECT_EQ((*writer)->Append(batch).code(), StatusCode::kInvalidArgument);
  writer->reset();
  EXPECT_EQ(storage().Stats()->samples, 0);
  EXPECT_EQ(storage().Scan("good", {}, [](auto, auto, auto) { return true; }).code(),
            StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, TimestampRange,
                         ::testing::Values(SqliteHarness(16, 4, 0), SqliteHarness(16, 4),
                                           SqliteHarness(8192, 1024, 0)),
                         [](const auto& param) { return std::to_string(param.index); });

}  // namespace
}  // namespace fh::testing
