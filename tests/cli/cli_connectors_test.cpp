// serve with the hub's connectors.yaml: its MQTT connector subscribes to a real mosquitto,
// reports at /api/v1/connectors, and what was published ends up in the hub; a bad file is
// refused before anything listens.
#include <signal.h>

#include <fstream>
#include <regex>
#include <thread>

#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "testing/mqtt_peers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

std::string Body(const std::string& response) {
  size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

TEST_F(CliTest, ServeRunsTheHubsMqttConnectors) {
  InitHub();
  MosquittoBroker broker(tmp_.path(), FreeLoopbackPort());
  std::ofstream(std::filesystem::path(hub()) / "connectors.yaml")
      << "mqtt:\n  - name: line-2\n    broker: 127.0.0.1:" << broker.port() << "\n"
      << "    topics:\n      - { topic: 'plant/{line}/{machine}/{signal}',"
      << " tag: '{line}.{machine}.{signal}', payload: number }\n";
  CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
  std::string seen;
  ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("Connector line-2 (mqtt 127.0.0.1:"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(seen, m, std::regex("http://localhost:([0-9]+)/")));
  const int port = std::stoi(m[1]);
  auto connector = [&] {
    return nlohmann::json::parse(Body(HttpGet(port, "/api/v1/connectors")))["connectors"][0];
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
  for (int i = 0; i < 200 && connector()["points"] != 10; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_EQ(connector()["points"], 10);
  EXPECT_THAT(Body(HttpGet(port, "/metrics")),
              HasSubstr("factoryhub_connector_up{kind=\"mqtt\",name=\"line-2\"} 1\n"));
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
  const nlohmann::json q = Json({"query", "--hub", hub(), "--tag", "l2.m7.temp"});
  EXPECT_EQ(q["series"][0]["points"].size(), 10u);
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

}  // namespace
}  // namespace fh::testing
