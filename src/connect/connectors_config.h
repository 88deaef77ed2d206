// The hub's connectors file, `connectors.yaml` beside factoryhub.yaml (docs/connectors.md):
// which brokers and devices `serve` reads from, and how their messages become tags.
//
//   mqtt:
//     - name: line-2
//       broker: 127.0.0.1:1883
//       topics:
//         - { topic: "plant/{line}/{machine}/{signal}", tag: "{line}.{machine}.{signal}",
//             payload: number }
//   modbus:
//     - name: press-01
//       device: 10.0.0.20:502
//       poll: 1s
//       registers:
//         - { name: temperature, address: 100, type: int16, scale: 0.1 }
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/modbus_connector.h"
#include "connect/mqtt_connector.h"

namespace fh::connect {

struct ConnectorsConfig {
  std::vector<MqttConnectorSpec> mqtt;
  std::vector<ModbusConnectorSpec> modbus;
};

// The connectors of a config, made (not started); the first error names the connector.
Result<std::vector<std::unique_ptr<Connector>>> MakeConnectors(ConnectorsConfig config,
                                                               pipeline::StreamIngest& ingest);

// Errors say file:line:column and the field.
Result<ConnectorsConfig> ParseConnectorsConfig(const std::string& text,
                                               std::string_view display_name);
// The hub's connectors.yaml; an empty config when the file does not exist.
Result<ConnectorsConfig> LoadConnectorsConfig(const std::filesystem::path& hub_dir);

}  // namespace fh::connect
