// The outbox of an edge hub: what is appended comes back in order until acknowledged, a
// record torn by a crash is never read, limits drop the oldest and count it, and processes
// appending at once each get their records in whole.
#include "store/outbox/outbox.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <gtest/gtest.h>

#include <bit>
#include <set>
#include <thread>

#include "store/outbox/sample_batch_codec.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::outbox {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

std::string Payload(int i, size_t size = 100) {
  std::string s = "record-" + std::to_string(i) + ":";
  s.resize(size, static_cast<char>('a' + i % 26));
  return s;
}

TEST(OutboxTest, RecordsComeBackInOrderUntilAcknowledged) {
  testing::TempDir dir;
  auto box = Outbox::Open(dir.path() / "outbox", {});
  ASSERT_OK(box);
  for (int i = 0; i < 10; ++i)
    ASSERT_OK((*box)->Append(Payload(i), i, 1000 + i));
  auto all = (*box)->ReadUnsent(1 << 20);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ((*all)[i].payload, Payload(i));
    EXPECT_EQ((*all)[i].points, static_cast<uint32_t>(i));
    EXPECT_EQ((*all)[i].appended_ns, 1000 + i);
    if (i > 0) {
      EXPECT_EQ((*all)[i].position, (*all)[i - 1].end);
    }
  }
  auto some = (*box)->ReadUnsent(250);  // at most 250 bytes of payload: two records
  ASSERT_OK(some);
  EXPECT_EQ(some->size(), 2u);
  ASSERT_OK((*box)->Acknowledge((*all)[3].end));
  auto rest = (*box)->ReadUnsent(1 << 20);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->size(), 6u);
  EXPECT_EQ(rest->front().payload, Payload(4));
  auto state = (*box)->State();
  ASSERT_OK(state);
  EXPECT_EQ(state->unsent_records, 6);
  EXPECT_EQ(state->unsent_points, 4 + 5 + 6 + 7 + 8 + 9);
  EXPECT_EQ(state->oldest_unsent_ns, 1004);

  // Reopened (a restart): the same cursor, the same records.
  box->reset();
  auto again = Outbox::Open(dir.path() / "outbox", {});
  ASSERT_OK(again);
  auto after = (*again)->ReadUnsent(1 << 20);
  ASSERT_OK(after);
  ASSERT_EQ(after->size(), 6u);
  EXPECT_EQ(after->front().position, (*all)[4].position);
}

TEST(OutboxTest, ARecordTornByACrashIsNeverReadAndIsOverwritten) {
  testing::TempDir dir;
  auto box = Outbox::Open(dir.path() / "outbox", {});
  ASSERT_OK(box);
  ASSERT_OK((*box)->Append(Payload(1), 1, 1));
  // A crash in the middle of the next append: its bytes are in the segment, the state's
  // tail still ends before them.
  std::filesystem::path segment;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "outbox")) {
    if (e.path().extension() == ".seg") segment = e.path();
  }
  {
    int fd = open(segment.c_str(), O_WRONLY | O_APPEND);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "\xff\xff\xff\x7fgarbage", 11), 11);
    close(fd);
  }
  auto read = (*box)->ReadUnsent(1 << 20);
  ASSERT_OK(read);
  ASSERT_EQ(read->size(), 1u);
  ASSERT_OK((*box)->Append(Payload(2), 2, 2));
  read = (*box)->ReadUnsent(1 << 20);
  ASSERT_OK(read);
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[1].payload, Payload(2));
}

