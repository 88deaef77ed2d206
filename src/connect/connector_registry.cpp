#include "connect/connector_registry.h"

#include <array>

#include "connect/modbus/modbus_config.h"
#include "connect/mqtt/mqtt_config.h"
#include "connect/opcua_source/opcua_config.h"

namespace fh::connect {

std::span<const ConnectorProtocol> ConnectorProtocols() {
  static constexpr std::array kProtocols = {
      ConnectorProtocol{"mqtt", "connectors", ReadMqttEntry},
      ConnectorProtocol{"modbus", "devices", ReadModbusEntry},
      ConnectorProtocol{"opcua", "servers", ReadOpcUaEntry},
  };
  return kProtocols;
}

}  // namespace fh::connect
