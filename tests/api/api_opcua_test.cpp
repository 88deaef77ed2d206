// The dashboard's OPC UA node picker against node-opcua's server (tests/interop/opcua): one
// level per request, by endpoint or by a configured connector's name; a server that is not
// there is a 502 saying why, a wrong node id a 400 naming the parameter.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "testing/mqtt_peers.h"
#include "testing/opcua_server.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

class ApiOpcUaTest : public ApiTest {
 protected:
  nlohmann::json Browse(const std::string& query, int expected = 200) {
    auto res = client_->Get("/api/v1/opcua/browse?" + query);
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, expected) << res->body;
    return nlohmann::json::parse(res->body, nullptr, false);
  }
};

TEST_F(ApiOpcUaTest, ABrowserOpensOneNodeAtATime) {
  OpcUaTestServer server({"--rate-ms", "100"});
  const std::string endpoint = "endpoint=" + httplib::detail::encode_query_param(server.url());
  nlohmann::json objects = Browse(endpoint);
  std::vector<std::string> names;
  for (const auto& n : objects["nodes"])
    names.push_back(n["browse_name"]);
  EXPECT_THAT(names, ::testing::Contains("Machine"));
  EXPECT_EQ(objects["node"], "i=85");

  nlohmann::json machine =
      Browse(endpoint + "&node=" + httplib::detail::encode_query_param("ns=1;s=Machine"));
  ASSERT_GE(machine["nodes"].size(), 11u) << machine;
  const nlohmann::json& speed = machine["nodes"][0];
  EXPECT_EQ(speed["browse_name"], "SpindleSpeed");
  EXPECT_EQ(speed["node"], "ns=1;s=Machine.SpindleSpeed");
  EXPECT_EQ(speed["class"], "Variable");
  const double value = std::stod(speed["value"].get<std::string>());
  EXPECT_GE(value, 1000);
  EXPECT_LT(value, 1100);
  EXPECT_THAT(speed["status"].get<std::string>(), HasSubstr("Good"));
  bool axes = false;
  for (const auto& n : machine["nodes"])
    axes |= n["browse_name"] == "Axes" && n["class"] == "Object";
  EXPECT_TRUE(axes);

  // By a configured connector's name: its endpoint.
  std::ofstream(tmp_.path() / "connectors.yaml")
      << "opcua:\n  - name: cnc-07\n    endpoint: " << server.url()
      << "\n    nodes: [{node: \"ns=1;s=Machine.PartCount\"}]\n";
  nlohmann::json by_name = Browse("connector=cnc-07&values=false&node=" +
                                  httplib::detail::encode_query_param("ns=1;s=Machine"));
  EXPECT_EQ(by_name["endpoint"], server.url());
  EXPECT_FALSE(by_name["nodes"][0].contains("value"));
  Browse("connector=cnc-08", 404);
}

TEST_F(ApiOpcUaTest, WrongRequestsAndAbsentServersAreSaid) {
  nlohmann::json both = Browse("endpoint=opc.tcp%3A%2F%2Fx&connector=y", 400);
  EXPECT_THAT(both["error"].get<std::string>(), HasSubstr("give endpoint"));
  EXPECT_EQ(Browse("endpoint=http%3A%2F%2Fx", 400)["field"], "endpoint");
  EXPECT_EQ(Browse("endpoint=opc.tcp%3A%2F%2Fx&node=ns%3Dx", 400)["field"], "node");
  const std::string away = "opc.tcp://127.0.0.1:" + std::to_string(FreeLoopbackPort());
  nlohmann::json absent = Browse("endpoint=" + httplib::detail::encode_query_param(away), 502);
  EXPECT_THAT(absent["error"].get<std::string>(), HasSubstr(away));
}

}  // namespace
}  // namespace fh::testing
