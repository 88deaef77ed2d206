// The write log under the embedded store: segments round-trip bit-exactly and refuse
// damage; a segment groups a batch by tag with the later point of a time winning; and
// through the store, logged and direct writes keep their order, survive a reopen, and
// reach the chunks on a flush.
#include "store/sqlite_storage/write_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <thread>

#include "store/hub.h"
#include "store/sqlite_storage/sqlite_storage.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

using sqlite::DecodeSegment;
using sqlite::EncodeSegment;
using sqlite::LogSegment;
using sqlite::MakeSegment;

TEST(WriteLogTest, SegmentsGroupByTagSortByTimeAndKeepTheLaterPoint) {
  SampleBatch batch;
  batch.Add("b", 30, 1);
  batch.Add("a", 20, 2);
  batch.Add("b", 10, 3);
  batch.Add("b", 30, 4, kQualityBad);       // the same time again: this one wins
  const std::vector<int64_t> ids = {9, 4};  // batch tag 0 ("b") is id 9, "a" is id 4
  const LogSegment s = MakeSegment(batch, ids, 77);
  EXPECT_EQ(s.seq, 77);
  ASSERT_EQ(s.tags.size(), 2u);
  EXPECT_EQ(s.tags[0].tag_id, 4);
  EXPECT_EQ(s.tags[1].tag_id, 9);
  EXPECT_EQ(s.ts, (std::vector<TimestampNs>{20, 10, 30}));
  EXPECT_EQ(s.values, (std::vector<double>{2, 3, 4}));
  EXPECT_EQ(s.quality, (std::vector<uint32_t>{kQualityGood, kQualityGood, kQualityBad}));
  ASSERT_NE(s.Find(9), nullptr);
  EXPECT_EQ(s.Find(9)->end - s.Find(9)->begin, 2u);
  EXPECT_EQ(s.Find(5), nullptr);
}

