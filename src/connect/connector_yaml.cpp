#include "connect/connector_yaml.h"

#include <cstdlib>
#include <filesystem>

#include "common/time.h"

namespace fh::connect {

std::string ConnectorYaml::FilePath(const std::string& path) const {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(name_).parent_path() / path).string();
}

Status ConnectorYaml::HostPort(const YAML::Node& node, std::string_view what, int default_port,
                               std::string* host, int* port) const {
  FH_ASSIGN_OR_RETURN(std::string text, Scalar(node, what));
  const size_t colon = text.rfind(':');
  *host = text.substr(0, colon);
  *port = default_port;
  if (colon != std::string::npos) {
    const std::string digits = text.substr(colon + 1);
    char* end = nullptr;
    const long p = std::strtol(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || p < 1 || p > 65535) {
      return Error(node, fmt::format("{} '{}': expected host:port", what, text));
    }
    *port = static_cast<int>(p);
  }
  if (host->empty()) return Error(node, fmt::format("{} '{}': no host", what, text));
  return Status::Ok();
}

Result<std::chrono::milliseconds> ConnectorYaml::Millis(const YAML::Node& node,
                                                        std::string_view what) const {
  FH_ASSIGN_OR_RETURN(std::string text, Scalar(node, what));
  Result<int64_t> ns = ParseDuration(text);
  if (!ns.ok() || *ns < 1'000'000) {
    return Error(node,
                 fmt::format("{}: '{}' is not a duration of 1ms or more (500ms, 1s)", what, text));
  }
  return std::chrono::milliseconds(*ns / 1'000'000);
}

}  // namespace fh::connect
