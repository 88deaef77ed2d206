// The WAL stays bounded under a long run of writes with readers in between (as `serve`
// has): it is checkpointed after the write log's flushes and truncated when it has grown.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

// Bytes of the file, 0 while it does not exist.
int64_t WalBytes(const std::filesystem::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

TEST(WalSizeTest, ManyWritesWithReadersKeepTheWalBounded) {
  TempDir dir;
  HubConfig config;
  config.storage.log_points = 20'000;
  ASSERT_TRUE(Hub::Init(dir / "hub", config).ok());
  auto hub = Hub::Open(dir / "hub");
  ASSERT_OK(hub);
  Storage& storage = (*hub)->storage();
  const auto wal = dir / "hub" / (std::string(kHubDbFile) + "-wal");

  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      auto tags = storage.ListTags();
      ASSERT_OK(tags);
    }
  });
  int64_t largest = 0, last = 0;
  for (int b = 0; b < 1000; ++b) {
    SampleBatch batch;
    for (int tag = 0; tag < 200; ++tag) {
      for (int i = 0; i < 10; ++i)
        batch.Add("t" + std::to_string(tag), (b * 10 + i) * 1'000'000'000LL,
                  (b * 7 + i) % 1000 / 3.0);
    }
    ASSERT_TRUE(storage.Write(batch).ok());
    last = WalBytes(wal);
    largest = std::max(largest, last);
  }
  done = true;
  reader.join();
  // Without truncation this run leaves about 60 MB of WAL, growing with every write: the
  // reader always holds a snapshot, so SQLite's own checkpoints never restart it.
  EXPECT_LE(largest, 2 * sqlite::kWalSizeLimit);
  EXPECT_LE(last, sqlite::kWalSizeLimit + sqlite::kWalSizeLimit / 2);
}

}  // namespace
}  // namespace fh::testing
