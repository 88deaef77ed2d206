// The hub's connectors file, `connectors.yaml` beside factoryhub.yaml (docs/connectors.md):
// which brokers and devices `serve` reads from, and how their messages become tags. One list
// per protocol of the registry (connector_registry.h):
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
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/connector_registry.h"
#include "pipeline/stream_ingest.h"

namespace fh::connect {

struct ConnectorsConfig {
  std::vector<ConnectorEntry> connectors;  // in the file's order, protocol by protocol

  // The specs of one protocol's entries, e.g. Specs<MqttConnectorSpec>().
  template <typename Spec>
  std::vector<const Spec*> Specs() const {
    std::vector<const Spec*> out;
    for (const ConnectorEntry& e : connectors) {
      if (const Spec* s = e.spec_as<Spec>()) out.push_back(s);
    }
    return out;
  }
};

// The connectors of a config, made (not started); the first error names the connector.
Result<std::vector<std::unique_ptr<Connector>>> MakeConnectors(const ConnectorsConfig& config,
                                                               pipeline::StreamIngest& ingest);

// Errors say file:line:column and the field.
Result<ConnectorsConfig> ParseConnectorsConfig(const std::string& text,
                                               std::string_view display_name);
// The hub's connectors.yaml; an empty config when the file does not exist.
Result<ConnectorsConfig> LoadConnectorsConfig(const std::filesystem::path& hub_dir);

}  // namespace fh::connect
