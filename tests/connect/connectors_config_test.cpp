// connectors.yaml: what it declares, and errors that say where and what.
#include "connect/connectors_config.h"
#include "connect/modbus/modbus_connector.h"
#include "connect/mqtt/mqtt_connector.h"
#include "testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fh::connect {
namespace {

TEST(ConnectorsConfigTest, ReadsMqttAndModbus) {
  Result<ConnectorsConfig> c = ParseConnectorsConfig(R"(
mqtt:
  - name: line-2
    broker: broker.local
    qos: 0
    topics:
      - { topic: "plant/{line}/{machine}", tag: "{line}.{machine}.{field}", value: "", time: ts }
modbus:
  - name: press-01
    device: 10.0.0.20:1502
    unit: 3
    poll: 250ms
    timeout: 2s
    tag_prefix: line-1.press-01.
    registers:
      - { name: temperature, address: 100, type: int16, scale: 0.1, unit: "°C" }
      - { name: pressure, address: 110, type: float32, word_order: little }
      - { name: running, address: 3, function: coil }
)",
                                                     "connectors.yaml");
  ASSERT_OK(c);
  ASSERT_EQ(c->connectors.size(), 2u);
  EXPECT_EQ(c->connectors[0].protocol, "mqtt");
  EXPECT_EQ(c->connectors[0].name, "line-2");
  EXPECT_EQ(c->connectors[1].protocol, "modbus");
  const std::vector<const MqttConnectorSpec*> mqtt = c->Specs<MqttConnectorSpec>();
  ASSERT_EQ(mqtt.size(), 1u);
  EXPECT_EQ(mqtt[0]->host, "broker.local");
  EXPECT_EQ(mqtt[0]->port, 1883);
  EXPECT_EQ(mqtt[0]->qos, 0);
  EXPECT_EQ(mqtt[0]->topics[0].time, "ts");
  const std::vector<const ModbusConnectorSpec*> modbus = c->Specs<ModbusConnectorSpec>();
  ASSERT_EQ(modbus.size(), 1u);
  const ModbusConnectorSpec& m = *modbus[0];
  EXPECT_EQ(m.port, 1502);
  EXPECT_EQ(m.unit, 3);
  EXPECT_EQ(m.poll, std::chrono::milliseconds(250));
  EXPECT_EQ(m.timeout, std::chrono::milliseconds(2000));
  ASSERT_EQ(m.registers.size(), 3u);
  EXPECT_EQ(m.registers[0].scale, 0.1);
  EXPECT_FALSE(m.registers[1].big_endian_words);
  EXPECT_EQ(m.registers[2].type, ModbusType::kBool);
  EXPECT_EQ(m.registers[2].function, ModbusFunction::kCoil);
}

TEST(ConnectorsConfigTest, ErrorsSayWhereAndWhat) {
  auto error = [](const std::string& yaml) {
    Result<ConnectorsConfig> c = ParseConnectorsConfig(yaml, "c.yaml");
    EXPECT_FALSE(c.ok()) << yaml;
    return c.ok() ? std::string() : c.status().message();
  };
  EXPECT_EQ(error("kafka: []\n"),
            "c.yaml:1:1: connectors: unknown key 'kafka' (allowed: mqtt, modbus, opcua)");
  EXPECT_EQ(error("mqtt:\n  - { name: a, broker: 'b:x', topics: [] }\n"),
            "c.yaml:2:24: mqtt: broker 'b:x': expected host:port");
  EXPECT_EQ(error("mqtt:\n  - { name: a, broker: b, topics: [{ topic: 'a/{x}', tag: '{y}' }] }\n"),
            "c.yaml:2:36: mqtt: tag '{y}': {y} is not a name of the topic 'a/{x}'");
  EXPECT_EQ(error("modbus: { name: p }\n"), "c.yaml:1:9: modbus: expected a list of devices");
  EXPECT_EQ(error("modbus:\n  - { name: p, device: d, poll: fast, registers: [] }\n"),
            "c.yaml:2:33: modbus: poll: 'fast' is not a duration of 1ms or more (500ms, 1s)");
  EXPECT_EQ(error("modbus:\n  - name: p\n    device: d\n    registers:\n"
                  "      - { name: t, address: 1, type: float32, function: coil }\n"),
            "c.yaml:5:9: modbus: register 't': coils and discrete inputs are bool, registers are "
            "not");
  EXPECT_EQ(error("modbus:\n  - name: p\n    device: d\n    registers:\n"
                  "      - { name: t, address: 1, type: int64 }\n"),
            "c.yaml:5:38: modbus: register: type 'int64': bool, int16, uint16, int32, uint32 or "
            "float32");
}

