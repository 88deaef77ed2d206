// The alarm system over HTTP: GET /api/v1/alarms/states, /journal and /report, an
// operator's POST /api/v1/alarms/act, and the live stream GET /api/v1/alarms/stream, on a
// server following the hub's alarms.yaml; errors name the field.
#include <fstream>

#include <gmock/gmock.h>

#include "analytics/alarms/alarm_monitor.h"
#include "api/api_fixture.h"
#include "api/raw_http.h"
#include "api/server_sent_events.h"

namespace fh::testing {
namespace {

namespace alarms = analytics::alarms;

class ApiAlarmsTest : public ApiTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    std::ofstream(tmp_.path() / "alarms.yaml")
        << "alarms:\n"
           "  - {name: oven-high, type: high, tag: oven.temp, limit: 230, priority: high,"
           " equipment: acme/line-1/oven}\n"
           "  - {name: flow-low, type: low, tag: feed.flow, limit: 3, equipment: acme/line-2}\n";
    Result<alarms::AlarmConfig> config =
        alarms::AlarmConfig::Load((tmp_.path() / "alarms.yaml").string());
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    monitor_ = std::make_unique<alarms::AlarmMonitor>(*hub_, *config);
    ASSERT_TRUE(monitor_->Load(NowNs()).ok());
    options.alarms = monitor_.get();
  }
  void TearDown() override {
    ApiTest::TearDown();
    monitor_.reset();
  }
  Reply Act(const std::string& body) {
    Reply reply;
    auto res = client_->Post("/api/v1/alarms/act", body, "application/json");
    if (!res) {
      ADD_FAILURE() << "POST: " << httplib::to_string(res.error());
      return reply;
    }
    reply.status = res->status;
    reply.body = nlohmann::json::parse(res->body, nullptr, false);
    return reply;
  }
  std::unique_ptr<alarms::AlarmMonitor> monitor_;
};

TEST_F(ApiAlarmsTest, StatesActionsJournalAndReport) {
  Reply none = Get("/api/v1/alarms/states");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_TRUE(none.body["alarms"].empty());  // all normal
  EXPECT_EQ(none.body["defined"], 2);
  EXPECT_EQ(Get("/api/v1/alarms/states?all=true").body["alarms"].size(), 2u);

  const TimestampNs now = NowNs();
  SampleBatch hot;
  hot.Add("oven.temp", now - 2 * kNanosPerSecond, 225);
  hot.Add("oven.temp", now - kNanosPerSecond, 236);
  monitor_->Observe(hot);
  ASSERT_TRUE(monitor_->RunOnce(now).ok());
  Reply standing = Get("/api/v1/alarms/states");
  ASSERT_EQ(standing.body["alarms"].size(), 1u) << standing.body;
  const nlohmann::json& oven = standing.body["alarms"][0];
  EXPECT_EQ(oven["alarm"], "oven-high");
  EXPECT_EQ(oven["state"], "unacknowledged");
  EXPECT_EQ(oven["priority"], "high");
  EXPECT_EQ(oven["type"], "high");
  EXPECT_EQ(oven["source"], "oven.temp");
  EXPECT_TRUE(oven["active"]);
  EXPECT_TRUE(Get("/api/v1/alarms/states?equipment=acme/line-2").body["alarms"].empty());
  EXPECT_EQ(Get("/api/v1/alarms/states?priority=high&state=unacknowledged").body["alarms"].size(),
            1u);

  Reply ack = Act(R"({"alarm": "oven-high", "action": "acknowledge", "user": "li.wei",
                      "comment": "checking the burner"})");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body["event"], "acknowledged");
  EXPECT_EQ(ack.body["state"], "acknowledged");
  Reply twice = Act(R"({"alarm": "oven-high", "action": "acknowledge"})");
  EXPECT_EQ(twice.status, 409);
  EXPECT_THAT(twice.body.dump(), ::testing::HasSubstr("nothing to acknowledge"));
  Reply shelve =
      Act(R"({"alarm": "oven-high", "action": "shelve", "for": "1h", "user": "li.wei"})");
  ASSERT_EQ(shelve.status, 200) << shelve.body;
  Reply shelved = Get("/api/v1/alarms/states?state=shelved");
  ASSERT_EQ(shelved.body["alarms"].size(), 1u);
  EXPECT_EQ(shelved.body["alarms"][0]["shelving"], "timed");
  EXPECT_TRUE(shelved.body["alarms"][0]["shelved_until"].is_string());

  Reply journal = Get("/api/v1/alarms/journal?alarm=oven-high");
  ASSERT_EQ(journal.status, 200);
  ASSERT_EQ(journal.body["events"].size(), 3u) << journal.body;
  EXPECT_EQ(journal.body["events"][0]["event"], "shelved");  // newest first
  EXPECT_EQ(journal.body["events"][1]["user"], "li.wei");
  EXPECT_EQ(journal.body["events"][1]["comment"], "checking the burner");
  EXPECT_EQ(journal.body["events"][2]["event"], "activated");
  EXPECT_EQ(journal.body["events"][2]["value"], 236);

  Reply report = Get("/api/v1/alarms/report?from=now-1h&operators=2");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.body["annunciated"], 1);
  EXPECT_EQ(report.body["operators"], 2);
  EXPECT_EQ(report.body["bad_actors"][0]["alarm"], "oven-high");
}

