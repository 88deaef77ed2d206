// serve following the alarms of alarms.yaml as data arrives, and operators acting from the
// CLI: `alarms list` shows what stands, `alarms ack` / `shelve` are applied by the running
// server and journalled with who and why, `alarms journal` and `report` read what it wrote;
// without a server an action is withdrawn, saying so; a webhook of alarms.yaml's notify list
// (a cpp-httplib server here) is told each event.
#include <signal.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "cli/cli_fixture.h"
#include "common/time.h"
#include "testing/wait.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, ServeFollowsAlarmsAndOperatorsActFromTheCli) {
  httplib::Server webhook;
  std::mutex posted_mu;
  std::vector<nlohmann::json> posted;
  webhook.Post("/hook", [&](const httplib::Request& req, httplib::Response&) {
    std::lock_guard<std::mutex> lock(posted_mu);
    posted.push_back(nlohmann::json::parse(req.body));
  });
  const int webhook_port = webhook.bind_to_any_port("127.0.0.1");
  std::thread webhook_thread([&] { webhook.listen_after_bind(); });
  struct StopWebhook {
    httplib::Server& server;
    std::thread& thread;
    ~StopWebhook() {
      server.stop();
      thread.join();
    }
  } stop_webhook{webhook, webhook_thread};

  InitHub();
  WriteFile("hub/alarms.yaml",
            fmt::format("alarms:\n"
                        "  - {{name: oven-high, type: high, tag: oven/temp, limit: 230, "
                        "priority: high,\n"
                        "     equipment: acme/line-1/oven}}\n"
                        "  - {{name: feed-lost, type: stale, tag: feed/flow, after: 1s, "
                        "priority: critical}}\n"
                        "notify:\n"
                        "  - {{name: room, webhook: 'http://127.0.0.1:{}/hook', "
                        "events: [activated, acknowledged]}}\n",
                        webhook_port));
  CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
  std::string seen;
  ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("Alarms: 2 of alarms.yaml"));
  EXPECT_THAT(seen, HasSubstr(fmt::format(
                        "Notifying room of alarm events: http://127.0.0.1:{}/hook", webhook_port)));
  const int port = ServedPort(seen);
  ASSERT_GT(port, 0) << seen;

  const int64_t now_s = NowNs() / kNanosPerSecond;
  httplib::Client client("127.0.0.1", port);
  auto res = client.Post("/write?precision=s",
                         fmt::format("oven temp=225 {}\noven temp=241 {}\nfeed flow=3 {}\n",
                                     now_s - 2, now_s - 1, now_s - 1),
                         "text/plain");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 204) << res->body;

  // Both stand: the oven at once, the feed once a second has passed without a value.
  nlohmann::json listed;
  WaitUntil(
      [&] {
        listed = Json({"alarms", "list", "--hub", hub()});
        return listed["alarms"].size() == 2;
      },
      [&] { return listed.dump(); });
  EXPECT_EQ(listed["alarms"][0]["alarm"], "oven-high");
  EXPECT_EQ(listed["alarms"][0]["state"], "unacknowledged");
  EXPECT_EQ(listed["alarms"][1]["alarm"], "feed-lost");

  CliResult ack = Ok({"alarms", "ack", "--hub", hub(), "oven-high", "--user", "li.wei", "--comment",
                      "checking the burner"});
  EXPECT_THAT(ack.out, HasSubstr("oven-high: acknowledge by li.wei."));
  CliResult again = RunCli({"alarms", "ack", "--hub", hub(), "oven-high"});
  EXPECT_EQ(again.exit_code, 5) << again.err;
  EXPECT_THAT(again.err, HasSubstr("nothing to acknowledge"));
  CliResult vague = RunCli({"alarms", "shelve", "--hub", hub(), "feed-lost"});
  EXPECT_EQ(vague.exit_code, 3);
  EXPECT_THAT(vague.err, HasSubstr("one of --for, --until or --one-shot"));
  Ok({"alarms", "shelve", "--hub", hub(), "feed-lost", "--for", "2h", "--user", "zhang.min",
      "--comment", "pump swap"});
  CliResult unknown = RunCli({"alarms", "ack", "--hub", hub(), "nope"});
  EXPECT_EQ(unknown.exit_code, 4);

  nlohmann::json journal = Json({"alarms", "journal", "--hub", hub()});
  std::vector<std::string> events;
  for (const auto& e : journal["events"])
    events.push_back(e["alarm"].get<std::string>() + " " + e["event"].get<std::string>() +
                     (e["user"] == "" ? "" : " by " + e["user"].get<std::string>()));
  EXPECT_THAT(events, ::testing::ElementsAre("feed-lost shelved by zhang.min",
                                             "oven-high acknowledged by li.wei",
                                             "feed-lost activated", "oven-high activated"));
  EXPECT_EQ(journal["events"][1]["comment"], "checking the burner");

  nlohmann::json connectors = nlohmann::json::parse(client.Get("/api/v1/connectors")->body);
  bool monitor = false;
  for (const auto& c : connectors["connectors"]) {
    if (c["kind"] != "alarms") continue;
    monitor = true;
    EXPECT_EQ(c["state"], "monitoring");
    EXPECT_EQ(c["alarms"], 2);
  }
  EXPECT_TRUE(monitor) << connectors.dump();

  // The webhook was told of both activations and the acknowledgement (not the shelving).
  auto told = [&] {
    std::lock_guard<std::mutex> lock(posted_mu);
    std::vector<std::string> out;
    for (const nlohmann::json& p : posted)
      out.push_back(p["alarm"].get<std::string>() + " " + p["event"].get<std::string>());
    return out;
  };
  WaitUntil([&] { return told().size() >= 3; }, [&] { return fmt::format("{}", told()); });
  EXPECT_THAT(told(), ::testing::UnorderedElementsAre("oven-high activated", "feed-lost activated",
                                                      "oven-high acknowledged"));
  connectors = nlohmann::json::parse(client.Get("/api/v1/connectors")->body);
  bool notifier = false;
  for (const auto& c : connectors["connectors"]) {
    if (c["kind"] != "notify") continue;
    notifier = true;
    EXPECT_EQ(c["name"], "room");
    EXPECT_EQ(c["messages"], 3);
  }
  EXPECT_TRUE(notifier) << connectors.dump();
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();

  // Without a server the request is withdrawn, not left for one that starts later.
  CliResult alone = RunCli({"alarms", "ack", "--hub", hub(), "feed-lost", "--wait", "300ms"});
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_THAT(alone.err, HasSubstr("no server applied it within 300ms"));
  nlohmann::json report = Json({"alarms", "report", "--hub", hub(), "--from", "now-1h"});
  EXPECT_EQ(report["annunciated"], 2);
  EXPECT_EQ(report["priorities"]["critical"]["count"], 1);
  CliResult text = Ok({"alarms", "list", "--hub", hub()});
  EXPECT_THAT(text.out, HasSubstr("acknowledged"));
  EXPECT_THAT(text.out, HasSubstr("shelved"));
}

}  // namespace
}  // namespace fh::testing
