// A 204 means durable: clients write line protocol to `factoryhub serve` while it is killed
// with SIGKILL; after a restart every point of every acknowledged request is there.
#include <signal.h>

#include <atomic>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

TEST_F(CliTest, AcknowledgedWritesSurviveSigkill) {
  InitHub();
  CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
  const int port = ServedPort(serve.WaitForLine("http://localhost:", 30000));
  ASSERT_GT(port, 0) << serve.ReadStderr();

  // Each client writes requests of 500 points, value = the point's number in its stream,
  // until the server dies; it remembers which requests were answered 204.
  constexpr int kClients = 3, kPerRequest = 500;
  std::vector<std::vector<int>> acknowledged(kClients);  // request numbers
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_connection_timeout(2);
      client.set_read_timeout(5);
      for (int r = 0; !stop; ++r) {
        std::string body;
        for (int i = 0; i < kPerRequest; ++i) {
          const int n = r * kPerRequest + i;
          body += fmt::format("load,client={} v={} {}\n", c, n, 1'000'000'000LL * (n + 1));
        }
        auto res = client.Post("/write", body, "text/plain");
        if (!res) break;  // the server is gone
        if (res->status == 204) {
          acknowledged[c].push_back(r);
          ++answered;
        } else if (res->status != 429) {
          ADD_FAILURE() << res->status << " " << res->body;
          break;
        }
      }
    });
  }
  // Kill while requests are in flight, after some have been acknowledged.
  for (int waited = 0; answered < 30 && waited < 30000; waited += 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(answered.load(), 30);
  serve.Signal(SIGKILL);
  stop = true;
  for (std::thread& t : clients)
    t.join();

  for (int c = 0; c < kClients; ++c) {
    const nlohmann::json q =
        Json({"query", "--hub", hub(), "--tag", fmt::format("load/client={}/v", c)});
    ASSERT_EQ(q["series"].size(), 1u) << c;
    std::set<int> stored;
    for (const auto& p : q["series"][0]["points"])
      stored.insert(p[1].get<int>());
    int64_t missing = 0;
    for (int r : acknowledged[c]) {
      for (int i = 0; i < kPerRequest; ++i)
        missing += stored.count(r * kPerRequest + i) ? 0 : 1;
    }
    EXPECT_EQ(missing, 0) << "client " << c << ": " << acknowledged[c].size()
                          << " requests acknowledged";
  }
}

}  // namespace
}  // namespace fh::testing
