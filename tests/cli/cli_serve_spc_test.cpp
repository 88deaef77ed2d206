// serve judging the characteristics of spc.yaml as data arrives: limits frozen from a
// baseline (`spc freeze --all`), line protocol written over HTTP, the episodes it records
// listed by `spc events` and GET /api/v1/spc/events, and the monitor at /api/v1/connectors.
#include <signal.h>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <httplib.h>

#include "cli/cli_fixture.h"
#include "testing/wait.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

nlohmann::json GetJson(int port, const std::string& target) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get(target);
  if (!res || res->status != 200) {
    ADD_FAILURE() << target << ": " << (res ? res->body : "no answer");
    return {};
  }
  return nlohmann::json::parse(res->body);
}

TEST_F(CliTest, ServeJudgesNewPointsAgainstFrozenLimits) {
  InitHub();
  // 30 steady readings of an oven (2026-03-01 08:00 on, one a second), then frozen limits.
  std::string csv = "timestamp,tag,value\n";
  for (int i = 0; i < 30; ++i) {
    csv += fmt::format("2026-03-01T08:00:{:02}Z,oven/temp,{}\n", i,
                       100 + (i % 2 ? 0.5 : -0.5) + 0.01 * (i % 7));
  }
  Ok({"write", "--hub", hub(), WriteFile("baseline.csv", csv)});
  WriteFile("hub/spc.yaml",
            "characteristics:\n"
            "  - {name: oven, tag: oven/temp, baseline: 30}\n"
            "  - {name: fan, tag: oven/fan, baseline: 30}\n");
  CliResult frozen = RunCli({"spc", "freeze", "--hub", hub(), "--all", "--json"});
  ASSERT_EQ(frozen.exit_code, 0) << frozen.err;
  nlohmann::json f = nlohmann::json::parse(frozen.out);
  ASSERT_EQ(f["frozen"].size(), 1u) << f.dump();
  EXPECT_EQ(f["frozen"][0]["characteristic"], "oven");
  EXPECT_EQ(f["frozen"][0]["version"], 1);
  ASSERT_EQ(f["skipped"].size(), 1u);  // no data for the fan: said, not fatal
  EXPECT_EQ(f["skipped"][0]["characteristic"], "fan");
  EXPECT_THAT(f["skipped"][0]["error"].get<std::string>(), HasSubstr("oven/fan"));

  CliProcess serve({"serve", "--hub", hub(), "--port", "0", "--spc-every", "50ms"});
  std::string seen;
  ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("SPC: 1 of 2 characteristics"));
  const int port = ServedPort(seen);
  ASSERT_GT(port, 0) << seen;

  // The oven runs hot for four seconds, then settles again.
  std::string body;
  const double values[] = {100.2, 99.8, 130, 131, 129.5, 130.2, 100, 99.9};
  for (int i = 0; i < 8; ++i) {
    body += fmt::format("oven temp={} {}\n", values[i], 1772352060 + i);  // 08:01:00 on
  }
  httplib::Client client("127.0.0.1", port);
  auto res = client.Post("/write?precision=s", body, "text/plain");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 204) << res->body;

  nlohmann::json events;
  WaitUntil(
      [&] {
        events = GetJson(port, "/api/v1/spc/events?characteristic=oven");
        for (const auto& e : events["events"]) {
          if (e["rule"] == "nelson-1" && e["active"] == false) return true;
        }
        return false;
      },
      [&] { return events.dump(); });
  nlohmann::json beyond;
  for (const auto& e : events["events"]) {
    if (e["rule"] == "nelson-1") beyond = e;
  }
  EXPECT_EQ(beyond["chart"], "i");
  EXPECT_EQ(beyond["ts"], "2026-03-01T08:01:02Z");
  EXPECT_EQ(beyond["last_ts"], "2026-03-01T08:01:05Z");
  EXPECT_EQ(beyond["points"], 4);
  EXPECT_EQ(beyond["value"], 130);
  EXPECT_EQ(beyond["limits_version"], 1);

  nlohmann::json connectors = GetJson(port, "/api/v1/connectors");
  bool monitor = false;
  for (const auto& c : connectors["connectors"]) {
    if (c["kind"] != "spc") continue;
    monitor = true;
    EXPECT_EQ(c["state"], "monitoring") << c.dump();
    EXPECT_EQ(c["points"], 8) << c.dump();
  }
  EXPECT_TRUE(monitor) << connectors.dump();
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();

  // The CLI lists what serve recorded; a restart judges the same points and adds nothing.
  nlohmann::json listed = Json({"spc", "events", "--hub", hub(), "--characteristic", "oven"});
  EXPECT_EQ(listed["events"].size(), events["events"].size()) << listed.dump();
  CliResult text = Ok({"spc", "events", "--hub", hub()});
  EXPECT_THAT(text.out, HasSubstr("nelson-1"));
  EXPECT_THAT(text.out, HasSubstr("one point beyond 3 sigma"));
  CliProcess again({"serve", "--hub", hub(), "--port", "0"});
  ASSERT_NE(again.WaitForLine("Press Ctrl-C", 30000), "") << again.ReadStderr();
  EXPECT_EQ(again.Signal(SIGTERM), 0);
  EXPECT_EQ(Json({"spc", "events", "--hub", hub()})["events"].size(), listed["events"].size());
  // --no-spc: no monitor, and the line says nothing of SPC.
  CliProcess plain({"serve", "--hub", hub(), "--port", "0", "--no-spc"});
  std::string plain_seen;
  ASSERT_NE(plain.WaitForLine("Press Ctrl-C", 30000, &plain_seen), "");
  EXPECT_THAT(plain_seen, ::testing::Not(HasSubstr("SPC:")));
  EXPECT_EQ(plain.Signal(SIGTERM), 0);
}

TEST_F(CliTest, SpcFreezeNeedsACharacteristicOrAll) {
  InitHub();
  CliResult r = RunCli({"spc", "freeze", "--hub", hub()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("--characteristic NAME or --all"));
  CliResult none = RunCli({"spc", "freeze", "--hub", hub(), "--all"});
  EXPECT_NE(none.exit_code, 0);
  EXPECT_THAT(none.err, HasSubstr("defines no characteristic"));
  CliResult empty = Ok({"spc", "events", "--hub", hub()});
  EXPECT_THAT(empty.out, HasSubstr("No SPC events"));
}

}  // namespace
}  // namespace fh::testing