TEST(ConnectorsConfigTest, ReadsSparkplugGroupsAndThePrimaryHost) {
  Result<ConnectorsConfig> c = ParseConnectorsConfig(
      "mqtt:\n  - { name: spb, broker: b, sparkplug: [plant-a, plant-b], sparkplug_host: fh }\n",
      "c.yaml");
  ASSERT_OK(c);
  const std::vector<const MqttConnectorSpec*> mqtt = c->Specs<MqttConnectorSpec>();
  ASSERT_EQ(mqtt.size(), 1u);
  EXPECT_EQ(mqtt[0]->sparkplug_groups, (std::vector<std::string>{"plant-a", "plant-b"}));
  EXPECT_EQ(mqtt[0]->sparkplug_host_id, "fh");
  EXPECT_TRUE(mqtt[0]->topics.empty());

  Result<ConnectorsConfig> no_groups = ParseConnectorsConfig(
      "mqtt:\n  - { name: a, broker: b, topics: [], sparkplug_host: fh }\n", "c.yaml");
  ASSERT_FALSE(no_groups.ok());
  EXPECT_EQ(no_groups.status().message(),
            "c.yaml:2:55: mqtt: sparkplug_host needs 'sparkplug' (its groups)");
  Result<ConnectorsConfig> bad_id = ParseConnectorsConfig(
      "mqtt:\n  - { name: a, broker: b, sparkplug: [g], sparkplug_host: 'x/y' }\n", "c.yaml");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.status().message(),
            "c.yaml:2:59: mqtt: sparkplug_host: an id without '/', '+' or '#'");
}

}  // namespace
}  // namespace fh::connect

namespace fh::connect {
namespace {

// Secrets come from the environment, never from the file.
TEST(ConnectorsConfigTest, APasswordComesFromTheEnvironmentNeverTheFile) {
  ::setenv("FH_TEST_MQTT_PASSWORD", "from the environment", 1);
  Result<ConnectorsConfig> c = ParseConnectorsConfig(
      "mqtt:\n  - { name: a, broker: b, username: hub, password_env: FH_TEST_MQTT_PASSWORD, "
      "topics: [{ topic: 'x/{y}' }] }\n",
      "c.yaml");
  ASSERT_OK(c);
  EXPECT_EQ(c->Specs<MqttConnectorSpec>()[0]->password, "from the environment");
  ::unsetenv("FH_TEST_MQTT_PASSWORD");
  Result<ConnectorsConfig> unset = ParseConnectorsConfig(
      "mqtt:\n  - { name: a, broker: b, password_env: FH_TEST_MQTT_PASSWORD, topics: [] }\n",
      "c.yaml");
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.status().message(),
            "c.yaml:2:41: mqtt: password_env: the environment has no FH_TEST_MQTT_PASSWORD");
  Result<ConnectorsConfig> plain = ParseConnectorsConfig(
      "mqtt:\n  - { name: a, broker: b, password: hunter2, topics: [] }\n", "c.yaml");
  ASSERT_FALSE(plain.ok());
  EXPECT_THAT(plain.status().message(),
              ::testing::StartsWith("c.yaml:2:37: mqtt: password: secrets are not kept in "
                                    "connectors.yaml"));
  EXPECT_EQ(plain.status().message().find("hunter2"), std::string::npos);  // never echoed
}

}  // namespace
}  // namespace fh::connect