// A dashboard's view: the states when it connects, then every change as it happens, over a
// connection that stays open; a client that reconnects with the last id it saw gets what it
// missed, and nothing twice. Read by cpp-httplib, an independent parser of chunked framing.
TEST_F(ApiAlarmsTest, StreamsTheStatesThenEveryChange) {
  std::string received;
  std::atomic<bool> stop = false;
  std::thread reader([&] {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(std::chrono::seconds(20));
    auto res = client.Get("/api/v1/alarms/stream", [&](const char* data, size_t n) {
      received.append(data, n);
      return !stop.load();
    });
    (void)res;
  });
  auto wait_for = [&](size_t events) {
    for (int i = 0; i < 500 && ParseSse(received).size() < events; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return ParseSse(received);
  };
  std::vector<Sse> seen = wait_for(1);
  ASSERT_GE(seen.size(), 1u) << received;
  EXPECT_EQ(seen[0].event, "states");
  ASSERT_EQ(seen[0].data["alarms"].size(), 2u);
  EXPECT_EQ(seen[0].data["alarms"][0]["state"], "normal");
  EXPECT_EQ(seen[0].data["alarms"][0]["chattering"], false);
  EXPECT_TRUE(seen[0].data["flood"].is_null());

  const TimestampNs now = NowNs();
  SampleBatch hot;
  hot.Add("oven.temp", now - kNanosPerSecond, 236);
  monitor_->Observe(hot);
  ASSERT_TRUE(monitor_->RunOnce(now).ok());
  ASSERT_EQ(Act(R"({"alarm": "oven-high", "action": "acknowledge", "user": "li.wei"})").status,
            200);
  seen = wait_for(3);
  stop = true;  // the reader stops at the next chunk: the comment's event
  ASSERT_TRUE(monitor_
                  ->Act({.alarm = "flow-low",
                         .action = alarms::AlarmAction::kComment,
                         .user = "x",
                         .comment = "to end the reader"},
                        NowNs())
                  .ok());
  reader.join();
  ASSERT_GE(seen.size(), 3u) << received;
  EXPECT_EQ(seen[1].event, "alarm");
  EXPECT_EQ(seen[1].data["alarm"], "oven-high");
  EXPECT_EQ(seen[1].data["event"], "activated");
  EXPECT_EQ(seen[1].data["value"], 236);
  EXPECT_EQ(seen[2].data["event"], "acknowledged");
  EXPECT_EQ(seen[2].data["state"], "acknowledged");
  EXPECT_EQ(seen[2].data["user"], "li.wei");

  // Reconnecting after the activation: the acknowledgement and the comment, not the
  // activation again; with an id of another server's, or none, the states afresh.
  RawConnection again(server_->port());
  ASSERT_TRUE(again.Send("GET /api/v1/alarms/stream HTTP/1.1\r\nHost: x\r\nLast-Event-ID: " +
                         seen[1].id + "\r\n\r\n"));
  std::string text;
  ASSERT_TRUE(again.ReadUntil(text, "to end the reader", std::chrono::seconds(10))) << text;
  EXPECT_THAT(text, ::testing::HasSubstr("Content-Type: text/event-stream"));
  EXPECT_THAT(text, ::testing::HasSubstr("Transfer-Encoding: chunked"));
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("\"activated\"")));
  EXPECT_THAT(text, ::testing::HasSubstr("\"acknowledged\""));
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("event: states")));

  RawConnection stranger(server_->port());  // HTTP/1.0: the body ends with the connection
  ASSERT_TRUE(
      stranger.Send("GET /api/v1/alarms/stream?priority=high HTTP/1.0\r\n"
                    "Last-Event-ID: 17-1\r\n\r\n"));
  text.clear();
  ASSERT_TRUE(stranger.ReadUntil(text, "\n\n", std::chrono::seconds(10)));
  ASSERT_TRUE(stranger.ReadUntil(text, "}\n\n", std::chrono::seconds(10))) << text;
  EXPECT_THAT(text, ::testing::HasSubstr("Connection: close"));
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("chunked")));
  const std::vector<Sse> fresh = ParseSse(text.substr(text.find("\r\n\r\n") + 4));
  ASSERT_EQ(fresh.size(), 1u) << text;
  EXPECT_EQ(fresh[0].event, "states");
  ASSERT_EQ(fresh[0].data["alarms"].size(), 1u);  // priority=high: the oven only
  EXPECT_EQ(fresh[0].data["alarms"][0]["state"], "acknowledged");
}

