// One item of connectors.yaml's `opcua:` list, an OPC UA server (docs/connectors.md#opc-ua):
// name, endpoint, security, user and password_env, publishing_interval, sampling_interval,
// queue_size, timeout, tag_prefix, nodes.
#pragma once

#include "common/status.h"
#include "connect/connector_registry.h"
#include "connect/connector_yaml.h"
#include "connect/opcua_source/opcua_spec.h"

namespace fh::connect {

Result<OpcUaConnectorSpec> ReadOpcUaSpec(const ConnectorYaml& yaml, const YAML::Node& item);
Result<ConnectorEntry> ReadOpcUaEntry(const ConnectorYaml& yaml, const YAML::Node& item);

// The folder of the hub's OPC UA certificates, beside connectors.yaml: its own application
// certificate (own/), the servers it trusts (trusted/) and those it refused (rejected/).
inline constexpr const char* kOpcUaPkiFolder = "pki/opcua";

}  // namespace fh::connect
