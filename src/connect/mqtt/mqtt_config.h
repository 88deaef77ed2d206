// One item of connectors.yaml's `mqtt:` list, an MQTT broker's subscription: name, broker
// (host:port), client_id, credentials, qos, keep_alive, topics, sparkplug, sparkplug_host
// (docs/connectors.md).
#pragma once

#include "common/status.h"
#include "connect/connector_registry.h"
#include "connect/connector_yaml.h"

namespace fh::connect {

Result<ConnectorEntry> ReadMqttEntry(const ConnectorYaml& yaml, const YAML::Node& item);

}  // namespace fh::connect
