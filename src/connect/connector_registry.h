// The protocols connectors.yaml knows, one entry each (connector_registry.cpp): the key of
// its list, and how one item of that list is read into a connector to make. A protocol
// lives in a folder of its own (connect/mqtt, connect/modbus, connect/opcua_source); adding
// one is its folder and one line of the registry.
#pragma once

#include <any>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/connector_yaml.h"
#include "pipeline/stream_ingest.h"

namespace fh::connect {

// One item of connectors.yaml, read and checked: made into its connector when serve starts.
struct ConnectorEntry {
  std::string protocol;  // the registry's key: "mqtt"
  std::string name;
  std::any spec;  // the protocol's own spec (MqttConnectorSpec, ...)
  std::function<Result<std::unique_ptr<Connector>>(pipeline::StreamIngest&)> make;

  template <typename Spec>
  const Spec* spec_as() const {
    return std::any_cast<Spec>(&spec);
  }
};

// The entry of a spec whose connector class C is made by `C::Make(Spec, StreamIngest&)`.
template <typename C, typename Spec>
ConnectorEntry EntryOf(std::string protocol, Spec spec) {
  ConnectorEntry entry;
  entry.protocol = std::move(protocol);
  entry.name = spec.name;
  entry.make = [spec](pipeline::StreamIngest& ingest) -> Result<std::unique_ptr<Connector>> {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<C> c, C::Make(spec, ingest));
    return std::unique_ptr<Connector>(std::move(c));
  };
  entry.spec = std::move(spec);
  return entry;
}

struct ConnectorProtocol {
  std::string_view key;    // its list in connectors.yaml
  std::string_view items;  // what the list holds, for errors: "connectors", "devices"
  // Reads one item; errors name the file, line and column.
  Result<ConnectorEntry> (*read)(const ConnectorYaml& yaml, const YAML::Node& item);
};

std::span<const ConnectorProtocol> ConnectorProtocols();

}  // namespace fh::connect
