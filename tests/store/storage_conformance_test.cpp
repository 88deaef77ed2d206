// The storage conformance suite: every back end must pass it unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "common/time.h"
#include "store/storage_harness.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

constexpr int64_t kMinute = 60 * kNanosPerSecond;

using Reference = std::map<std::pair<std::string, TimestampNs>, Sample>;

std::vector<Sample> Expected(const Reference& ref, const std::string& tag, TimeRange range = {}) {
  std::vector<Sample> out;
  for (const auto& [key, sample] : ref) {
    if (key.first == tag && range.Contains(key.second)) out.push_back(sample);
  }
  return out;
}

// Bit-exact comparison: NaN payloads and -0.0 must survive.
void ExpectSameBits(const std::vector<Sample>& actual, const std::vector<Sample>& expected,
                    const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i].ts, expected[i].ts) << what << " point " << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(actual[i].value), std::bit_cast<uint64_t>(expected[i].value))
        << what << " point " << i << " ts " << actual[i].ts;
    ASSERT_EQ(actual[i].quality, expected[i].quality) << what << " point " << i;
  }
}

class StorageConformance : public ::testing::TestWithParam<HarnessFactory> {
 protected:
  void SetUp() override { harness_ = GetParam().make(); }
  Storage& storage() { return harness_->storage(); }

  // Writes a batch through Storage::Write and mirrors it in ref_.
  void Write(const std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>>& points) {
    SampleBatch batch;
    for (const auto& [tag, ts, v, q] : points) {
      batch.Add(tag, ts, v, q);
      ref_[{tag, ts}] = Sample{ts, v, q};
    }
    Status s = storage().Write(batch);
    ASSERT_OK(s);
  }
  // Sample counts (ListTags, Stats) are of distinct points: an overwritten point counts once.
  void CheckCountsAgainstReference(const std::string& what) {
    std::map<std::string, int64_t> expected;
    for (const auto& [key, sample] : ref_)
      ++expected[key.first];
    auto tags = storage().ListTags();
    ASSERT_OK(tags);
    for (const TagInfo& t : *tags) {
      EXPECT_EQ(t.samples, expected[t.name]) << what << " tag " << t.name;
      if (expected[t.name] == 0) continue;
      auto first = std::find_if(ref_.begin(), ref_.end(),
                                [&](const auto& kv) { return kv.first.first == t.name; });
      TimestampNs last = first->first.second;
      for (auto it = first; it != ref_.end() && it->first.first == t.name; ++it)
        last = it->first.second;
      EXPECT_EQ(t.first_ts, first->first.second) << what << " tag " << t.name;
      EXPECT_EQ(t.last_ts, last) << what << " tag " << t.name;
    }
    auto stats = storage().Stats();
    ASSERT_OK(stats);
    EXPECT_EQ(stats->samples, static_cast<int64_t>(ref_.size())) << what;
  }
  void CheckAgainstReference(const std::string& what) {
    std::set<std::string> tags;
    for (const auto& [key, sample] : ref_)
      tags.insert(key.first);
    for (const std::string& tag : tags) {
      ExpectSameBits(ReadAll(storage(), tag), Expected(ref_, tag), what + " tag " + tag);
    }
  }

  std::unique_ptr<StorageHarness> harness_;
  Reference ref_;
};

