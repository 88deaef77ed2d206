#include "connect/opcua/ua_endpoint_url.h"

#include <algorithm>
#include <charconv>

namespace fh::opcua {

Result<EndpointUrl> ParseEndpointUrl(std::string_view url) {
  constexpr std::string_view kScheme = "opc.tcp://";
  if (url.size() > 4096) return InvalidArgument("OPC UA endpoint URL longer than 4096 bytes");
  if (url.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), url.begin(),
                  [](char a, char b) { return a == (b | 0x20) || a == b; })) {
    return InvalidArgument("OPC UA endpoint URL '{}' does not start with opc.tcp://", url);
  }
  EndpointUrl out;
  out.url = std::string(url);
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash));
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return InvalidArgument("OPC UA endpoint URL '{}': '[' without ']'", url);
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return InvalidArgument("OPC UA endpoint URL '{}': junk after ']'", url);
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return InvalidArgument("OPC UA endpoint URL '{}' has no host", url);
  if (!port_text.empty() || authority.ends_with(':')) {
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return InvalidArgument("OPC UA endpoint URL '{}': port '{}' is not 1-65535", url, port_text);
    }
    out.port = static_cast<uint16_t>(port);
  }
  return out;
}

}  // namespace fh::opcua