TEST(OutboxTest, PastTheSizeLimitTheOldestSegmentsAreDroppedAndCounted) {
  testing::TempDir dir;
  Limits limits;
  limits.max_bytes = 20'000;
  limits.segment_bytes = 4'000;
  auto box = Outbox::Open(dir.path() / "outbox", limits);
  ASSERT_OK(box);
  for (int i = 0; i < 100; ++i)
    ASSERT_OK((*box)->Append(Payload(i, 980), 10, i));  // 1,000 bytes a record
  auto state = (*box)->State();
  ASSERT_OK(state);
  EXPECT_LE(static_cast<int64_t>(state->tail - state->acked), limits.max_bytes);
  EXPECT_GT(state->dropped_records, 70);
  EXPECT_EQ(state->dropped_points, state->dropped_records * 10);
  EXPECT_EQ(state->dropped_records + state->unsent_records, 100);
  // What is left is the newest, in order.
  auto left = (*box)->ReadUnsent(1 << 20);
  ASSERT_OK(left);
  EXPECT_EQ(left->back().payload, Payload(99, 980));
}

TEST(OutboxTest, UnsentRecordsOlderThanTheAgeLimitAreDropped) {
  testing::TempDir dir;
  Limits limits;
  limits.max_age_ns = 60 * kSecond;
  limits.segment_bytes = 1'000;
  auto box = Outbox::Open(dir.path() / "outbox", limits);
  ASSERT_OK(box);
  for (int i = 0; i < 10; ++i)
    ASSERT_OK((*box)->Append(Payload(i, 900), 1, (i + 1) * 30 * kSecond));
  ASSERT_OK((*box)->EnforceLimits(11 * 30 * kSecond));
  auto state = (*box)->State();
  ASSERT_OK(state);
  EXPECT_GT(state->dropped_records, 0);
  EXPECT_GE(state->oldest_unsent_ns, 11 * 30 * kSecond - 90 * kSecond);  // a segment holds two
}

TEST(OutboxTest, ProcessesAppendingAtOnceEachKeepEveryRecordWhole) {
  testing::TempDir dir;
  const auto path = dir.path() / "outbox";
  ASSERT_OK(Outbox::Open(path, {}).status());
  std::vector<pid_t> children;
  for (int p = 0; p < 3; ++p) {
    pid_t pid = fork();
    if (pid == 0) {
      auto box = Outbox::Open(path, {});
      if (!box.ok()) _exit(1);
      for (int i = 0; i < 200; ++i) {
        if (!(*box)->Append(Payload(p * 1000 + i, 64 + i), 1, i).ok()) _exit(2);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  // And threads of this process too.
  auto box = Outbox::Open(path, {});
  ASSERT_OK(box);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        ASSERT_OK((*box)->Append(Payload(5000 + t * 1000 + i, 64 + i), 1, i));
    });
  }
  for (auto& t : threads)
    t.join();
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto all = (*box)->ReadUnsent(size_t{1} << 30);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1200u);
  std::set<std::string> seen;
  for (const Record& r : *all)
    seen.insert(r.payload);
  EXPECT_EQ(seen.size(), 1200u);
}

TEST(SampleBatchCodecTest, RoundTripsBitExactlyAndRefusesWhatDoesNotFit) {
  SampleBatch batch;
  batch.Add("a", 1, std::bit_cast<double>(uint64_t{0x7ff8'0000'dead'beef}), 0x808C0000u);
  batch.Add("b/c", -5, -0.0, 192);
  batch.Add("a", 7, 1e300, 0);
  std::string bytes;
  EncodeSampleBatch(batch, &bytes);
  SampleBatch back;
  ASSERT_OK(DecodeSampleBatch(bytes, &back));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back.tag_names()[back.tag()[1]], "b/c");
  EXPECT_EQ(std::bit_cast<uint64_t>(back.value()[0]), uint64_t{0x7ff8'0000'dead'beef});
  EXPECT_EQ(back.quality()[0], 0x808C0000u);
  EXPECT_EQ(std::bit_cast<uint64_t>(back.value()[1]), std::bit_cast<uint64_t>(-0.0));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    SampleBatch partial;
    EXPECT_FALSE(DecodeSampleBatch(std::string_view(bytes).substr(0, cut), &partial).ok()) << cut;
  }
  std::string hostile = bytes;
  hostile[0] = '\xff';  // four billion tags claimed
  SampleBatch h;
  EXPECT_FALSE(DecodeSampleBatch(hostile, &h).ok());
}

}  // namespace
}  // namespace fh::outbox