std::vector<double> SpecialValues() {
  const double kInf = std::numeric_limits<double>::infinity();
  return {0.0,
          -0.0,
          1.5,
          -2.25,
          kInf,
          -kInf,
          std::numeric_limits<double>::quiet_NaN(),
          std::bit_cast<double>(uint64_t{0x7ff8'0000'dead'beef}),  // quiet NaN with payload
          std::bit_cast<double>(uint64_t{0x7ff0'0000'0000'0001}),  // signalling NaN bits
          std::bit_cast<double>(uint64_t{0xfff8'0000'0000'0000}),  // negative NaN
          std::numeric_limits<double>::denorm_min(),
          -std::numeric_limits<double>::denorm_min(),
          4.9e-320,
          std::numeric_limits<double>::min(),
          std::numeric_limits<double>::max(),
          -std::numeric_limits<double>::max(),
          0.1,
          1e300,
          123456.789};
}

TEST_P(StorageConformance, RoundTripIsBitExactSmallAndLarge) {
  std::vector<double> special = SpecialValues();
  for (int n : {1, 7, 300, 5000}) {
    std::string tag = "rt." + std::to_string(n);
    std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
    std::mt19937_64 rng(n);
    for (int i = 0; i < n; ++i) {
      double v =
          i < static_cast<int>(special.size())
              ? special[i]
              : (i % 3 == 0 ? std::bit_cast<double>(rng()) : std::round(rng() % 100000) / 1000);
      uint32_t q = i % 11 == 0 ? kQualityBad : (i % 5 == 0 ? kQualityUncertain : kQualityGood);
      points.emplace_back(tag, 1'700'000'000 * kNanosPerSecond + i * kNanosPerSecond, v, q);
    }
    Write(points);
  }
  CheckAgainstReference("after write");
  harness_->Reopen();
  CheckAgainstReference("after reopen");
  ASSERT_TRUE(storage().Compact().ok());
  CheckAgainstReference("after compact");
}

// Quality is a 32-bit code: room for OPC UA status codes (BadSensorFailure 0x808C0000).
TEST_P(StorageConformance, QualityKeepsAnyThirtyTwoBitCode) {
  Write({{"q", 1, 1.0, 0x808C0000u}, {"q", 2, 2.0, 0xFFFFFFFFu}, {"q", 3, 3.0, 0}});
  CheckAgainstReference("32-bit quality");
  EXPECT_EQ((*storage().Latest("q"))->quality, 0u);
}

TEST_P(StorageConformance, OutOfOrderPointsComeBackSorted) {
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
  std::vector<int> order(2000);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  for (int i : order)
    points.emplace_back("ooo", i * kNanosPerSecond, i * 0.5, kQualityGood);
  // Split over several writes so that chunks of one tag overlap in time.
  for (size_t start = 0; start < points.size(); start += 300) {
    Write({points.begin() + start, points.begin() + std::min(points.size(), start + 300)});
  }
  std::vector<Sample> all = ReadAll(storage(), "ooo");
  ASSERT_EQ(all.size(), 2000u);
  for (size_t i = 1; i < all.size(); ++i)
    ASSERT_LT(all[i - 1].ts, all[i].ts);
  CheckAgainstReference("before compact");
  ASSERT_TRUE(storage().Compact().ok());
  CheckAgainstReference("after compact");
}

TEST_P(StorageConformance, DuplicateTimestampsLastWriteWins) {
  // Within one batch: the later point wins.
  Write({{"dup", 10, 1.0, kQualityGood}, {"dup", 10, 2.0, kQualityBad}, {"dup", 20, 3.0, 192}});
  auto got = ReadAll(storage(), "dup");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].value, 2.0);
  EXPECT_EQ(got[0].quality, kQualityBad);
  // Across batches, small (buffered) and large (chunked) writes in every order.
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> big;
  for (int i = 0; i < 3000; ++i)
    big.emplace_back("dup", i, 100.0 + i, kQualityGood);
  Write(big);
  Write({{"dup", 10, -1.0, kQualityUncertain}, {"dup", 2999, -2.0, kQualityGood}});
  for (auto& p : big)
    std::get<2>(p) += 1000;
  big.resize(1500);
  Write(big);
  Write({{"dup", 5, -5.0, kQualityGood}});
  CheckAgainstReference("before compact");
  ASSERT_TRUE(storage().Compact().ok());
  CheckAgainstReference("after compact");
  Write({{"dup", 6, -6.0, kQualityGood}});
  harness_->Reopen();
  CheckAgainstReference("after reopen");
}

TEST_P(StorageConformance, EmptyRangesAndUnknownTags) {
  Write({{"e", 100, 1.0, 192}, {"e", 200, 2.0, 192}});
  EXPECT_TRUE(ReadAll(storage(), "e", {300, 400}).empty());
  EXPECT_TRUE(ReadAll(storage(), "e", {150, 150}).empty());
  EXPECT_TRUE(ReadAll(storage(), "e", {200, 100}).empty());
  EXPECT_EQ(ReadAll(storage(), "e", {100, 200}).size(), 1u);  // half-open: 200 excluded
  EXPECT_EQ(ReadAll(storage(), "e", {200, 201}).size(), 1u);

  Status s = storage().Scan("nope", {}, [](auto, auto, auto) { return true; });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("nope"), std::string::npos);
  EXPECT_EQ(storage().Latest("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(storage().Aggregate({.tags = {"e", "nope"}}).status().code(), StatusCode::kNotFound);

  auto agg = storage().Aggregate({.tags = {"e"}, .range = {300, 400}, .every = 10});
  ASSERT_OK(agg);
  ASSERT_EQ(agg->size(), 1u);
  EXPECT_TRUE((*agg)[0].buckets.empty());
}

TEST_P(StorageConformance, ScanStopsWhenAsked) {
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
  for (int i = 0; i < 1000; ++i)
    points.emplace_back("stop", i, i, 192);
  Write(points);
  int calls = 0;
  ASSERT_TRUE(storage().Scan("stop", {}, [&](auto, auto, auto) { return ++calls < 1; }).ok());
  EXPECT_EQ(calls, 1);
}

// Brute-force bucket aggregates to compare the store's against.
std::map<TimestampNs, std::vector<double>> BruteBuckets(const std::vector<Sample>& points,
                                                        int64_t every) {
  std::map<TimestampNs, std::vector<double>> buckets;
  for (const Sample& p : points) {
    TimestampNs start = p.ts / every * every;
    if (p.ts % every < 0) start -= every;
    buckets[start].push_back(p.value);
  }
  return buckets;
}

TEST_P(StorageConformance, BucketAggregatesAtEdges) {
  // Points exactly on bucket edges, just before them, and at negative times.
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
  std::mt19937_64 rng(7);
  for (int64_t t = -5 * kMinute; t < 30 * kMinute; t += 7 * kNanosPerSecond) {
    points.emplace_back(
        "agg", t, std::round(std::uniform_real_distribution<>(-50, 50)(rng) * 1000) / 1000, 192);
  }
  for (int64_t edge = -3 * kMinute; edge <= 20 * kMinute; edge += kMinute) {
    points.emplace_back("agg", edge, 1000.0 + edge / kMinute, 192);
    points.emplace_back("agg", edge - 1, -1000.0, 192);
  }
  Write(points);
  std::vector<Sample> all = Expected(ref_, "agg");
  auto brute = BruteBuckets(all, kMinute);

  auto check = [&](const std::string& when) {
    uint32_t aggs =
        kAggCount | kAggMean | kAggMin | kAggMax | kAggSum | kAggFirst | kAggLast | kAggStddev;
    auto result = storage().Aggregate({.tags = {"agg"}, .every = kMinute, .aggs = aggs});
    ASSERT_OK(result);
    const auto& buckets = (*result)[0].buckets;
    ASSERT_EQ(buckets.size(), brute.size()) << when;
    size_t i = 0;
    for (const auto& [start, values] : brute) {
      const Bucket& b = buckets[i++];
      ASSERT_EQ(b.start, start) << when;
      ASSERT_EQ(b.count, static_cast<int64_t>(values.size())) << when;
      double sum = 0, mn = values[0], mx = values[0];
      for (double v : values)
        sum += v, mn = std::min(mn, v), mx = std::max(mx, v);
      double mean = sum / values.size(), ss = 0;
      for (double v : values)
        ss += (v - mean) * (v - mean);
      EXPECT_NEAR(b.sum, sum, 1e-9 * std::max(1.0, std::abs(sum))) << when << " " << start;
      EXPECT_NEAR(b.mean, mean, 1e-9 * std::max(1.0, std::abs(mean))) << when;
      EXPECT_EQ(b.min, mn) << when;
      EXPECT_EQ(b.max, mx) << when;
      EXPECT_EQ(b.first, values.front()) << when;
      EXPECT_EQ(b.last, values.back()) << when;
      if (values.size() >= 2) {
        EXPECT_NEAR(b.stddev, std::sqrt(ss / (values.size() - 1)), 1e-6) << when;
      } else {
        EXPECT_TRUE(std::isnan(b.stddev)) << when;
      }
    }
  };
  check("before compact");
  ASSERT_TRUE(storage().Compact().ok());
  check("after compact");

  // A range clips buckets: [from, to) with from mid-bucket keeps the bucket's start.
  auto clipped = storage().Aggregate(
      {.tags = {"agg"}, .range = {kMinute + 30 * kNanosPerSecond, 3 * kMinute}, .every = kMinute});
  ASSERT_OK(clipped);
  ASSERT_EQ((*clipped)[0].buckets.size(), 2u);
  EXPECT_EQ((*clipped)[0].buckets[0].start, kMinute);
  int64_t in_range = 0;
  for (const Sample& p : all)
    in_range += (p.ts >= kMinute + 30 * kNanosPerSecond && p.ts < 3 * kMinute);
  EXPECT_EQ((*clipped)[0].buckets[0].count + (*clipped)[0].buckets[1].count, in_range);

  // every = 0: one bucket for the whole range.
  auto whole = storage().Aggregate({.tags = {"agg"}, .every = 0, .aggs = kAggCount | kAggMax});
  ASSERT_OK(whole);
  ASSERT_EQ((*whole)[0].buckets.size(), 1u);
  EXPECT_EQ((*whole)[0].buckets[0].count, static_cast<int64_t>(all.size()));
  EXPECT_EQ((*whole)[0].buckets[0].max, 1020.0);
}

TEST_P(StorageConformance, NanMakesBucketStatisticsNan) {
  Write(
      {{"n", 0, 1.0, 192}, {"n", 1, std::nan(""), 192}, {"n", 2, 3.0, 192}, {"n", 100, 5.0, 192}});
  auto r = storage().Aggregate(
      {.tags = {"n"}, .every = 10, .aggs = kAggCount | kAggMean | kAggMax | kAggFirst | kAggLast});
  ASSERT_OK(r);
  const auto& b = (*r)[0].buckets;
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].count, 3);
  EXPECT_TRUE(std::isnan(b[0].mean));
  EXPECT_TRUE(std::isnan(b[0].max));
  EXPECT_EQ(b[0].first, 1.0);
  EXPECT_EQ(b[0].last, 3.0);
  EXPECT_EQ(b[1].mean, 5.0);
}

TEST_P(StorageConformance, LatestAndListTags) {
  EXPECT_TRUE(storage().ListTags()->empty());
  Write({{"a", 5, 1.0, 192}, {"a", 50, 2.0, 64}, {"b", -7, 3.0, 192}});
  auto latest = storage().Latest("a");
  ASSERT_OK(latest);
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ(**latest, (Sample{50, 2.0, 64}));
  Write({{"a", 50, 9.0, 192}});
  EXPECT_EQ(**storage().Latest("a"), (Sample{50, 9.0, 192}));
  auto tags = storage().ListTags();
  ASSERT_OK(tags);
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ((*tags)[0].name, "a");
  EXPECT_EQ((*tags)[0].first_ts, 5);
  EXPECT_EQ((*tags)[0].last_ts, 50);
  EXPECT_EQ((*tags)[1].name, "b");
  EXPECT_EQ((*tags)[1].samples, 1);
  ASSERT_TRUE(storage().Compact().ok());
  tags = storage().ListTags();
  EXPECT_EQ((*tags)[0].samples, 2);
}

TEST_P(StorageConformance, UncommittedWriterStoresNothing) {
  {
    auto writer = storage().NewWriter();
    ASSERT_OK(writer);
    SampleBatch batch;
    for (int i = 0; i < 5000; ++i)
      batch.Add("w", i, i, 192);
    ASSERT_TRUE((*writer)->Append(batch).ok());
    EXPECT_EQ((*writer)->appended(), 5000);
  }  // destroyed without Commit
  EXPECT_EQ(storage().Scan("w", {}, [](auto, auto, auto) { return true; }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(storage().Stats()->samples, 0);
}

TEST_P(StorageConformance, BadBatchStoresNothing) {
  SampleBatch batch;
  for (int i = 0; i < 100; ++i)
    batch.Add("good", i, i, 192);
  batch.Add("", 1, 1.0, 192);  // empty tag name
  Status s = storage().Write(batch);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(storage().Stats()->samples, 0);
  SampleBatch huge_ts;
  huge_ts.Add("good", std::numeric_limits<TimestampNs>::max(), 1.0, 192);
  EXPECT_EQ(storage().Write(huge_ts).code(), StatusCode::kInvalidArgument);
}

TEST_P(StorageConformance, StreamingWriterCommitsEverything) {
  auto writer = storage().NewWriter();
  ASSERT_OK(writer);
  for (int b = 0; b < 10; ++b) {
    SampleBatch batch;
    for (int i = 0; i < 1000; ++i) {
      std::string tag = "s" + std::to_string(i % 13);
      TimestampNs ts = (b * 1000 + i) * kNanosPerSecond;
      batch.Add(tag, ts, b + i / 1000.0, 192);
      ref_[{tag, ts}] = Sample{ts, b + i / 1000.0, 192};
    }
    ASSERT_TRUE((*writer)->Append(batch).ok());
  }
  ASSERT_OK((*writer)->Commit());
  EXPECT_EQ(storage().Stats()->samples, 10000);
  CheckAgainstReference("after commit");
}

// The same points written twice (through the write log, then directly in one large batch,
// then once more in a small one) are counted once, before and after compaction and reopening.
TEST_P(StorageConformance, OverwrittenPointsAreCountedOnce) {
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
  for (int i = 0; i < 3000; ++i)
    points.emplace_back("dup", i * kNanosPerSecond, i, 192);
  Write(points);
  CheckCountsAgainstReference("first write");
  for (auto& p : points)
    std::get<2>(p) += 0.5;
  Write(points);  // every point overwritten
  CheckCountsAgainstReference("overwritten");
  // A large write goes straight to chunks, past the write log.
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> large;
  for (int i = 0; i < 70000; ++i)
    large.emplace_back("dup", (i % 3500) * kNanosPerSecond + (i < 35000 ? 0 : kNanosPerSecond / 2),
                       i, 192);
  Write(large);
  CheckCountsAgainstReference("large overlapping write");
  Write({{"dup", 7 * kNanosPerSecond, 1, 192},
         {"dup", 7 * kNanosPerSecond + 1, 2, 192},
         {"other", 0, 3, 192}});
  Write({{"dup", 7 * kNanosPerSecond, 4, 192}, {"other", 0, 5, 192}});
  CheckCountsAgainstReference("small overwrites");
  harness_->Reopen();
  CheckCountsAgainstReference("reopened");
  ASSERT_TRUE(storage().Compact().ok());
  CheckCountsAgainstReference("compacted");
  CheckAgainstReference("compacted");
}

// Retention's deletion: every point older than the cut goes, the others stay; reads, counts,
// first times and aggregates agree at once, after an old time is written again, a reopen and
// a compaction; a tag cut after its last point has none left.
TEST_P(StorageConformance, DeleteBeforeKeepsExactlyTheNewerPoints) {
  std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
  for (int i = 0; i < 3000; ++i) {
    points.emplace_back("cut", i * kNanosPerSecond, i, 192);
    points.emplace_back("kept", i * kNanosPerSecond, i, 192);
  }
  Write(points);
  Write({{"cut", 5 * kNanosPerSecond, 99, 192}, {"cut", 2000 * kNanosPerSecond, 98, 192}});
  const TimestampNs cut = 1500 * kNanosPerSecond + kNanosPerSecond / 2;
  auto drop = [&](const std::string& tag, TimestampNs before) {
    for (auto it = ref_.begin(); it != ref_.end();) {
      it = it->first.first == tag && it->first.second < before ? ref_.erase(it) : std::next(it);
    }
  };
  ASSERT_OK(storage().DeleteBefore({"cut", "no.such.tag"}, cut));
  drop("cut", cut);
  CheckAgainstReference("cut");
  CheckCountsAgainstReference("cut");
  AggregateQuery q;
  q.tags = {"cut"};
  auto agg = storage().Aggregate(q);
  ASSERT_OK(agg);
  ASSERT_EQ((*agg)[0].buckets.size(), 1u);
  EXPECT_EQ((*agg)[0].buckets[0].count, 3000 - 1501);
  EXPECT_EQ((*agg)[0].buckets[0].min, 98);        // the point at 2000 s, written over
  Write({{"cut", 7 * kNanosPerSecond, 1, 192}});  // an old time, written again
  CheckCountsAgainstReference("written again");
  harness_->Reopen();
  ASSERT_OK(storage().Compact());
  CheckAgainstReference("reopened and compacted");
  CheckCountsAgainstReference("reopened and compacted");
  ASSERT_OK(storage().DeleteBefore({"kept"}, std::numeric_limits<TimestampNs>::max()));
  drop("kept", std::numeric_limits<TimestampNs>::max());
  EXPECT_TRUE(ReadAll(storage(), "kept").empty());
  CheckCountsAgainstReference("all deleted");
}

TEST_P(StorageConformance, RandomWorkloadMatchesReference) {
  std::mt19937_64 rng(1234);
  for (int round = 0; round < 40; ++round) {
    std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
    int n = round % 5 == 0 ? 2000 : static_cast<int>(rng() % 50 + 1);
    for (int i = 0; i < n; ++i) {
      std::string tag = "r" + std::to_string(rng() % 3);
      TimestampNs ts = static_cast<TimestampNs>(rng() % 5000) - 1000;
      points.emplace_back(tag, ts, std::round((rng() % 2000000) / 7.0) / 1000, rng() % 3 ? 192 : 0);
    }
    Write(points);
    CheckCountsAgainstReference("round " + std::to_string(round));
    if (round % 13 == 12) {
      ASSERT_TRUE(storage().Compact().ok());
    }
    if (round % 17 == 16) harness_->Reopen();
  }
  CheckAgainstReference("random workload");
  CheckCountsAgainstReference("random workload");
  ASSERT_TRUE(storage().Compact().ok());
  CheckAgainstReference("random workload compacted");
  CheckCountsAgainstReference("random workload compacted");
  for (auto tag : {"r0", "r1", "r2"}) {
    for (TimeRange range : {TimeRange{-500, 20}, TimeRange{100, 101}, TimeRange{3000, 9000}}) {
      ExpectSameBits(ReadAll(storage(), tag, range), Expected(ref_, tag, range), "range");
    }
  }
}

TEST_P(StorageConformance, ConcurrentReadersDuringWrites) {
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      int64_t last_count = 0;
      while (!done) {
        auto stats = storage().Stats();
        if (!stats.ok() || stats->samples < last_count) ++errors;
        if (stats.ok()) last_count = stats->samples;
        auto agg = storage().Aggregate({.tags = {}, .every = kMinute});
        if (!agg.ok()) ++errors;
      }
    });
  }
  for (int b = 0; b < 30; ++b) {
    std::vector<std::tuple<std::string, TimestampNs, double, uint32_t>> points;
    for (int i = 0; i < 200; ++i)
      points.emplace_back("c", b * 200 + i, i, 192);
    Write(points);
  }
  done = true;
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(errors.load(), 0);
  CheckAgainstReference("concurrent");
}

#ifdef FH_CONFORMANCE_ON_CLUSTER
// store_cluster_test: the suite on a ClickHouse cluster of two servers and a ZooKeeper,
// started once for all of it (tests/CMakeLists.txt runs it alone).
INSTANTIATE_TEST_SUITE_P(Backends, StorageConformance,
                         ::testing::Values(ClickHouseClusterHarness()),
                         [](const auto& p) { return p.param.name; });
#else
INSTANTIATE_TEST_SUITE_P(Backends, StorageConformance,
                         ::testing::Values(SqliteHarness(8192, 1024), SqliteHarness(64, 16),
                                           SqliteHarness(64, 16, 50), SqliteHarness(8192, 1024, 0),
                                           ClickHouseHarness()),
                         [](const auto& p) { return p.param.name; });
#endif

}  // namespace
}  // namespace fh::testing
