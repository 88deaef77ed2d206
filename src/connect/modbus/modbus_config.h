// One item of connectors.yaml's `modbus:` list, a Modbus TCP device: name, device (host:port),
// unit, poll, timeout, tag_prefix, registers (docs/connectors.md).
#pragma once

#include "common/status.h"
#include "connect/connector_registry.h"
#include "connect/connector_yaml.h"

namespace fh::connect {

Result<ConnectorEntry> ReadModbusEntry(const ConnectorYaml& yaml, const YAML::Node& item);

}  // namespace fh::connect
