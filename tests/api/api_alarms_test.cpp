// The alarm system over HTTP: GET /api/v1/alarms/states, /journal and /report, and an
// operator's POST /api/v1/alarms/act, on a server following the hub's alarms.yaml; errors
// name the field.
#include <fstream>

#include <gmock/gmock.h>

#include "analytics/alarms/alarm_monitor.h"
#include "api/api_fixture.h"

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
}

// A server without alarms (none defined) says so when asked to act.
TEST_F(ApiTest, ActingNeedsAServerWithAlarms) {
  auto res = client_->Post("/api/v1/alarms/act", R"({"alarm": "a", "action": "acknowledge"})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_THAT(res->body, ::testing::HasSubstr("runs no alarms"));
  EXPECT_EQ(Get("/api/v1/alarms/states").body["defined"], 0);
}

}  // namespace
}  // namespace fh::testing
