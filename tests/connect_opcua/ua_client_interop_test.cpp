// factoryhub's OPC UA client against node-opcua (tests/interop/opcua/server.mjs, started on
// a free 127.0.0.1 port): endpoints, browsing with continuation points, reading, and a
// subscription whose values are checked against the server's formulas (its README).
#include "connect/opcua/ua_client.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "testing/opcua_server.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace client_interop_test {

using std::chrono::milliseconds;

// The server's tick: --epoch 2026-01-01T00:00:00Z, --rate-ms 100.
constexpr int64_t kEpochTicks = 134116992000000000;
constexpr int64_t kTicksPerTick = 1000000;  // 100 ms in 100 ns ticks

int64_t TickOf(DateTime t) {
  return (t.ticks - kEpochTicks) / kTicksPerTick;
}

NodeId Machine(const std::string& name) {
  return NodeId::String(1, "Machine" + (name.empty() ? "" : "." + name));
}

ClientOptions Options() {
  ClientOptions o;
  o.request_timeout = milliseconds(30000);  // a loaded machine: node-opcua can be slow
  o.session_name = "factoryhub interop test";
  return o;
}

class UaClientInteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new fh::testing::OpcUaTestServer(
        {"--rate-ms", "100", "--epoch", "2026-01-01T00:00:00Z", "--user", "operator:secret"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static fh::testing::OpcUaTestServer* server_;
};
fh::testing::OpcUaTestServer* UaClientInteropTest::server_ = nullptr;

TEST_F(UaClientInteropTest, EndpointsAndBrowse) {
  ClientOptions options = Options();
  options.browse_references_per_call = 100;
  Client client(options);
  ASSERT_OK(client.Connect(server_->url()));
  ASSERT_TRUE(client.connected());

  ASSERT_OK_AND_ASSIGN(const auto endpoints, client.GetEndpoints());
  EXPECT_EQ(endpoints.size(), 5u);
  EXPECT_EQ(client.session().revised_session_timeout_ms, 60000);

  ASSERT_OK_AND_ASSIGN(const auto machine, client.Browse(Machine("")));
  std::vector<std::string> names;
  for (const auto& ref : machine)
    names.push_back(ref.browse_name.name);
  EXPECT_EQ(names, (std::vector<std::string>{"SpindleSpeed", "Temperature", "PartCount", "Running",
                                             "Program", "AxisPositions", "Status", "FaultySensor",
                                             "Axes", "Counters", "Many"}));
  EXPECT_EQ(machine[0].node_id.node_id, Machine("SpindleSpeed"));
  EXPECT_EQ(machine[0].node_class, NodeClass::kVariable);

  // 1,200 variables, 100 a call: Browse and 11 BrowseNext.
  ASSERT_OK_AND_ASSIGN(const auto many, client.Browse(Machine("Many")));
  ASSERT_EQ(many.size(), 1200u);
  EXPECT_EQ(many.front().browse_name.name, "V0000");
  EXPECT_EQ(many.back().browse_name.name, "V1199");

  // Objects folder: Server and Machine among its children.
  ASSERT_OK_AND_ASSIGN(const auto objects,
                       client.Browse(NodeId::Numeric(0, node_ids::kObjectsFolder)));
  bool has_machine = false;
  for (const auto& ref : objects)
    has_machine |= ref.browse_name.name == "Machine";
  EXPECT_TRUE(has_machine);
  client.Close();
  EXPECT_FALSE(client.connected());
}

TEST_F(UaClientInteropTest, ReadsValuesThatFollowTheFormulas) {
  Client client(Options());
  ASSERT_OK(client.Connect(server_->url()));
  const std::vector<NodeId> nodes = {Machine("SpindleSpeed"),
                                     Machine("Temperature"),
                                     Machine("PartCount"),
                                     Machine("Running"),
                                     Machine("Program"),
                                     Machine("AxisPositions"),
                                     Machine("Status"),
                                     Machine("FaultySensor"),
                                     Machine("Counters.C001"),
                                     NodeId::Numeric(0, node_ids::kServerStatusCurrentTime),
                                     NodeId::String(1, "NoSuchNode")};
  ASSERT_OK_AND_ASSIGN(const auto values, client.ReadValues(nodes));
  ASSERT_EQ(values.size(), nodes.size());
  const int64_t k = TickOf(values[0].source_timestamp);
  EXPECT_GE(k, 0);
  EXPECT_EQ(values[0].value.ToDouble(), 1000.0 + static_cast<double>(k % 100));
  EXPECT_EQ(values[1].value.type, BuiltinType::kFloat);
  const int64_t kt = TickOf(values[1].source_timestamp);
  EXPECT_EQ(values[1].value.ToDouble(), 20.0 + static_cast<double>(kt % 40) * 0.25);
  EXPECT_EQ(values[2].value.type, BuiltinType::kUInt32);
  EXPECT_EQ(values[2].value.ToDouble(), static_cast<double>(TickOf(values[2].source_timestamp)));
  EXPECT_EQ(values[3].value.type, BuiltinType::kBoolean);
  const int64_t kp = TickOf(values[4].source_timestamp);
  EXPECT_EQ(std::get<std::string>(values[4].value.value),
            fmt::format("O{:04d}", (kp / 20) % 10000));
  ASSERT_TRUE(values[5].value.is_array);
  EXPECT_EQ(std::get<std::vector<Variant>>(values[5].value.value).size(), 3u);
  EXPECT_EQ(values[6].value.type, BuiltinType::kInt32);
  const int64_t kf = TickOf(values[7].source_timestamp);
  if (IsBad(values[7].status)) {
    EXPECT_EQ(values[7].status, kBadSensorFailure);
    EXPECT_TRUE(values[7].value.IsNull());
  } else {
    EXPECT_EQ(values[7].value.ToDouble(), 50.0 + static_cast<double>(kf % 20));
  }
  EXPECT_EQ(values[8].value.ToDouble(),
            1000000.0 + static_cast<double>(TickOf(values[8].source_timestamp)));
  EXPECT_EQ(values[9].value.type, BuiltinType::kDateTime);
  EXPECT_EQ(values[10].status & 0xFFFF0000u, kBadNodeIdUnknown);
  client.Close();
}

TEST_F(UaClientInteropTest, SubscriptionDeliversEveryChangeInOrder) {
  Client client(Options());
  ASSERT_OK(client.Connect(server_->url()));
  CreateSubscriptionRequest params;
  params.requested_publishing_interval_ms = 100;
  params.requested_max_keep_alive_count = 10;
  params.requested_lifetime_count = 100;
  ASSERT_OK_AND_ASSIGN(const auto sub, client.CreateSubscription(params));
  EXPECT_GT(sub.subscription_id, 0u);

  auto item = [](const NodeId& node, uint32_t handle, double sampling, uint32_t queue) {
    MonitoredItemCreateRequest r;
    r.item_to_monitor.node_id = node;
    r.client_handle = handle;
    r.sampling_interval_ms = sampling;
    r.queue_size = queue;
    return r;
  };
  std::vector<MonitoredItemCreateRequest> items = {
      item(Machine("SpindleSpeed"), 1, 0, 100), item(Machine("PartCount"), 2, 0, 100),
      item(Machine("FaultySensor"), 3, 0, 100), item(Machine("Counters.C001"), 4, 100, 10),
      item(NodeId::String(1, "NoSuchNode"), 5, 100, 1)};
  items[3].filter =
      EncodeDataChangeFilter({DataChangeTrigger::kStatusValue, DeadbandType::kAbsolute, 0.5});
  ASSERT_OK_AND_ASSIGN(const auto results, client.CreateMonitoredItems(sub.subscription_id, items));
  ASSERT_EQ(results.size(), 5u);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(results[i].status_code, kGood) << i;
  EXPECT_EQ(results[4].status_code & 0xFFFF0000u, kBadNodeIdUnknown);

  std::map<uint32_t, std::vector<DataValue>> by_handle;
  std::vector<uint32_t> sequence_numbers;
  auto handler = [&](uint32_t subscription_id, const NotificationMessage& m) {
    EXPECT_EQ(subscription_id, sub.subscription_id);
    sequence_numbers.push_back(m.sequence_number);
    for (const auto& n : m.data_changes)
      by_handle[n.client_handle].push_back(n.value);
  };
  const auto until = Clock::now() + std::chrono::seconds(4);
  uint32_t responses = 0;
  uint32_t lost = 0;
  while (Clock::now() < until) {
    ASSERT_OK_AND_ASSIGN(const PublishOutcome outcome, client.Publish(milliseconds(1000), handler));
    if (outcome.response) ++responses;
    lost += outcome.lost;
  }
  EXPECT_GT(responses, 10u);
  EXPECT_EQ(lost, 0u);
  ASSERT_GT(sequence_numbers.size(), 5u);
  for (size_t i = 1; i < sequence_numbers.size(); ++i) {
    EXPECT_EQ(sequence_numbers[i], sequence_numbers[i - 1] + 1);
  }
  // SpindleSpeed with sampling 0 reports every tick: consecutive k, each value its formula.
  const auto& speed = by_handle[1];
  ASSERT_GT(speed.size(), 20u);
  for (size_t i = 0; i < speed.size(); ++i) {
    const int64_t k = TickOf(speed[i].source_timestamp);
    EXPECT_EQ(speed[i].value.ToDouble(), 1000.0 + static_cast<double>(k % 100));
    if (i > 0) {
      EXPECT_EQ(k, TickOf(speed[i - 1].source_timestamp) + 1);
    }
  }
  for (const auto& v : by_handle[2]) {
    EXPECT_EQ(v.value.ToDouble(), static_cast<double>(TickOf(v.source_timestamp)));
  }
  // The sampled counter: strictly increasing ticks, each value its formula.
  const auto& counter = by_handle[4];
  ASSERT_GT(counter.size(), 5u);
  for (size_t i = 0; i < counter.size(); ++i) {
    const int64_t k = TickOf(counter[i].source_timestamp);
    EXPECT_EQ(counter[i].value.ToDouble(), 1000000.0 + static_cast<double>(k));
    if (i > 0) {
      EXPECT_GT(k, TickOf(counter[i - 1].source_timestamp));
    }
  }
  // FaultySensor goes Bad (BadSensorFailure, no value) for 5 ticks of every 20.
  bool saw_bad = false;
  for (const auto& v : by_handle[3]) {
    if (IsBad(v.status)) {
      saw_bad = true;
      EXPECT_EQ(v.status, kBadSensorFailure);
      EXPECT_GE(TickOf(v.source_timestamp) % 20, 15);
    } else {
      EXPECT_EQ(v.value.ToDouble(), 50.0 + static_cast<double>(TickOf(v.source_timestamp) % 20));
    }
  }
  EXPECT_TRUE(saw_bad);

  ASSERT_OK(client.DeleteSubscriptions({sub.subscription_id}));
  client.Close();
}

TEST_F(UaClientInteropTest, TheChannelTokenIsRenewedBeforeItExpires) {
  ClientOptions options = Options();
  options.channel.requested_lifetime_ms = 1200;  // renewed at 900 ms
  Client client(options);
  ASSERT_OK(client.Connect(server_->url()));
  CreateSubscriptionRequest params;
  params.requested_publishing_interval_ms = 100;
  ASSERT_OK_AND_ASSIGN(const auto sub, client.CreateSubscription(params));
  MonitoredItemCreateRequest item;
  item.item_to_monitor.node_id = Machine("PartCount");
  item.client_handle = 1;
  item.sampling_interval_ms = 0;
  item.queue_size = 100;
  ASSERT_OK(client.CreateMonitoredItems(sub.subscription_id, {item}));
  const uint32_t first_token = client.channel_token().token_id;
  EXPECT_LE(client.channel_token().revised_lifetime_ms, 60000u);
  std::vector<int64_t> ticks;
  auto handler = [&](uint32_t, const NotificationMessage& m) {
    for (const auto& n : m.data_changes)
      ticks.push_back(TickOf(n.value.source_timestamp));
  };
  const auto until = Clock::now() + std::chrono::milliseconds(
                                        3 * client.channel_token().revised_lifetime_ms + 500);
  while (Clock::now() < until) {
    ASSERT_OK(client.Publish(milliseconds(500), handler));
  }
  EXPECT_GT(client.channel_token().token_id, first_token);
  // Nothing lost across the renewals: PartCount ticks are consecutive.
  ASSERT_GT(ticks.size(), 10u);
  for (size_t i = 1; i < ticks.size(); ++i)
    EXPECT_EQ(ticks[i], ticks[i - 1] + 1);
  client.Close();
}

TEST_F(UaClientInteropTest, UserNameWithThePasswordEncryptedForTheServer) {
  ClientOptions options = Options();
  options.identity = {"operator", "secret"};
  Client client(options);
  ASSERT_OK(client.Connect(server_->url()));
  ASSERT_OK_AND_ASSIGN(const auto values,
                       client.ReadValues(std::vector<NodeId>{Machine("PartCount")}));
  EXPECT_EQ(values[0].value.type, BuiltinType::kUInt32);
  client.Close();

  options.identity = {"operator", "wrong"};
  Client refused(options);
  const Status s = refused.Connect(server_->url());
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.code() == fh::StatusCode::kPermissionDenied ||
              s.code() == fh::StatusCode::kUnauthenticated)
      << s.ToString();
  EXPECT_NE(s.message().find("ActivateSession"), std::string::npos) << s.ToString();
  EXPECT_FALSE(refused.connected());
}

TEST_F(UaClientInteropTest, AnEndpointThatIsNotThereIsRefusedClearly) {
  Client client(Options());
  const std::string wrong = "opc.tcp://127.0.0.1:" + std::to_string(server_->port()) + "/nothing";
  Status s = client.Connect(wrong);
  // node-opcua accepts any path of its port; either it works or the error is clear.
  if (!s.ok()) {
    EXPECT_NE(s.message().find("OPC UA"), std::string::npos) << s.ToString();
  }
  client.Close();
  Client nobody(Options());
  const Status closed = nobody.Connect("opc.tcp://127.0.0.1:1/x");
  EXPECT_FALSE(closed.ok());
  EXPECT_NE(closed.message().find("connecting to 127.0.0.1:1"), std::string::npos)
      << closed.ToString();
}

}  // namespace client_interop_test
}  // namespace fh::opcua