TEST_F(ApiAlarmsTest, ErrorsNameTheField) {
  struct Case {
    const char* body;
    int status;
    const char* field;
  };
  const Case cases[] = {
      {"not json", 400, "body"},
      {R"({"action": "acknowledge"})", 400, "alarm"},
      {R"({"alarm": "oven-high", "action": "dance"})", 400, "action"},
      {R"({"alarm": "nope", "action": "acknowledge"})", 404, "alarm"},
      {R"({"alarm": "oven-high", "action": "acknowledge", "for": "1h"})", 400, "for"},
      {R"({"alarm": "oven-high", "action": "shelve", "for": "soon"})", 400, "for"},
      {R"({"alarm": "oven-high", "action": "shelve", "colour": "red"})", 400, "colour"},
      {R"({"alarm": 7, "action": "shelve"})", 400, "alarm"},
  };
  for (const Case& c : cases) {
    Reply r = Act(c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " " << r.body;
    EXPECT_EQ(r.body["field"], c.field) << c.body << " " << r.body;
  }
  EXPECT_EQ(Get("/api/v1/alarms/states?state=weird").body["field"], "state");
  EXPECT_EQ(Get("/api/v1/alarms/states?colour=red").body["field"], "colour");
  EXPECT_EQ(Get("/api/v1/alarms/report?from=now&to=now-1h").body["field"], "from");
  EXPECT_EQ(Get("/api/v1/alarms/report?operators=0").body["field"], "operators");
  EXPECT_EQ(Get("/api/v1/alarms/journal?from=yesterday-ish").body["field"], "from");
  EXPECT_EQ(Get("/api/v1/alarms/stream?priority=urgent").body["field"], "priority");
  Reply missing = Get("/api/v1/alarms/stream?alarm=nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["field"], "alarm");
}

// A server without alarms (none defined) says so when asked to act.
TEST_F(ApiTest, ActingNeedsAServerWithAlarms) {
  auto res = client_->Post("/api/v1/alarms/act", R"({"alarm": "a", "action": "acknowledge"})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_THAT(res->body, ::testing::HasSubstr("runs no alarms"));
  EXPECT_EQ(Get("/api/v1/alarms/states").body["defined"], 0);
  EXPECT_EQ(Get("/api/v1/alarms/stream").status, 409);
}

}  // namespace
}  // namespace fh::testing
