// serve with the hub's connectors.yaml: its MQTT connector subscribes to a real mosquitto,
// reports at /api/v1/connectors, and what was published ends up in the hub, through the
// hub's stream mapping (streams.yaml); a bad file is refused before anything listens.
#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <httplib.h>

#include "cli/cli_fixture.h"
#include "testing/mqtt_peers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, ServeRunsTheHubsMqttConnectors) {
  InitHub();
  MosquittoBroker broker(tmp_.path(), FreeLoopbackPort());
  std::ofstream(std::filesystem::path(hub()) / "connectors.yaml")
      << "mqtt:\n  - name: line-2\n    broker: 127.0.0.1:" << broker.port() << "\n"
      << "    topics:\n      - { topic: 'plant/{line}/{machine}/{signal}',"
      << " tag: '{line}.{machine}.{signal}', payload: number }\n";
  std::ofstream(std::filesystem::path(hub()) / "streams.yaml")
      << "mapping: plant-streams\nsignals:\n"
      << "  - { tags: '*.temp', rules: [{ rule: range, min: 0, max: 77 }] }\n";
  CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
  std::string seen;
  ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("Connector line-2 (mqtt 127.0.0.1:"));
  EXPECT_THAT(seen, HasSubstr("Stream mapping plant-streams ("));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(seen, m, std::regex("http://localhost:([0-9]+)/")));
  const int port = std::stoi(m[1]);
  auto connector = [&] {
    return nlohmann::json::parse(
        ResponseBody(HttpGet(port, "/api/v1/connectors")))["connectors"][0];
  };
  for (int i = 0; i < 200 && connector()["state"] != "connected"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_EQ(connector()["state"], "connected") << connector().dump();
  {
    MqttPublisher pub(broker.port());
    for (int i = 0; i < 10; ++i)
      pub.Publish("plant/l2/m7/temp", std::to_string(70 + i));
    pub.WaitAcked();
  }
  // 78 and 79 fail the range: quarantined, not stored, and still acknowledged.
  for (int i = 0; i < 200 && connector()["points"] != 8; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_EQ(connector()["points"], 8);
  EXPECT_EQ(connector()["quarantined"], 2);
  EXPECT_THAT(ResponseBody(HttpGet(port, "/metrics")),
              HasSubstr("factoryhub_connector_up{kind=\"mqtt\",name=\"line-2\"} 1\n"));
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
  const nlohmann::json q = Json({"query", "--hub", hub(), "--tag", "l2.m7.temp"});
  EXPECT_EQ(q["series"][0]["points"].size(), 8u);
  const nlohmann::json quarantined = Json({"quarantine", "list", "--hub", hub(), "--json"});
  ASSERT_EQ(quarantined.size(), 2u) << quarantined.dump();
  EXPECT_EQ(quarantined[0]["mapping"], "plant-streams");
  EXPECT_EQ(quarantined[0]["source_system"], "mqtt");
}

TEST_F(CliTest, ABadStreamMappingIsRefusedBeforeServing) {
  InitHub();
  std::ofstream(std::filesystem::path(hub()) / "streams.yaml")
      << "signals:\n  - tags: '*.temp'\n    unit: degF\n    to: rpm\n";
  CliResult r = RunCli({"serve", "--hub", hub(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("streams.yaml:2:5: signal: cannot convert °F (temperature) to rpm"));
}

TEST_F(CliTest, ABadConnectorsFileIsRefusedBeforeServing) {
  InitHub();
  std::ofstream(std::filesystem::path(hub()) / "connectors.yaml")
      << "mqtt:\n  - name: x\n    broker: localhost:99999\n    topics: []\n";
  CliResult r = RunCli({"serve", "--hub", hub(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(
      r.err, HasSubstr("connectors.yaml:3:13: mqtt: broker 'localhost:99999': expected host:port"));
}

// At least once: messages published while serve is killed with SIGKILL are all stored once
// it is back, since a message is acknowledged only after it is stored (the broker sends the
// unacknowledged ones again to the persistent session).
TEST_F(CliTest, MqttMessagesSurviveASigkilledServer) {
  InitHub();
  MosquittoBroker broker(tmp_.path(), FreeLoopbackPort());
  std::ofstream(std::filesystem::path(hub()) / "connectors.yaml")
      << "mqtt:\n  - name: line-2\n    broker: 127.0.0.1:" << broker.port() << "\n"
      << "    topics:\n      - { topic: 'plant/{machine}', tag: '{machine}.count', value: n,"
      << " time: ts }\n";
  constexpr int kMessages = 3000;
  auto serve_until_connected = [&](std::unique_ptr<CliProcess>& serve) {
    serve = std::make_unique<CliProcess>(
        std::vector<std::string>{"serve", "--hub", hub(), "--port", "0"});
    std::string seen;
    ASSERT_NE(serve->WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve->ReadStderr();
    std::smatch m;
    ASSERT_TRUE(std::regex_search(seen, m, std::regex("http://localhost:([0-9]+)/")));
    const int port = std::stoi(m[1]);
    for (int i = 0; i < 200; ++i) {
      const auto c = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/connectors")));
      if (c["connectors"][0]["state"] == "connected") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    FAIL() << "the connector did not connect";
  };
  std::unique_ptr<CliProcess> serve;
  ASSERT_NO_FATAL_FAILURE(serve_until_connected(serve));
  {
    MqttPublisher pub(broker.port());
    for (int i = 0; i < kMessages; ++i) {
      pub.Publish("plant/m7", fmt::format(R"({{"n": {}, "ts": {}}})", i, 1767225600000LL + i));
      if (i == kMessages / 3) serve->Signal(SIGKILL);  // with messages in flight
    }
    pub.WaitAcked();  // the broker has them all, acknowledged to us or queued
  }
  ASSERT_NO_FATAL_FAILURE(serve_until_connected(serve));
  std::set<int> stored;
  for (int i = 0; i < 400 && static_cast<int>(stored.size()) < kMessages; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const nlohmann::json q = Json({"query", "--hub", hub(), "--tag", "m7.count"});
    stored.clear();
    if (!q["series"].empty()) {
      for (const auto& p : q["series"][0]["points"])
        stored.insert(p[1].get<int>());
    }
  }
  EXPECT_EQ(static_cast<int>(stored.size()), kMessages);
  EXPECT_EQ(serve->Signal(SIGTERM), 0);
}

// A point a stream rule rejected waits in quarantine; once the rule is fixed, replaying
// stores it, and only it.
TEST_F(CliTest, StreamPointsAreReplayedOnceTheirRuleIsFixed) {
  InitHub();
  const std::filesystem::path streams = std::filesystem::path(hub()) / "streams.yaml";
  std::ofstream(streams) << "signals:\n  - { tags: '*.temp', rules: [{ rule: range, max: 77 }] }\n";
  {
    CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
    std::string seen;
    ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
    std::smatch m;
    ASSERT_TRUE(std::regex_search(seen, m, std::regex("http://localhost:([0-9]+)/")));
    httplib::Client client("127.0.0.1", std::stoi(m[1]));
    auto r = client.Post("/api/v1/samples",
                         R"([{"tag": "m.temp", "ts": 1767225600000000000, "value": 70},
                             {"tag": "m.temp", "ts": 1767225601000000000, "value": 80},
                             {"tag": "m.temp", "ts": 1767225602000000000, "value": 90}])",
                         "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
  }
  // The rule unchanged: nothing would pass.
  nlohmann::json dry = Json({"quarantine", "replay", "--hub", hub(), "--streams", "--dry-run"});
  EXPECT_EQ(dry["read"], 2);
  EXPECT_EQ(dry["replayed"], 0);
  EXPECT_EQ(dry["still_failing"], 2);

  std::ofstream(streams) << "signals:\n  - { tags: '*.temp', rules: [{ rule: range, max: 85 }] }\n";
  nlohmann::json replay = Json({"quarantine", "replay", "--hub", hub(), "--streams"});
  EXPECT_EQ(replay["read"], 2);
  EXPECT_EQ(replay["replayed"], 1);
  EXPECT_EQ(replay["still_failing"], 1);
  EXPECT_TRUE(replay["batch"].is_number());
  ASSERT_EQ(replay["failures"].size(), 1u);
  EXPECT_EQ(replay["failures"][0]["tag"], "m.temp");
  EXPECT_THAT(replay["failures"][0]["reasons"].get<std::string>(), HasSubstr("90"));

  const nlohmann::json q = Json({"query", "--hub", hub(), "--tag", "m.temp"});
  ASSERT_EQ(q["series"][0]["points"].size(), 2u);  // 70, and 80 replayed
  EXPECT_EQ(q["series"][0]["points"][1][1], 80);
  const nlohmann::json lineage = Json(
      {"lineage", "sample", "m.temp", "--at", "2026-01-01T00:00:01Z", "--hub", hub(), "--json"});
  EXPECT_EQ(lineage["batches"][0]["source_system"], "replay");

  // Replayed records are closed: a second replay reads only the one still failing.
  nlohmann::json again = Json({"quarantine", "replay", "--hub", hub(), "--streams"});
  EXPECT_EQ(again["read"], 1);
  EXPECT_EQ(again["replayed"], 0);
  EXPECT_EQ(Json({"quarantine", "list", "--hub", hub(), "--json"}).size(), 1u);

  CliResult both = RunCli({"quarantine", "replay", "--hub", hub(), "--streams", "--mapping",
                           (std::filesystem::path(hub()) / "streams.yaml").string()});
  EXPECT_EQ(both.exit_code, 3) << both.err;  // as predict's FILE or --from-store
  EXPECT_THAT(both.err, HasSubstr("give --mapping FILE or --streams, not both or neither"));
}

}  // namespace
}  // namespace fh::testing