TEST(WriteLogTest, EncodingRoundTripsBitExactlyAndRefusesDamage) {
  SampleBatch batch;
  const double values[] = {-0.0, std::numeric_limits<double>::infinity(),
                           std::bit_cast<double>(uint64_t{0x7ff8'0000'dead'beef}), 1e-320};
  for (int i = 0; i < 4; ++i)
    batch.Add("t", i, values[i], static_cast<uint32_t>(i));
  const LogSegment s = MakeSegment(batch, std::vector<int64_t>{3}, 5);
  const std::string bytes = EncodeSegment(s);
  Result<LogSegment> back = DecodeSegment(bytes, 5);
  ASSERT_OK(back);
  EXPECT_EQ(back->ts, s.ts);
  EXPECT_EQ(back->quality, s.quality);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(std::bit_cast<uint64_t>(back->values[i]), std::bit_cast<uint64_t>(values[i]));
  EXPECT_EQ(DecodeSegment("not zstd", 5).status().code(), StatusCode::kCorruption);
  std::string cut = bytes.substr(0, bytes.size() - 3);
  EXPECT_EQ(DecodeSegment(cut, 5).status().code(), StatusCode::kCorruption);
}

// Segments of (tag id, timestamp) points, one segment each, seq 1, 2, ...
sqlite::FreshPoints::View Segments(
    const std::vector<std::vector<std::pair<int64_t, TimestampNs>>>& points) {
  sqlite::FreshPoints::View out;
  for (size_t i = 0; i < points.size(); ++i) {
    SampleBatch batch;
    std::vector<int64_t> ids;
    for (const auto& [id, ts] : points[i]) {
      const uint32_t index = batch.InternTag("t" + std::to_string(id));
      if (index == ids.size()) ids.push_back(id);
      batch.Add(index, ts, 0);
    }
    out.push_back(
        std::make_shared<const LogSegment>(MakeSegment(batch, ids, static_cast<int64_t>(i) + 1)));
  }
  return out;
}

TEST(WriteLogTest, AFlushCutsWhereNoTagsPointsCross) {
  using sqlite::FlushCut;
  // Bodies of five seconds of tags 1 and 2, committed in this order by concurrent clients.
  auto bodies = [](std::vector<int> order) {
    std::vector<std::vector<std::pair<int64_t, TimestampNs>>> points;
    for (int b : order) {
      auto& p = points.emplace_back();
      for (int s = 0; s < 5; ++s) {
        p.push_back({1, b * 5 + s});
        p.push_back({2, b * 5 + s});
      }
    }
    return Segments(points);
  };
  EXPECT_EQ(FlushCut(bodies({0, 1, 2, 3}), 0), 4u);  // everything
  EXPECT_EQ(FlushCut(bodies({0, 1, 2}), 3), 0u);     // nothing: all are the newest
  EXPECT_EQ(FlushCut(bodies({0, 1, 2, 3, 4, 5, 6}), 2), 5u);
  // Body 5 committed after body 6: a cut between them would leave it older than what was
  // flushed, so the cut moves back before body 6.
  EXPECT_EQ(FlushCut(bodies({0, 1, 2, 3, 4, 6, 5, 7, 8}), 3), 5u);
  EXPECT_EQ(FlushCut(bodies({0, 1, 2, 3, 5, 4, 6, 7, 8}), 3), 6u);  // clean at the latest
  // No clean cut within keep_newest of the latest one: the latest one.
  EXPECT_EQ(FlushCut(bodies({9, 0, 1, 2, 3, 4, 5, 6, 7, 8}), 2), 8u);
}

TEST(WriteLogTest, AFlushCutIsCleanPerTag) {
  using sqlite::FlushCut;
  // A gateway sending tag 2 an hour late beside tag 1 live: clean for each tag, although
  // the segments' times cross.
  const auto segments = Segments({{{1, 3600}}, {{2, 1}}, {{1, 3601}}, {{2, 2}}, {{1, 3602}}});
  EXPECT_EQ(FlushCut(segments, 1), 4u);
  // Tag 2's point at 1 written again after a later one: only a cut before both is clean.
  const auto late = Segments({{{1, 3600}}, {{2, 5}}, {{1, 3601}}, {{2, 1}}, {{1, 3602}}});
  EXPECT_EQ(FlushCut(late, 2), 1u);
}

class LoggedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HubConfig config;
    config.storage.log_points = 1'000'000;  // no flush unless asked
    ASSERT_TRUE(Hub::Init(dir_.path() / "hub", config).ok());
    Reopen();
  }
  void Reopen() {
    hub_.reset();
    hub_ = std::move(Hub::Open(dir_.path() / "hub")).value();
  }
  std::vector<double> Values(const std::string& tag) {
    std::vector<double> out;
    EXPECT_TRUE(hub_->storage()
                    .Scan(tag, {},
                          [&](auto, auto v, auto) {
                            out.insert(out.end(), v.begin(), v.end());
                            return true;
                          })
                    .ok());
    return out;
  }
  TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(LoggedStoreTest, LoggedAndDirectWritesKeepTheirOrder) {
  const size_t direct = sqlite::SqliteStorage::kLogBatchPoints;
  SampleBatch small;
  small.Add("x", 5, 1);  // logged
  ASSERT_TRUE(hub_->storage().Write(small).ok());
  SampleBatch big;  // direct, later: its point at 5 wins
  for (size_t i = 0; i < direct; ++i)
    big.Add("x", static_cast<TimestampNs>(i), 2);
  ASSERT_TRUE(hub_->storage().Write(big).ok());
  EXPECT_EQ(Values("x")[5], 2);
  SampleBatch again;  // logged after the direct write: wins over it
  again.Add("x", 5, 3);
  ASSERT_TRUE(hub_->storage().Write(again).ok());
  EXPECT_EQ(Values("x")[5], 3);
  EXPECT_EQ(hub_->storage().Latest("x")->value().ts, static_cast<TimestampNs>(direct - 1));
  ASSERT_OK(hub_->storage().Compact());
  EXPECT_EQ(Values("x")[5], 3);
  EXPECT_EQ(Values("x").size(), direct);
}

TEST_F(LoggedStoreTest, TheLogSurvivesAReopenAndAFlushEmptiesIt) {
  for (int b = 0; b < 10; ++b) {
    SampleBatch batch;
    for (int t = 0; t < 100; ++t)
      batch.Add("m/" + std::to_string(t), b, b * 100 + t);
    ASSERT_TRUE(hub_->storage().Write(batch).ok());
  }
  Result<StorageStats> stats = hub_->storage().Stats();
  EXPECT_EQ(stats->samples, 1000);
  EXPECT_EQ(stats->buffered, 1000);  // all in the log
  Reopen();                          // not flushed: replayed from the log
  EXPECT_EQ(Values("m/7"), (std::vector<double>{7, 107, 207, 307, 407, 507, 607, 707, 807, 907}));
  Result<std::vector<TagInfo>> tags = hub_->storage().ListTags();
  ASSERT_EQ(tags->size(), 100u);
  EXPECT_EQ((*tags)[0].samples, 10);
  EXPECT_EQ((*tags)[0].last_ts, 9);
  ASSERT_OK(hub_->storage().Compact());  // flushes, then compacts
  stats = hub_->storage().Stats();
  EXPECT_EQ(stats->samples, 1000);
  EXPECT_EQ(stats->buffered, 0);
  EXPECT_GT(stats->chunks, 0);
  Reopen();
  EXPECT_EQ(Values("m/7").size(), 10u);
}

// Two processes on one hub (two handles here): each sees what the other logged, and a
// flush by one neither loses nor replays out of order what the other logged.
TEST_F(LoggedStoreTest, TwoWritersShareTheLog) {
  std::unique_ptr<Hub> other = std::move(Hub::Open(dir_.path() / "hub")).value();
  auto write = [](Hub& hub, TimestampNs ts, double v) {
    SampleBatch b;
    b.Add("x", ts, v);
    ASSERT_TRUE(hub.storage().Write(b).ok());
  };
  write(*hub_, 1, 10);                                    // logged by A
  write(*other, 2, 20);                                   // logged by B, unknown to A's memory
  EXPECT_EQ(Values("x"), (std::vector<double>{10, 20}));  // A reads B's entry from the log
  // B flushes (a direct write does), A's entry with it; then A logs a newer value at 1.
  SampleBatch big;
  for (size_t i = 0; i < sqlite::SqliteStorage::kLogBatchPoints; ++i)
    big.Add("y", static_cast<TimestampNs>(i), 0);
  ASSERT_TRUE(other->storage().Write(big).ok());
  write(*other, 1, 11);  // B, logged: newer than A's 10
  // A flushes: its old entry (already in the chunks) must not come back over B's 11.
  ASSERT_OK(hub_->storage().Compact());
  EXPECT_EQ(Values("x"), (std::vector<double>{11, 20}));
  other.reset();
  Reopen();
  EXPECT_EQ(Values("x"), (std::vector<double>{11, 20}));
  EXPECT_EQ(hub_->storage().Stats()->buffered, 0);
}

// Concurrent small writes commit in groups (GroupCommit): every point of every write is
// stored and survives a reopen, and tags that several writes of one group introduce at once
// are created once.
TEST_F(LoggedStoreTest, ConcurrentWritersCommitTogetherAndLoseNothing) {
  constexpr int kWriters = 6, kWrites = 60;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kWrites; ++i) {
        SampleBatch b;
        b.Add("everyone/" + std::to_string(i), w, w * 1000 + i);  // new to all writers at once
        b.Add("own/" + std::to_string(w), i, i);
        if (!hub_->storage().Write(b).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : writers)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  for (int pass = 0; pass < 2; ++pass) {
    Result<std::vector<TagInfo>> tags = hub_->storage().ListTags();
    ASSERT_OK(tags);
    EXPECT_EQ(tags->size(), static_cast<size_t>(kWrites + kWriters));
    for (int i = 0; i < kWrites; ++i) {
      std::vector<double> expected;
      for (int w = 0; w < kWriters; ++w)
        expected.push_back(w * 1000 + i);
      EXPECT_EQ(Values("everyone/" + std::to_string(i)), expected);
    }
    EXPECT_EQ(Values("own/3").size(), static_cast<size_t>(kWrites));
    Reopen();  // replayed from the log
  }
}

TEST_F(LoggedStoreTest, ATrickleOfTinyWritesIsFlushedTooNotOnlyAMillionPoints) {
  for (int i = 0; i < 300; ++i) {
    SampleBatch b;
    b.Add("slow", i, i);
    ASSERT_TRUE(hub_->storage().Write(b).ok());
  }
  // The 256th write flushed the log but its newest 16; those and the 44 after it wait in it.
  Result<StorageStats> stats = hub_->storage().Stats();
  EXPECT_EQ(stats->samples, 300);
  EXPECT_EQ(stats->buffered, 300 - static_cast<int64_t>(sqlite::SqliteStorage::kMaxLogWrites -
                                                        sqlite::SqliteStorage::kLogTailWrites));
  EXPECT_EQ(Values("slow").size(), 300u);
}

}  // namespace
}  // namespace fh::testing
