// An OPC UA endpoint URL, opc.tcp://host:port/path (OPC 10000-6 §7.1.2.3): where to
// connect, and the text the Hello and CreateSession carry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::opcua {

inline constexpr uint16_t kDefaultOpcUaPort = 4840;

struct EndpointUrl {
  std::string url;   // as given
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = kDefaultOpcUaPort;
  std::string path;  // "" or "/..."
};

// "opc.tcp://plc.local:4840/UA/Server", "opc.tcp://[::1]:4840", "opc.tcp://10.0.0.5".
// The scheme is case-insensitive; a missing port is 4840; the URL's length is bounded by
// the 4096 bytes a Hello may carry.
Result<EndpointUrl> ParseEndpointUrl(std::string_view url);

}  // namespace fh::opcua
