// Online backup and restore with the real binary (docs/operations.md): a backup taken while
// `serve` is being written to is one consistent moment (every write before it, none torn),
// a restored hub opens and checks clean, and a damaged backup is refused before anything is
// written.
#include <atomic>
#include <thread>

#include <httplib.h>

#include "cli/cli_fixture.h"
#include "testing/mqtt_peers.h"

namespace fh::testing {
namespace {

class CliBackupTest : public CliTest {};

TEST_F(CliBackupTest, ABackupWhileServingHoldsEveryAcknowledgedWriteAndNoTornOne) {
  InitHub();
  const int port = FreeLoopbackPort();
  CliProcess serve({"serve", "--hub", hub(), "--port", std::to_string(port)});
  ASSERT_FALSE(serve.WaitForLine("Press Ctrl-C", 20000).empty()) << serve.ReadStderr();

  constexpr int kPerBatch = 500;  // points per write: 50 tags x 10 times
  std::atomic<int> acknowledged{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    httplib::Client c("127.0.0.1", port);
    for (int b = 0; !stop; ++b) {
      std::string body;
      for (int t = 0; t < 50; ++t) {
        for (int i = 0; i < 10; ++i) {
          body +=
              "m,id=" + std::to_string(t) + " v=" + std::to_string(b) + " " +
              std::to_string(1'767'225'600'000'000'000 + (int64_t{b} * 10 + i) * 1'000'000'000) +
              "\n";
        }
      }
      auto res = c.Post("/write", body, "text/plain");
      if (!res || res->status != 204) break;
      acknowledged = b + 1;
    }
  });
  while (acknowledged < 20)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const int before = acknowledged;
  const std::string backup = (tmp_ / "backup").string();
  CliResult taken = Ok({"backup", "--hub", hub(), backup, "--json"});
  const int after = acknowledged;
  stop = true;
  writer.join();
  nlohmann::json report = nlohmann::json::parse(taken.out);
  EXPECT_GE(report["files"].size(), 3u) << taken.out;  // the two databases and the config

  const std::string restored = (tmp_ / "restored").string();
  Ok({"restore", backup, restored});
  nlohmann::json info = Json({"info", "--hub", restored});
  const int64_t samples = info["samples"].get<int64_t>();
  EXPECT_GE(samples, int64_t{before} * kPerBatch);
  EXPECT_LE(samples, int64_t{after + 1} * kPerBatch);
  EXPECT_EQ(samples % kPerBatch, 0) << "a write torn by the backup";
  Ok({"check", "--hub", restored});
  EXPECT_EQ(serve.Signal(SIGTERM), 0);
}

TEST_F(CliBackupTest, ADamagedBackupIsRefusedAndNothingIsWritten) {
  InitHub();
  Ok({"write", "--hub", hub(),
      WriteFile("s.csv", "timestamp,tag,value\n2026-01-01T00:00:00Z,a,1\n")});
  const std::string backup = (tmp_ / "backup").string();
  Ok({"backup", "--hub", hub(), backup});
  CliResult again = RunCli({"backup", "--hub", hub(), backup});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;
  {
    std::fstream db(backup + "/factoryhub.db", std::ios::in | std::ios::out | std::ios::binary);
    db.seekp(5000);
    db.put('\x42');
  }
  const std::string restored = (tmp_ / "restored").string();
  CliResult refused = RunCli({"restore", backup, restored});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("factoryhub.db does not match its SHA-256"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(restored));
  CliResult not_a_backup = RunCli({"restore", hub(), restored});
  EXPECT_NE(not_a_backup.err.find("is not a backup"), std::string::npos) << not_a_backup.err;
}

}  // namespace
}  // namespace fh::testing
