// A hub left by a writer killed on a full disk (its WAL and WAL index still there) can be
// opened and read, on the full disk and on a read-only file system; compact on the full
// disk either frees room or says clearly that it cannot, and once there is room it folds
// the WAL in and truncates it, losing nothing.
//
// The disk is a small tmpfs mounted for the test, which needs root (as CI has): without
// it the test is skipped, saying so.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "common/time.h"
#include "store/hub.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

constexpr int kPoints = 20'000;

int64_t FileSize(const std::filesystem::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_ = dir_ / "disk";
    std::filesystem::create_directories(mount_);
    if (::mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=12m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs at " << mount_ << " (" << strerror(errno)
                   << "): this test needs root";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(mount_.c_str(), MNT_DETACH);
  }
  std::filesystem::path hub() const { return mount_ / "hub"; }

  // A child process writes the points, then is killed before it closes the hub: its WAL
  // and WAL index stay behind, as after a crash.
  void WriteThenGetKilled() {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto opened = Hub::Open(hub());
      if (!opened.ok()) _exit(2);
      SampleBatch batch;
      for (int i = 0; i < kPoints; ++i)
        batch.Add("press/force", i * kNanosPerSecond, (i * 7919) % 1000 / 8.0);
      if (!(*opened)->storage().Write(batch).ok()) _exit(3);
      kill(getpid(), SIGKILL);
      _exit(4);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited with " << WEXITSTATUS(status);
  }

  // Fills the disk to the last byte.
  void FillDisk() {
    std::ofstream filler(mount_ / "filler", std::ios::binary);
    const std::string block(4096, 'x');
    while (filler.write(block.data(), block.size())) {
    }
    std::ofstream last(mount_ / "filler-tail", std::ios::binary);
    while (last.put('x')) {
      last.flush();
      if (!last) break;
    }
  }

  void ExpectAllPointsReadable(Hub& hub) {
    auto tags = hub.storage().ListTags();
    ASSERT_OK(tags);
    ASSERT_EQ(tags->size(), 1u);
    EXPECT_EQ((*tags)[0].samples, kPoints);
    int64_t scanned = 0;
    Status s = hub.storage().Scan("press/force", {}, [&](auto ts, auto, auto) {
      scanned += static_cast<int64_t>(ts.size());
      return true;
    });
    ASSERT_OK(s);
    EXPECT_EQ(scanned, kPoints);
  }

  TempDir dir_;
  std::filesystem::path mount_;
  bool mounted_ = false;
};

TEST_F(FullDiskTest, AKilledWritersHubIsReadableAndCompactReclaimsOnceThereIsRoom) {
  ASSERT_TRUE(Hub::Init(hub(), HubConfig{}).ok());
  WriteThenGetKilled();
  const auto wal = hub() / (std::string(kHubDbFile) + "-wal");
  ASSERT_GT(FileSize(wal), 0) << "the killed writer should have left its WAL";
  FillDisk();

  {  // Reading works on the full disk, read-only or not.
    auto hub_ro = Hub::Open(hub(), /*read_only=*/true);
    ASSERT_OK(hub_ro);
    ExpectAllPointsReadable(**hub_ro);
    EXPECT_EQ((*hub_ro)->storage().Write(SampleBatch()).code(), StatusCode::kFailedPrecondition);
  }
  auto opened = Hub::Open(hub());
  ASSERT_OK(opened);
  ExpectAllPointsReadable(**opened);
  {
    // A write on the full disk fails and stores nothing.
    SampleBatch more;
    for (int i = 0; i < 70'000; ++i)
      more.Add("press/other", i * kNanosPerSecond, i);
    EXPECT_FALSE((*opened)->storage().Write(more).ok());
  }
  // Compact either makes room or says the disk is too full (here it cannot: folding the
  // killed writer's WAL in needs the database to grow).
  Status compact = (*opened)->storage().Compact();
  if (!compact.ok()) {
    EXPECT_NE(compact.message().find("too full to compact"), std::string::npos)
        << compact.ToString();
  }
  ExpectAllPointsReadable(**opened);
  // With room again, compact folds the WAL in and truncates it.
  std::filesystem::remove(mount_ / "filler");
  compact = (*opened)->storage().Compact();
  ASSERT_OK(compact);
  EXPECT_EQ(FileSize(wal), 0);
  ExpectAllPointsReadable(**opened);
}

TEST_F(FullDiskTest, AHubOnAReadOnlyFileSystemOpensReadOnly) {
  ASSERT_TRUE(Hub::Init(hub(), HubConfig{}).ok());
  WriteThenGetKilled();
  ASSERT_EQ(::mount("tmpfs", mount_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=12m"), 0)
      << strerror(errno);
  auto opened = Hub::Open(hub());
  ASSERT_OK(opened);
  EXPECT_NE((*opened)->read_only_reason(), "");
  ExpectAllPointsReadable(**opened);
  Status write = (*opened)->storage().Write(SampleBatch());
  EXPECT_EQ(write.code(), StatusCode::kFailedPrecondition) << write.ToString();
  EXPECT_NE(write.message().find("read-only"), std::string::npos) << write.ToString();
}

}  // namespace
}  // namespace fh::testing
