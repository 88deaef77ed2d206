// kill -9 during writes: every batch whose Write() returned OK before the kill must be
// there after reopening, and the batch in flight must be there whole or not at all.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "store/storage_harness.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

// Batch b: tag "k<b % 5>", `BatchSize(b)` points at distinct timestamps, value b + i/1000.
int BatchSize(int b) {
  return b % 3 == 0 ? 3000 : 20;
}
TimestampNs BatchStart(int b) {
  return static_cast<TimestampNs>(b) * 10'000;
}

SampleBatch MakeBatch(int b) {
  SampleBatch batch;
  for (int i = 0; i < BatchSize(b); ++i) {
    batch.Add("k" + std::to_string(b % 5), BatchStart(b) + i, b + i / 1000.0, kQualityGood);
  }
  return batch;
}

// Points of batch b found in the store.
int64_t PointsOfBatch(Storage& storage, int b) {
  int64_t found = 0;
  Status s = storage.Scan("k" + std::to_string(b % 5), {BatchStart(b), BatchStart(b) + 10'000},
                          [&](auto ts, auto values, auto) {
                            for (size_t i = 0; i < ts.size(); ++i) {
                              found += values[i] == b + (ts[i] - BatchStart(b)) / 1000.0;
                            }
                            return true;
                          });
  if (s.code() == StatusCode::kNotFound) return 0;
  EXPECT_OK(s);
  return found;
}

class CrashRecovery : public ::testing::TestWithParam<HarnessFactory> {};

TEST_P(CrashRecovery, KillDuringWritesLosesNoAcknowledgedBatch) {
  auto harness = GetParam().make();
  std::mt19937 rng(99);
  int next_batch = 0;
  for (int round = 0; round < 3; ++round) {
    int pipefd[2];
    ASSERT_EQ(pipe(pipefd), 0);
    const int first = next_batch;
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {  // child: write batches forever, acknowledging each after Write() returns
      close(pipefd[0]);
      std::unique_ptr<Storage> storage = harness->OpenAnother();
      if (!storage) _exit(2);
      for (int b = first;; ++b) {
        if (!storage->Write(MakeBatch(b)).ok()) _exit(3);
        if (write(pipefd[1], &b, sizeof b) != sizeof b) _exit(4);
      }
    }
    close(pipefd[1]);
    const int kill_after = 5 + static_cast<int>(rng() % 30);
    int acked = -1, got = 0, b;
    while (got < kill_after && read(pipefd[0], &b, sizeof b) == sizeof b)
      acked = b, ++got;
    usleep(rng() % 3000);
    kill(pid, SIGKILL);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited early with " << WEXITSTATUS(wstatus);
    // Acknowledgements still in the pipe were written before the kill.
    while (read(pipefd[0], &b, sizeof b) == sizeof b)
      acked = b;
    close(pipefd[0]);
    ASSERT_GE(acked, first);

    harness->Reopen();
    for (int i = first; i <= acked; ++i) {
      ASSERT_EQ(PointsOfBatch(harness->storage(), i), BatchSize(i)) << "acknowledged batch " << i;
    }
    int64_t in_flight = PointsOfBatch(harness->storage(), acked + 1);
    EXPECT_TRUE(in_flight == 0 || in_flight == BatchSize(acked + 1))
        << "batch " << acked + 1 << " partly stored: " << in_flight;
    next_batch = acked + 2;  // the in-flight batch's timestamps are not reused
  }
  ASSERT_OK(harness->storage().Compact());
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashRecovery,
                         ::testing::Values(SqliteHarness(8192, 1024), SqliteHarness(64, 16),
                                           SqliteHarness(64, 16, 50), SqliteHarness(8192, 1024, 0)),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace fh::testing
