// GroupCommit: writers that arrive while a commit runs are committed together by one of
// them, each exactly once, and each gets its group's status.
#include "store/sqlite_storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace fh::sqlite {
namespace {

struct Entry {
  int writer = 0;
  int committed = 0;  // times a commit carried it
};

TEST(GroupCommitTest, EveryEntryIsCommittedOnceAndWaitersShareCommits) {
  GroupCommit<Entry> queue;
  std::atomic<int> commits{0};
  std::atomic<int> largest{0};
  std::atomic<bool> inside{false};
  std::atomic<bool> overlapped{false};
  auto commit = [&](std::span<Entry*> group) {
    if (inside.exchange(true)) overlapped = true;  // one commit at a time
    ++commits;
    largest = std::max(largest.load(), static_cast<int>(group.size()));
    for (Entry* e : group)
      ++e->committed;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // an fsync's time
    inside = false;
    return Status();
  };
  constexpr int kWriters = 8, kWrites = 40;
  std::vector<std::vector<Entry>> entries(kWriters, std::vector<Entry>(kWrites));
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (Entry& e : entries[w]) {
        e.writer = w;
        EXPECT_TRUE(queue.Submit(&e, commit).ok());
        EXPECT_EQ(e.committed, 1);  // done when Submit returns
      }
    });
  }
  for (std::thread& t : writers)
    t.join();
  for (const auto& list : entries) {
    for (const Entry& e : list)
      EXPECT_EQ(e.committed, 1);
  }
  EXPECT_FALSE(overlapped);
  // Eight writers and a 2 ms commit: writes wait together, far fewer commits than writes.
  EXPECT_GT(largest.load(), 1);
  EXPECT_LT(commits.load(), kWriters * kWrites);
}

TEST(GroupCommitTest, AFailedCommitFailsEveryWriteOfItsGroupOnly) {
  GroupCommit<Entry> queue;
  std::atomic<int> calls{0};
  auto commit = [&](std::span<Entry*> group) {
    const int call = calls++;
    for (Entry* e : group)
      ++e->committed;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return call == 1 ? Internal("disk full") : Status();
  };
  std::vector<Entry> entries(6);
  std::vector<Status> results(entries.size());
  std::vector<std::thread> writers;
  for (size_t i = 0; i < entries.size(); ++i) {
    writers.emplace_back([&, i] { results[i] = queue.Submit(&entries[i], commit); });
  }
  for (std::thread& t : writers)
    t.join();
  int failed = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].committed, 1);
    if (!results[i].ok()) {
      ++failed;
      EXPECT_EQ(results[i].message(), "disk full");
    }
  }
  EXPECT_GE(failed, 1);
  EXPECT_LT(failed, static_cast<int>(entries.size()));  // the first commit succeeded
}

}  // namespace
}  // namespace fh::sqlite
